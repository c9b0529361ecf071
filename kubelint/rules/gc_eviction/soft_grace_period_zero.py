"""An evictionSoftGracePeriod of 0s turns its soft threshold into a hard one.

Why: the kubelet tells hard from soft thresholds by the grace period alone:
a threshold whose grace period is zero is hard. With ``0s`` the "soft"
threshold evicts the moment it is crossed and gives pods no time to stop
(``evictionMaxPodGracePeriod`` only applies to soft evictions). If that is
what you want, move the value to ``evictionHard``; if not, give it the
time the node may stay under pressure before evicting.

Fails:
    evictionSoft:
      nodefs.available: 15%
    evictionSoftGracePeriod:
      nodefs.available: 0s
Passes:
    evictionSoft:
      nodefs.available: 15%
    evictionSoftGracePeriod:
      nodefs.available: 2m
Fix: none automatic; use a grace period such as 1m30s, or move the
threshold to evictionHard.
"""

from collections.abc import Iterator
from functools import lru_cache

from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.types import Duration, ValueSyntaxError
from kubelint.rules.gc_eviction._eviction import GRACE_PERIODS, HARD, SOFT, thresholds


def check(view: KubeletView) -> Iterator[Finding]:
    for signal, soft in thresholds(view, SOFT).items():
        raw = view.get((GRACE_PERIODS, signal))
        if not isinstance(raw, str) or not _is_zero_duration(raw):
            continue  # missing or malformed grace periods are refused (validity rules)
        yield Finding(
            view.where((GRACE_PERIODS, signal)),
            f"{GRACE_PERIODS} {signal}: {raw} makes {soft.label} a hard threshold: the kubelet evicts "
            "as soon as it is crossed and gives pods no time to stop",
            related=(Related(view.where(soft.path), soft.label),),
            hint=f"give it a grace period such as 1m30s, or move it to {HARD}",
        )


# a pure function of the text; bounded, since a scan meets arbitrary text
@lru_cache(maxsize=4096)
def _is_zero_duration(text: str) -> bool:
    try:
        return Duration.parse(text).nanoseconds == 0
    except ValueSyntaxError:
        return False


RULE = define(__doc__, code="KL307", name="soft-grace-period-zero", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check)
