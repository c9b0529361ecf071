"""Soft eviction thresholds while evictionMaxPodGracePeriod is 0: soft-evicted pods get no time to stop.

Why: on a soft eviction the kubelet stops the pod with a grace period of
``evictionMaxPodGracePeriod`` seconds, capped by the pod's own
``terminationGracePeriodSeconds``. The default is 0, so with soft
thresholds and nothing else a soft-evicted pod is killed as abruptly as a
hard-evicted one: no graceful shutdown, no connection draining, which is
usually what soft thresholds were meant to allow.

Fails:
    evictionSoft:
      memory.available: 1Gi
    evictionSoftGracePeriod:
      memory.available: 1m30s
Passes:
    evictionSoft:
      memory.available: 1Gi
    evictionSoftGracePeriod:
      memory.available: 1m30s
    evictionMaxPodGracePeriod: 60
Fix: none automatic; set evictionMaxPodGracePeriod to the number of seconds
soft-evicted pods may take to stop (e.g. 60).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.gc_eviction._eviction import MAX_POD_GRACE, SOFT, int_setting, thresholds


def check(view: KubeletView) -> Iterator[Finding]:
    soft = thresholds(view, SOFT)
    if not soft or int_setting(view, MAX_POD_GRACE) != 0:
        return
    signals = ", ".join(soft)
    explicit_zero = view.is_set(MAX_POD_GRACE)
    location = view.where(MAX_POD_GRACE) if explicit_zero else view.where(SOFT, key=True)
    related = (Related(view.where(SOFT, key=True), f"{SOFT}: {signals}"),) if explicit_zero else ()
    setting = f"{MAX_POD_GRACE} is 0" + ("" if explicit_zero else " (the default)")
    yield Finding(
        location,
        f"{SOFT} is set ({signals}) but {setting}: soft-evicted pods are stopped with a grace "
        "period of 0 seconds, as abruptly as on a hard eviction, whatever their "
        "terminationGracePeriodSeconds",
        related=related,
        hint=f"set {MAX_POD_GRACE} to the seconds soft-evicted pods may take to stop, e.g. 60",
    )


RULE = define(__doc__, code="KL306", name="soft-eviction-without-pod-grace", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check)
