"""The same key appears twice in one mapping.

Why: the kubelet's strict decoder rejects duplicate fields and its lenient
fallback keeps the **last** value, so the first one, which a reader sees
first, is silently ignored.

Fails:
    maxPods: 110
    maxPods: 250
Passes:
    maxPods: 250
Fix: none automatic; delete the copy you do not mean.
"""

from collections.abc import Iterator

from kubelint.contexts import KubeletDocumentContext
from kubelint.diagnostics import Finding, Location, Related, Severity
from kubelint.engine import Scope, define


def check(context: KubeletDocumentContext) -> Iterator[Finding]:
    document = context.document
    for duplicate in document.duplicates:
        if duplicate.path[: len(context.root)] != context.root:
            continue
        dotted = ".".join(str(part) for part in duplicate.path[len(context.root):])
        first = Location(document.path, duplicate.first_span)
        yield Finding(
            Location(document.path, duplicate.span),
            f"duplicate key {dotted!r}: this later value wins and the one at line {duplicate.first_span.line} is ignored",
            related=(Related(first, "first occurrence"),),
            hint="keep one of the two",
        )


RULE = define(__doc__, code="KL012", name="duplicate-key", severity=Severity.WARNING,
              scope=Scope.KUBELET_DOCUMENT, check=check)
