"""Numbers and durations outside the range the kubelet accepts.

Why: ``ValidateKubeletConfiguration`` (and, for a few fields, the kubelet's
startup code) checks the sign or range of many settings and refuses to start
when one is off: negative QPS and burst values, ports outside 1..65535,
``oomScoreAdj`` outside -1000..1000, iptables bits outside 0..31,
``containerLogMaxFiles`` of 1, a ``containerLogMonitorInterval`` under 3s,
``memoryThrottlingFactor`` outside (0, 1], negative durations, and, with
their feature gates on, ``cpuCFSQuotaPeriod`` outside 1ms..1s, shutdown
grace periods under one second and a crash-loop back-off cap outside
1s..300s. The check runs after defaulting, so a YAML ``0`` on a field the
kubelet defaults (``maxPods: 0`` means 110) is fine; pointer fields keep an
explicit 0 (``healthzPort: 0`` disables healthz, which is allowed).

Fails:
    maxPods: -1
    containerLogMaxFiles: 1
    oomScoreAdj: -1001
Passes:
    maxPods: 0
    containerLogMaxFiles: 5
    oomScoreAdj: -999
Fix: none automatic (the right number is the owner's call); the message
says which range the kubelet accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Final

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.types import Duration
from kubelint.records import Record
from kubelint.rules.validity._support import REFUSES, as_int, gate_enabled, gate_state

Version = tuple[int, int]
SECOND = 1_000_000_000
MILLISECOND = 1_000_000


class Bound(Record):
    """One range check: ``invalid`` gets the effective (defaulted) value."""

    __slots__ = ("advice", "flag", "gate", "invalid", "path", "refused_since", "requirement")
    path: Final[str]
    flag: Final[str | None]
    invalid: Final[Callable[[Any], bool]]
    requirement: Final[str]
    advice: Final[str]
    gate: Final[str | None]  # checked only while this gate is on
    # first minor whose kubelet refuses the value; older ones accept it (warning)
    refused_since: Final[Version | None]

    def __init__(self, path: str, flag: str | None, invalid: Callable[[Any], bool], requirement: str, advice: str,
                 gate: str | None = None, refused_since: Version | None = None) -> None:
        self.path = path
        self.flag = flag
        self.invalid = invalid
        self.requirement = requirement
        self.advice = advice
        self.gate = gate
        self.refused_since = refused_since


def _negative(value: Any) -> bool:
    number = as_int(value)
    return number is not None and number < 0


def _outside(low: int, high: int, *, zero_allowed: bool = False) -> Callable[[Any], bool]:
    def invalid(value: Any) -> bool:
        number = as_int(value)
        if number is None or (zero_allowed and number == 0):
            return False
        return not low <= number <= high

    return invalid


def _below(minimum: int) -> Callable[[Any], bool]:
    def invalid(value: Any) -> bool:
        number = as_int(value)
        return number is not None and number < minimum

    return invalid


def _duration_below(nanoseconds: int) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, Duration) and value.nanoseconds < nanoseconds


def _duration_outside(low: int, high: int) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, Duration) and not low <= value.nanoseconds <= high


def _zero_or_at_least_a_second(value: Any) -> bool:
    return isinstance(value, Duration) and (value.nanoseconds < 0 or 0 < value.nanoseconds < SECOND)


def _throttling_factor_invalid(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and not 0 < value <= 1.0


NOT_NEGATIVE = "must not be a negative number"
PORT = "must be between 1 and 65535, inclusive"

BOUNDS: tuple[Bound, ...] = (
    Bound("nodeLeaseDurationSeconds", None, _below(1), "must be greater than 0",
          "use a positive number of seconds, or 0 for the default of 40"),
    Bound("eventBurst", "event-burst", _negative, NOT_NEGATIVE, "use 0 for the default of 100, or a positive burst"),
    Bound("eventRecordQPS", "event-qps", _negative, NOT_NEGATIVE, "use a positive rate (0 means no limit)"),
    Bound("healthzPort", "healthz-port", _outside(1, 65535, zero_allowed=True), PORT,
          "use a port between 1 and 65535, or 0 to disable the healthz endpoint"),
    Bound("iptablesDropBit", "iptables-drop-bit", _outside(0, 31), "must be between 0 and 31, inclusive",
          "use a bit between 0 and 31 (default 15), or remove the deprecated field"),
    Bound("iptablesMasqueradeBit", "iptables-masquerade-bit", _outside(0, 31),
          "must be between 0 and 31, inclusive",
          "use a bit between 0 and 31 (default 14), or remove the deprecated field"),
    Bound("kubeAPIBurst", "kube-api-burst", _negative, NOT_NEGATIVE, "use 0 for the default of 100, or a positive burst"),
    Bound("kubeAPIQPS", "kube-api-qps", _negative, NOT_NEGATIVE, "use a positive rate (default 50)"),
    Bound("nodeStatusMaxImages", "node-status-max-images", _below(-1), "must be -1 or greater",
          "use -1 for no cap, 0 to report no images, or a positive cap (default 50)"),
    Bound("maxOpenFiles", "max-open-files", _negative, NOT_NEGATIVE, "use 0 for the default of 1000000, or a positive number"),
    Bound("maxPods", "max-pods", _negative, NOT_NEGATIVE, "use 0 for the default of 110, or a positive number"),
    Bound("oomScoreAdj", "oom-score-adj", _outside(-1000, 1000), "must be between -1000 and 1000, inclusive",
          "use a score between -1000 and 1000 (default -999)"),
    Bound("podsPerCore", "pods-per-core", _negative, NOT_NEGATIVE, "use 0 for no per-core limit, or a positive number"),
    Bound("port", "port", _outside(1, 65535), PORT, "use a port between 1 and 65535 (default 10250)"),
    Bound("readOnlyPort", "read-only-port", _outside(1, 65535, zero_allowed=True),
          "must be between 0 and 65535, inclusive", "use 0 to disable the read-only port (recommended)"),
    Bound("registryBurst", "registry-burst", _negative, NOT_NEGATIVE, "use 0 for the default of 10, or a positive burst"),
    Bound("registryPullQPS", "registry-qps", _negative, NOT_NEGATIVE, "use a positive rate (0 means no limit)"),
    Bound("maxParallelImagePulls", None, _below(1), "must be a positive number",
          "use 1 or more, or remove the field for no limit"),
    Bound("containerLogMaxWorkers", None, _below(1), "must be greater than or equal to 1",
          "use 1 (the default) or more workers"),
    Bound("containerLogMonitorInterval", None, _duration_below(3 * SECOND),
          "must be a positive time duration greater than or equal to 3s", "use 3s or more (default 10s)"),
    Bound("containerLogMaxFiles", None, _below(2), "must be greater than 1", "keep at least 2 files (default 5)"),
    Bound("memoryThrottlingFactor", None, _throttling_factor_invalid,
          "must be greater than 0 and less than or equal to 1.0", "use a factor in (0, 1] (default 0.9)"),
    Bound("syncFrequency", None, _duration_below(1), "is invalid: the sync frequency must be positive",
          "use a positive duration, or 0s for the default of 1m"),
    Bound("cpuCFSQuotaPeriod", "cpu-cfs-quota-period", _duration_outside(MILLISECOND, 1000 * MILLISECOND),
          "must be between 1ms and 1sec, inclusive", "use a period between 1ms and 1s (default 100ms)",
          gate="CustomCPUCFSQuotaPeriod"),
    Bound("imageMinimumGCAge", None, _duration_below(0), "must not be negative",
          "use a positive age, or 0s for the default of 2m", refused_since=(1, 36)),
    Bound("imageMaximumGCAge", None, _duration_below(0), "must not be negative",
          "use 0s to disable the maximum age, or a positive age"),
    Bound("draManagerReconcilePeriod", None, _duration_below(0), "must be greater than zero",
          "use a positive period (default 60s)"),
    Bound("shutdownGracePeriod", None, _zero_or_at_least_a_second, "must be either zero or otherwise >= 1 sec",
          "use 0s to disable graceful shutdown, or 1s or more",
          gate="GracefulNodeShutdown"),
    Bound("shutdownGracePeriodCriticalPods", None, _zero_or_at_least_a_second,
          "must be either zero or otherwise >= 1 sec", "use 0s, or 1s or more",
          gate="GracefulNodeShutdown"),
    Bound("crashLoopBackOff.maxContainerRestartPeriod", None, _duration_outside(SECOND, 300 * SECOND),
          "must be set between 1s and 300s", "use a cap between 1s and 300s (default 300s)",
          gate="KubeletCrashLoopBackOffMax"),
)


def _shown(view: KubeletView, path: str, value: Any) -> str:
    if isinstance(value, Duration):
        raw = view.raw(path)
        return str(raw) if isinstance(raw, str) else str(value)
    return str(value)


def _finding(view: KubeletView, bound: Bound, value: Any) -> Finding:
    flag = f" (--{bound.flag})" if bound.flag else ""
    fragment = f"{bound.path}{flag} {_shown(view, bound.path, value)} {bound.requirement}"
    severity = None
    if bound.refused_since is not None and view.version < bound.refused_since:
        since = f"{bound.refused_since[0]}.{bound.refused_since[1]}"
        message = f"{fragment}: the {view.version[0]}.{view.version[1]} kubelet still accepts it, kubelets from {since} on refuse to start"
        severity = Severity.WARNING
    else:
        message = f"{REFUSES}: {fragment}"
    if bound.gate is not None:
        message += f" (checked because {gate_state(view, bound.gate)})"
    return Finding(view.where(bound.path), f"{message}; {bound.advice}", severity=severity)


def check(view: KubeletView) -> Iterator[Finding]:
    for bound in BOUNDS:
        value = view.get(bound.path)
        if value is None or not bound.invalid(value):
            continue
        if bound.gate is not None and not gate_enabled(view, bound.gate):
            continue
        yield _finding(view, bound, value)


RULE = define(__doc__, code="KL102", name="value-out-of-range", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
