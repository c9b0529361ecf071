"""maxParallelImagePulls above 1 while serializeImagePulls is explicitly true.

Why: parallel pulls need ``serializeImagePulls: false``. When
``serializeImagePulls`` is not written, the kubelet sets it to false for a
``maxParallelImagePulls`` of 2 or more, so ``maxParallelImagePulls: 5``
alone is fine; written as ``true`` next to it, the kubelet refuses to start.

Fails:
    serializeImagePulls: true
    maxParallelImagePulls: 5
Passes:
    maxParallelImagePulls: 5
Fix: unsafe: set ``serializeImagePulls: false`` (the limit says parallel
pulls were wanted, but that changes how images are pulled).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.diagnostics import Applicability, Finding, Fix, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import REFUSES, as_int, replace_fix

SERIALIZE, PARALLEL = "serializeImagePulls", "maxParallelImagePulls"


def check(view: KubeletView) -> Iterator[Finding]:
    parallel = as_int(view.get(PARALLEL))
    if parallel is None or parallel <= 1 or view.get(SERIALIZE) is not True:
        return
    safe_fix = replace_fix(view, SERIALIZE, False, "set serializeImagePulls: false")
    fix = Fix(safe_fix.description, Applicability.UNSAFE, safe_fix.edits) if safe_fix else None
    yield Finding(view.where(PARALLEL),
                  f"{REFUSES}: maxParallelImagePulls cannot be larger than 1 unless SerializeImagePulls "
                  f"(--serialize-image-pulls) is set to false ({PARALLEL} is {parallel}, {SERIALIZE}: true is "
                  f"set at {view.describe(SERIALIZE)}); set {SERIALIZE}: false, or remove it",
                  related=(Related(view.where(SERIALIZE), f"{SERIALIZE}: true"),), fix=fix)


RULE = define(__doc__, code="KL109", name="serialized-parallel-image-pulls", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check, fixable=True)
