"""A kubeconfig value has the wrong type or is not valid base64.

Why: client-go turns the YAML into JSON and decodes it into typed structs.
A quoted boolean, a number where a string belongs, or a ``*-data`` field
that is not base64 (Go: ``illegal base64 data at input byte N``) makes the
whole file unreadable and the kubelet exits with ``invalid kubeconfig``.
Pasting the PEM text itself into ``certificate-authority-data`` is the
classic case: the field wants the base64 of the PEM file.

Fails:
    clusters:
    - name: kubernetes
      cluster:
        server: https://10.0.0.10:6443
        insecure-skip-tls-verify: "false"
        certificate-authority-data: -----BEGIN CERTIFICATE-----
Passes:
    clusters:
    - name: kubernetes
      cluster:
        server: https://10.0.0.10:6443
        certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1J...
Fix: none automatic; write the value in its type (``base64 -w0 ca.crt`` for ``*-data``).
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.models.kubeconfig import DecodeProblem
from kubelint.rules.kubeconfig._support import at, decoded


def _hint(context: KubeconfigContext, problem: DecodeProblem) -> str | None:
    last = problem.path[-1] if problem.path else ""
    if isinstance(last, str) and last.endswith("-data"):
        value = _raw(context, problem)
        if isinstance(value, str) and value.lstrip().startswith("-----BEGIN"):
            return "the field holds the PEM text itself; it must be its base64 (base64 -w0 FILE), or use the file-path key without -data"
        return "write the base64 of the PEM file on one line (base64 -w0 FILE)"
    if "must be a string" in problem.message:
        return "quote the value"
    if "must be a boolean" in problem.message:
        return "write true or false without quotes"
    return None


def _raw(context: KubeconfigContext, problem: DecodeProblem) -> object:
    node: object = context.data
    for part in problem.path:
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for problem in decoded(context).problems:
        yield Finding(at(context, problem.path), problem.message, hint=_hint(context, problem))


RULE = define(__doc__, code="KL501", name="kubeconfig-invalid-value", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check)
