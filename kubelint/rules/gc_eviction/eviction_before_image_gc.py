"""A disk eviction threshold that is crossed before image GC starts.

Why: image GC frees the image filesystem once its usage reaches
``imageGCHighThresholdPercent`` (default 85). An ``imagefs.available``
threshold of 20% is crossed at 80% usage, earlier: the node gets
DiskPressure (tainted, no new pods) and the eviction manager deletes every
unused image at once and evicts pods when that is not enough, while the
orderly, gradual image GC never gets its turn. The same holds for
``nodefs.available`` when images live on the node's root filesystem (a
single-disk node). Thresholds given as quantities (``10Gi``) cannot be
compared with a percentage without the disk's size and are not checked.

Fails:
    evictionHard:
      memory.available: 100Mi
      nodefs.available: 10%
      imagefs.available: 20%
Passes:
    evictionHard:
      memory.available: 100Mi
      nodefs.available: 10%
      imagefs.available: 15%
Fix: none automatic; lower the eviction percentage to at most 100 minus the
GC high threshold, or start image GC earlier (with the low threshold below).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.types import Percent
from kubelint.rules.gc_eviction._eviction import (
    GC_HIGH,
    GC_LOW,
    IMAGE_DISK_SIGNALS,
    THRESHOLD_MAPS,
    Threshold,
    int_setting,
    percent_text,
    thresholds,
    usage_at,
)


def check(view: KubeletView) -> Iterator[Finding]:
    high, low = int_setting(view, GC_HIGH), int_setting(view, GC_LOW)
    if high is None or low is None or not 0 <= low < high < 100:
        return  # refused (KL101), or GC by usage switched off (KL301)
    for map_name in THRESHOLD_MAPS:
        found = thresholds(view, map_name)
        for signal in IMAGE_DISK_SIGNALS:
            threshold = found.get(signal)
            if threshold is not None and _evicts_before_gc(threshold, high):
                yield _finding(view, threshold, high)


def _evicts_before_gc(threshold: Threshold, high: int) -> bool:
    if not isinstance(threshold.value, Percent):
        return False
    # The kubelet rounds usage up to a whole percent before comparing it with
    # the high threshold, so GC really starts once usage passes high - 1.
    return usage_at(threshold) < high - 1


def _finding(view: KubeletView, threshold: Threshold, high: int) -> Finding:
    usage = usage_at(threshold)
    shared_disk = " on a node whose images live on the root filesystem" if threshold.signal.startswith("nodefs") else ""
    origin = "" if threshold.explicit else " (a kubelet default)"
    message = (
        f"{threshold.label}{origin} evicts once disk usage passes {percent_text(usage)}, but image GC "
        f"starts only at {high}% ({GC_HIGH}){shared_disk}: the node reaches DiskPressure and evicts "
        "pods before image GC frees anything"
    )
    hint = (f"use {threshold.signal}: {100 - high}% or less in {threshold.map_name}, or start image GC "
            f"at or below {percent_text(usage)} ({GC_HIGH}, with {GC_LOW} below it)")
    related: tuple[Related, ...] = ()
    if threshold.explicit:
        location = view.where(threshold.path)
        if view.is_set(GC_HIGH):
            related = (Related(view.where(GC_HIGH), f"{GC_HIGH}: {high}"),)
    else:
        location = view.where(GC_HIGH)
    return Finding(location, message, hint=hint, related=related)


RULE = define(__doc__, code="KL304", name="eviction-before-image-gc", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check)
