"""A context has no name.

Why: ``current-context`` selects contexts by name, so a nameless context can
never be used, and client-go's validation rejects it (``empty context name
for ... is not allowed``), e.g. in ``kubectl config view``. The entry is
usually the remains of a hand edit that lost its ``name:`` line.

Fails:
    contexts:
    - context:
        cluster: kubernetes
        user: default-auth
Passes:
    contexts:
    - name: default-context
      context:
        cluster: kubernetes
        user: default-auth
Fix: none automatic; name the context (and point current-context at it).
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import decoded, describe, entry_location


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_contexts():
        if entry.name:
            continue
        yield Finding(
            entry_location(context, entry),
            f"{describe(entry)} cannot be selected by current-context; client-go rejects it "
            "(\"empty context name ... is not allowed\")",
            hint="add a name: line to the entry",
        )


RULE = define(__doc__, code="KL507", name="context-name-empty", severity=Severity.WARNING,
              scope=Scope.KUBECONFIG, check=check)
