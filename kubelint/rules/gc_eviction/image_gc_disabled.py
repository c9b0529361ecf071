"""imageGCHighThresholdPercent: 100 switches disk-usage image garbage collection off.

Why: image GC starts when the image filesystem's usage reaches the high
threshold. At 100 that only happens when less than 1% of the disk is free,
so unused images pile up until the disk crosses an eviction threshold: the
node then gets DiskPressure (tainted, no new pods) and the eviction manager
deletes unused images, evicting pods if that is not enough. Age-based
removal (``imageMaximumGCAge``) still runs. Sometimes this is deliberate (a
node whose images are preloaded and must never be removed); say so here.

Fails:
    imageGCHighThresholdPercent: 100
    imageGCLowThresholdPercent: 90
Passes:
    imageGCHighThresholdPercent: 85
    imageGCLowThresholdPercent: 80
Fix: none automatic; lower imageGCHighThresholdPercent (85 is the default)
if images should be collected before the node runs into disk pressure.
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.gc_eviction._eviction import GC_HIGH, GC_MAX_AGE, int_setting


def check(view: KubeletView) -> Iterator[Finding]:
    if int_setting(view, GC_HIGH) != 100:
        return
    max_age = view.get(GC_MAX_AGE)
    age_note = (f"; only images unused for {max_age} ({GC_MAX_AGE}) are still removed"
                if max_age else "")
    yield Finding(
        view.where(GC_HIGH),
        f"{GC_HIGH} 100 switches image garbage collection by disk usage off: unused images are "
        "removed only when the node is already under disk pressure (DiskPressure taint, pod "
        f"eviction if deleting images is not enough){age_note}",
        hint=f"set {GC_HIGH} below 100 (default 85) unless images must stay on this node",
    )


RULE = define(__doc__, code="KL301", name="image-gc-disabled", severity=Severity.INFO,
              scope=Scope.KUBELET, check=check)
