"""Graceful node shutdown periods that contradict each other.

Why: with ``GracefulNodeShutdown`` on (the default since 1.21) the kubelet
refuses to start when ``shutdownGracePeriodCriticalPods`` is longer than
``shutdownGracePeriod`` (the critical pods' share is part of the total),
and with ``GracefulNodeShutdownBasedOnPodPriority`` on (default since 1.24)
when ``shutdownGracePeriodByPodPriority`` is combined with either of the two
periods: the priority list replaces them.

Fails:
    shutdownGracePeriod: 10s
    shutdownGracePeriodCriticalPods: 30s
Passes:
    shutdownGracePeriod: 30s
    shutdownGracePeriodCriticalPods: 10s
Fix: none automatic.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.types import Duration
from kubelint.rules.validity._support import REFUSES, gate_enabled

TOTAL, CRITICAL = "shutdownGracePeriod", "shutdownGracePeriodCriticalPods"
BY_PRIORITY = "shutdownGracePeriodByPodPriority"


def _duration(view: KubeletView, path: str) -> Duration:
    value = view.get(path)
    return value if isinstance(value, Duration) else Duration(0)


def _critical_longer_than_total(view: KubeletView) -> Iterator[Finding]:
    total, critical = _duration(view, TOTAL), _duration(view, CRITICAL)
    if critical <= total:
        return
    related = (Related(view.where(TOTAL), f"{TOTAL}: {total}"),) if view.is_set(TOTAL) else ()
    where = "" if view.is_set(TOTAL) else f" ({TOTAL} is the {view.describe(TOTAL)})"
    yield Finding(view.where(CRITICAL),
                  f"{REFUSES}: shutdownGracePeriodCriticalPods {{{critical}}} must be <= shutdownGracePeriod "
                  f"{{{total}}}{where}; the critical pods' time is part of the total, e.g. "
                  f"{TOTAL}: 30s with {CRITICAL}: 10s", related=related)


def _priority_list_with_periods(view: KubeletView) -> Iterator[Finding]:
    by_priority = view.get(BY_PRIORITY)
    if not isinstance(by_priority, list) or not by_priority:
        return
    periods = [path for path in (TOTAL, CRITICAL) if _duration(view, path).nanoseconds > 0]
    if not periods:
        return
    related = tuple(Related(view.where(path), f"{path}: {_duration(view, path)}") for path in periods)
    yield Finding(view.where(BY_PRIORITY, key=True),
                  f"{REFUSES}: Cannot specify both shutdownGracePeriodByPodPriority and shutdownGracePeriod at "
                  f"the same time; remove {' and '.join(periods)} (or set them to 0s) and keep the priority list",
                  related=related)


def check(view: KubeletView) -> Iterator[Finding]:
    if not gate_enabled(view, "GracefulNodeShutdown"):
        return
    yield from _critical_longer_than_total(view)
    if gate_enabled(view, "GracefulNodeShutdownBasedOnPodPriority"):
        yield from _priority_list_with_periods(view)


RULE = define(__doc__, code="KL108", name="shutdown-grace-period-conflict", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
