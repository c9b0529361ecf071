"""A context's namespace is not a DNS-1123 label.

Why: client-go's validation rejects the context (``namespace "N" for
context "C" does not conform to the kubernetes DNS_LABEL rules``): lower
case letters, digits and ``-``, starting and ending with an alphanumeric,
at most 63 characters. The kubelet does not use the namespace, so this is
a warning, but ``kubectl --kubeconfig`` on the same file fails.

Fails:
    contexts:
    - name: default
      context:
        cluster: kubernetes
        user: kubelet-bootstrap
        namespace: Kube_System
Passes:
    contexts:
    - name: default
      context:
        cluster: kubernetes
        user: kubelet-bootstrap
        namespace: kube-system
Fix: none automatic.
"""

import re
from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import at, decoded, quote

DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
MAX_LENGTH = 63


def is_dns1123_label(value: str) -> bool:
    return len(value) <= MAX_LENGTH and DNS1123_LABEL.fullmatch(value) is not None


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_contexts():
        namespace = entry.value.namespace
        if not namespace or is_dns1123_label(namespace):
            continue
        yield Finding(
            at(context, entry.path("namespace")),
            f"namespace {quote(namespace)} for context {quote(entry.name)} does not conform to the kubernetes "
            "DNS_LABEL rules: client-go's validation rejects the context",
            hint="lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters",
        )


RULE = define(__doc__, code="KL510", name="context-namespace-invalid", severity=Severity.WARNING,
              scope=Scope.KUBECONFIG, check=check)
