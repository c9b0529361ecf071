"""``current-context`` is missing or empty.

Why: the kubelet (unlike an interactive ``kubectl --context``) never picks
a context by itself: with no current context it has no cluster and no user,
and client-go fails with ``no configuration has been provided`` (kubectl's
validation calls it ``no context chosen``). A bootstrap kubeconfig built
with ``kubectl config set-cluster/set-credentials/set-context`` but without
the final ``kubectl config use-context`` is the usual cause.

Fails:
    contexts:
    - name: default
      context:
        cluster: kubernetes
        user: kubelet-bootstrap
Passes:
    contexts:
    - name: default
      context:
        cluster: kubernetes
        user: kubelet-bootstrap
    current-context: default
Fix: unsafe, when the file has exactly one context: current-context is set to it
(what ``kubectl config use-context`` would write).
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import at, decoded, document_anchor, quote, set_fix

PATH = ("current-context",)


def check(context: KubeconfigContext) -> Iterator[Finding]:
    result = decoded(context)
    config = result.config
    if config.current_context or config.is_empty() or PATH in {p.path for p in result.problems}:
        return
    names = [entry.name for entry in config.named_contexts() if entry.name]
    fix = None
    hint = "set current-context to the context the kubelet should use"
    if len(names) == 1:
        fix = set_fix(context, PATH, names[0], f"set current-context to {quote(names[0])}")
        hint = f"kubectl config use-context {names[0]} --kubeconfig FILE"
    where = at(context, PATH, key=True) if PATH in context.document.positions else document_anchor(context)
    yield Finding(
        where,
        "current-context is not set: the kubelet selects no context, so it has no server and no credentials "
        "(client-go: \"no configuration has been provided\")",
        fix=fix,
        hint=hint,
    )


RULE = define(__doc__, code="KL506", name="current-context-unset", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check, fixable=True)
