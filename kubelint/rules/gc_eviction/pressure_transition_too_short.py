"""evictionPressureTransitionPeriod so short that pressure conditions flap.

Why: after the last time a threshold was crossed, the kubelet keeps the
node's MemoryPressure/DiskPressure/PIDPressure condition (and its taint)
for ``evictionPressureTransitionPeriod`` before clearing it (default 5m).
Memory and disk usage hover around a threshold; with a few seconds the
condition flips on and off, the scheduler places pods on the node in
between and the kubelet evicts them again. In a config file ``0s`` is not
"zero": the field is replaced by the 5m default, so only explicit small,
non-zero values (or a ``--eviction-pressure-transition-period=0s`` flag,
which is kept as zero) are reported.

Fails:
    evictionPressureTransitionPeriod: 10s
Passes:
    evictionPressureTransitionPeriod: 1m
Fix: none automatic; use at least 30s (the default is 5m).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.types import Duration, ValueSyntaxError

FIELD = "evictionPressureTransitionPeriod"
SHORTEST_STABLE_PERIOD = Duration.parse("30s")


def effective_period(view: KubeletView) -> Duration | None:
    """The period the kubelet runs with. The defaulter turns a zero from a
    file into 5m, but flags are applied after defaulting and keep a zero."""
    if view.origin_kind(FIELD) == "flag":
        raw = view.raw(FIELD)
        if isinstance(raw, str):
            try:
                return Duration.parse(raw)
            except ValueSyntaxError:
                return None
    value = view.get(FIELD)
    return value if isinstance(value, Duration) else None


def check(view: KubeletView) -> Iterator[Finding]:
    if not view.is_set(FIELD):
        return
    period = effective_period(view)
    if period is None or period >= SHORTEST_STABLE_PERIOD:
        return
    effect = ("the pressure condition is cleared as soon as usage is back under the threshold"
              if period.nanoseconds <= 0 else f"a pressure condition is cleared {period} after the threshold was last crossed")
    yield Finding(
        view.where(FIELD),
        f"{FIELD} {period}: {effect}, so MemoryPressure/DiskPressure and their taints flap on and "
        "off, and pods scheduled in between are evicted again",
        hint=f"use at least {SHORTEST_STABLE_PERIOD} (default 5m)",
    )


RULE = define(__doc__, code="KL309", name="pressure-transition-too-short", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check)
