"""An evictionMinimumReclaim larger than the eviction threshold it extends.

Why: once a threshold is crossed, the kubelet keeps evicting until the
signal is back above the threshold *plus* the minimum reclaim. Reclaiming
20% on top of a 10% ``nodefs.available`` threshold means evicting pods until
30% of the disk is free, three times the threshold: one short spike empties
a large part of the node. At 100% or more (threshold plus reclaim) the
target can never be met and the kubelet evicts every pod it may. A reclaim
no larger than the threshold keeps the kubelet from evicting again right
away without evicting half the node. Values in different units (a
percentage and a quantity) are not compared.

Fails:
    evictionHard:
      memory.available: 100Mi
      nodefs.available: 10%
    evictionMinimumReclaim:
      nodefs.available: 20%
Passes:
    evictionHard:
      memory.available: 100Mi
      nodefs.available: 10%
    evictionMinimumReclaim:
      nodefs.available: 5%
Fix: none automatic; lower the reclaim to at most the threshold (or raise
the threshold, if the node should keep that much free).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.types import Percent
from kubelint.rules.gc_eviction._eviction import (
    HARD,
    MINIMUM_RECLAIM,
    SOFT,
    Threshold,
    ThresholdValue,
    amount,
    comparable,
    parse_value,
    percent_text,
    thresholds,
)


def check(view: KubeletView) -> Iterator[Finding]:
    reclaims = view.get(MINIMUM_RECLAIM)
    if not isinstance(reclaims, dict):
        return
    hard, soft = thresholds(view, HARD), thresholds(view, SOFT)
    for signal, raw in reclaims.items():
        reclaim = parse_value(raw)
        if reclaim is None or amount(reclaim) == 0:
            continue
        exceeded = _first_exceeded(reclaim, [found[signal] for found in (hard, soft) if signal in found])
        if exceeded is not None:
            yield _finding(view, signal, reclaim, exceeded)


def _first_exceeded(reclaim: ThresholdValue, candidates: list[Threshold]) -> Threshold | None:
    for threshold in candidates:
        if comparable(reclaim, threshold.value) and amount(reclaim) > amount(threshold.value):
            return threshold
    return None


def _finding(view: KubeletView, signal: str, reclaim: ThresholdValue, threshold: Threshold) -> Finding:
    origin = "" if threshold.explicit else " (the kubelet default)"
    if isinstance(reclaim, Percent):
        target = amount(threshold.value) + amount(reclaim)
        ratio = target / amount(threshold.value)
        if target >= 100:
            outcome = (f"the kubelet would have to free {percent_text(target)} of capacity, which it can "
                       "never reach, so it evicts every pod it can")
        else:
            outcome = (f"each eviction round continues until {percent_text(target)} is free, "
                       f"{float(ratio):g} times the threshold")
    else:
        outcome = (f"each eviction round continues until {threshold.text} + {reclaim.text} is free, more "
                   "than twice the threshold")
    related = (Related(view.where(threshold.path), threshold.label),) if threshold.explicit else ()
    return Finding(
        view.where((MINIMUM_RECLAIM, signal)),
        f"{MINIMUM_RECLAIM} {signal}: {reclaim.text} is larger than {threshold.label}{origin}: {outcome}",
        related=related,
        hint=f"use a reclaim of at most {threshold.text} for {signal}",
    )


RULE = define(__doc__, code="KL308", name="minimum-reclaim-too-large", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check)
