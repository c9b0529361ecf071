"""``current-context`` names a context that is not in ``contexts``.

Why: the kubelet uses the file's current context and nothing else. When no
context has that name, client-go fails with ``context was not found for
specified context: X`` and the kubelet exits. Renaming a context with
``kubectl config rename-context`` or editing names by hand leaves this behind.

Fails:
    contexts:
    - name: system:node:worker-1@kubernetes
      context:
        cluster: kubernetes
        user: system:node:worker-1
    current-context: default-context
Passes:
    contexts:
    - name: system:node:worker-1@kubernetes
      context:
        cluster: kubernetes
        user: system:node:worker-1
    current-context: system:node:worker-1@kubernetes
Fix: unsafe, when the file has exactly one context: current-context is set to it.
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import at, decoded, quote, set_fix

PATH = ("current-context",)


def check(context: KubeconfigContext) -> Iterator[Finding]:
    config = decoded(context).config
    name = config.current_context
    if not name or config.find_context(name) is not None:
        return
    names = [entry.name for entry in config.named_contexts() if entry.name]
    fix = None
    if len(names) == 1:
        fix = set_fix(context, PATH, names[0], f"set current-context to {quote(names[0])}")
    hint = ("contexts in this file: " + ", ".join(quote(n) for n in names)) if names else "the file has no contexts"
    yield Finding(
        at(context, PATH),
        f"current-context {quote(name)} names no context in this file: client-go fails with "
        f"\"context was not found for specified context: {name}\"",
        fix=fix,
        hint=hint,
    )


RULE = define(__doc__, code="KL505", name="current-context-not-found", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check, fixable=True)
