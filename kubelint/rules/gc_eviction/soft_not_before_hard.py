"""An evictionSoft threshold that is not crossed before the hard one for the same signal.

Why: a soft threshold is the early, gentle stage: once free memory or disk
stays below it for its ``evictionSoftGracePeriod``, pods are evicted with up
to ``evictionMaxPodGracePeriod`` seconds to stop. Thresholds are "evict when
less than this is free", so the soft value must be *larger* than the hard
one. When it is equal or smaller, the hard threshold fires first and kills
pods at once; the soft threshold never gets its turn. The kubelet accepts
this silently. The hard side includes the default ``evictionHard``
(``memory.available: 100Mi``, ``nodefs.available: 10%``, ...) when it applies.

Fails:
    evictionHard:
      memory.available: 500Mi
    evictionSoft:
      memory.available: 300Mi
    evictionSoftGracePeriod:
      memory.available: 1m30s
Passes:
    evictionHard:
      memory.available: 500Mi
    evictionSoft:
      memory.available: 1Gi
    evictionSoftGracePeriod:
      memory.available: 1m30s
Fix: none automatic; raise the soft threshold above the hard one (or lower
the hard one).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.gc_eviction._eviction import HARD, SOFT, Threshold, amount, comparable, thresholds


def check(view: KubeletView) -> Iterator[Finding]:
    hard = thresholds(view, HARD)
    for signal, soft in thresholds(view, SOFT).items():
        paired = hard.get(signal)
        if paired is None or not comparable(soft.value, paired.value):
            continue
        if amount(soft.value) <= amount(paired.value):
            yield _finding(view, soft, paired)


def _finding(view: KubeletView, soft: Threshold, hard: Threshold) -> Finding:
    relation = "the same as" if amount(soft.value) == amount(hard.value) else "below"
    origin = "" if hard.explicit else " (the kubelet default)"
    related = (Related(view.where(hard.path), f"{hard.label}"),) if hard.explicit else ()
    return Finding(
        view.where(soft.path),
        f"{soft.label} is {relation} {hard.label}{origin}: eviction starts when less than the value is "
        "free, so the hard threshold is crossed first and kills pods at once; the soft threshold "
        "and its grace period never take effect",
        related=related,
        hint=f"set {SOFT} {soft.signal} larger than {hard.text}, so that soft eviction comes first",
    )


RULE = define(__doc__, code="KL305", name="soft-eviction-not-before-hard", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check)
