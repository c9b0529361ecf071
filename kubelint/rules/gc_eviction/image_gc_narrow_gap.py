"""Image GC high and low thresholds less than 5 points apart make GC run over and over.

Why: when the image filesystem reaches ``imageGCHighThresholdPercent`` the
kubelet deletes unused images until usage is back at
``imageGCLowThresholdPercent``. With a narrow gap each run frees only a
sliver of the disk, so the next pulls push usage over the high mark again:
GC runs on nearly every 5-minute pass and deletes images that pods pull
back minutes later. (low >= high is refused outright: rule KL101.)

Fails:
    imageGCHighThresholdPercent: 85
    imageGCLowThresholdPercent: 83
Passes:
    imageGCHighThresholdPercent: 85
    imageGCLowThresholdPercent: 75
Fix: none automatic; lower imageGCLowThresholdPercent so that each run frees
at least 5% of the disk (the defaults are 85 and 80).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.gc_eviction._eviction import GC_HIGH, GC_LOW, int_setting

MINIMUM_GAP = 5


def check(view: KubeletView) -> Iterator[Finding]:
    high, low = int_setting(view, GC_HIGH), int_setting(view, GC_LOW)
    if high is None or low is None or not 0 <= low < high < 100:
        return  # refused (KL101) or GC switched off (KL301)
    gap = high - low
    if gap >= MINIMUM_GAP:
        return
    blamed = GC_LOW if view.is_set(GC_LOW) else GC_HIGH
    other = GC_HIGH if blamed == GC_LOW else GC_LOW
    related = (Related(view.where(other), f"{other}: {view.get(other)}"),) if view.is_set(other) else ()
    yield Finding(
        view.where(blamed),
        f"image GC starts at {high}% disk usage ({GC_HIGH}) and stops at {low}% ({GC_LOW}): each "
        f"run frees only {gap}% of the image filesystem, so GC runs again and again and deletes "
        "images that are pulled back soon after",
        related=related,
        hint=f"keep at least {MINIMUM_GAP} points between them, e.g. {GC_LOW}: {max(high - 10, 0)}",
    )


RULE = define(__doc__, code="KL302", name="image-gc-narrow-gap", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check)
