"""Two clusters, users or contexts share a name.

Why: client-go turns each list into a map keyed by name and fails the whole
file on a repeat (``duplicate name "X" in list``), so the kubelet exits with
``invalid kubeconfig``. Hand-merged kubeconfigs and re-run
``kubectl config set-*`` scripts that append instead of replace produce it.
Two entries without a name collide too.

Fails:
    users:
    - name: kubelet-bootstrap
      user:
        token: 07401b.f395accd246ae52d
    - name: kubelet-bootstrap
      user:
        token: 3f8b2c.8e2f1a7c9d0b4e6f
Passes:
    users:
    - name: kubelet-bootstrap
      user:
        token: 3f8b2c.8e2f1a7c9d0b4e6f
Fix: none automatic; keep the entry you mean.
"""

from collections.abc import Iterator
from typing import Any

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.models.kubeconfig import Named
from kubelint.rules.kubeconfig._support import decoded, entry_location, quote


def _duplicates(context: KubeconfigContext, entries: list[Named[Any]]) -> Iterator[Finding]:
    first: dict[str, Named[Any]] = {}
    for entry in entries:
        earlier = first.setdefault(entry.name, entry)
        if earlier is entry:
            continue
        earlier_at = entry_location(context, earlier)
        yield Finding(
            entry_location(context, entry),
            f"duplicate name {quote(entry.name)} in {entry.section} (first at line {earlier_at.span.line}): "
            f"client-go refuses the file (\"duplicate name {quote(entry.name)} in list\")",
            related=(Related(earlier_at, "first entry with this name"),),
            hint="remove or rename one of the two entries",
        )


def check(context: KubeconfigContext) -> Iterator[Finding]:
    config = decoded(context).config
    yield from _duplicates(context, config.named_clusters())
    yield from _duplicates(context, config.named_users())
    yield from _duplicates(context, config.named_contexts())


RULE = define(__doc__, code="KL503", name="kubeconfig-duplicate-name", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check)
