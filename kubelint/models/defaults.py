"""What the kubelet fills in before it validates a configuration.

Two kinds of defaulting (kubelet-config.md §4.2): non-pointer Go fields are
replaced when they hold their zero value (a YAML ``0``, ``""`` or ``0s``),
pointer fields only when absent. Getting this right is what keeps kubelint
from reporting ``maxPods: 0`` (which means 110) or missing
``imageGCHighThresholdPercent: 80`` colliding with the default low of 80.

Without a ``--config`` file the kubelet starts from its legacy flag defaults
(anonymous auth on, AlwaysAllow, read-only port 10255): see ``LEGACY``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, Final

from kubelint.models.types import Duration, Quantity
from kubelint.records import Record

Version = tuple[int, int]
FieldPath = tuple[str, ...]


def _d(text: str) -> Duration:
    return Duration.parse(text)


class DefaultRule(Record):
    __slots__ = ("path", "value", "when")
    path: Final[FieldPath]
    value: Final[Callable[[Version], Any]]
    # "zero": replaced when absent or zero (Go non-pointer field);
    # "unset": replaced only when absent (Go pointer field).
    when: Final[str]

    def __init__(self, path: FieldPath, value: Callable[[Version], Any], when: str = "zero") -> None:
        self.path = path
        self.value = value
        self.when = when


def _const(value: Any) -> Callable[[Version], Any]:
    return lambda _version: value


def _rule(path: str, value: Any, when: str = "zero") -> DefaultRule:
    return DefaultRule(tuple(path.split(".")), _const(value), when)


DEFAULTS: tuple[DefaultRule, ...] = (
    _rule("enableServer", True, "unset"),
    _rule("podLogsDir", "/var/log/pods"),
    _rule("syncFrequency", _d("1m")),
    _rule("fileCheckFrequency", _d("20s")),
    _rule("httpCheckFrequency", _d("20s")),
    _rule("address", "0.0.0.0"),
    _rule("port", 10250),
    _rule("authentication.anonymous.enabled", False, "unset"),
    _rule("authentication.webhook.enabled", True, "unset"),
    _rule("authentication.webhook.cacheTTL", _d("2m")),
    _rule("authorization.mode", "Webhook"),
    _rule("authorization.webhook.cacheAuthorizedTTL", _d("5m")),
    _rule("authorization.webhook.cacheUnauthorizedTTL", _d("30s")),
    _rule("registryPullQPS", 5, "unset"),
    _rule("registryBurst", 10),
    # 50/100 today; third-party notes put 5/10 up to ~1.26 (kubelet-config.md §4.1)
    DefaultRule(("eventRecordQPS",), lambda v: 50 if v >= (1, 27) else 5, "unset"),
    DefaultRule(("eventBurst",), lambda v: 100 if v >= (1, 27) else 10),
    _rule("enableDebuggingHandlers", True, "unset"),
    _rule("healthzPort", 10248, "unset"),
    _rule("healthzBindAddress", "127.0.0.1"),
    _rule("oomScoreAdj", -999, "unset"),
    _rule("streamingConnectionIdleTimeout", _d("4h")),
    _rule("nodeStatusUpdateFrequency", _d("10s")),
    _rule("nodeLeaseDurationSeconds", 40),
    _rule("imageMinimumGCAge", _d("2m")),
    _rule("imageMaximumGCAge", _d("0s"), "unset"),
    _rule("imageGCHighThresholdPercent", 85, "unset"),
    _rule("imageGCLowThresholdPercent", 80, "unset"),
    _rule("volumeStatsAggPeriod", _d("1m")),
    _rule("cgroupsPerQOS", True, "unset"),
    _rule("cgroupDriver", "cgroupfs"),
    _rule("cpuManagerPolicy", "none"),
    _rule("cpuManagerReconcilePeriod", _d("10s")),
    _rule("memoryManagerPolicy", "None"),
    _rule("topologyManagerPolicy", "none"),
    _rule("topologyManagerScope", "container"),
    _rule("runtimeRequestTimeout", _d("2m")),
    _rule("hairpinMode", "promiscuous-bridge"),
    _rule("maxPods", 110),
    _rule("resolvConf", "/etc/resolv.conf", "unset"),
    _rule("cpuCFSQuota", True, "unset"),
    _rule("cpuCFSQuotaPeriod", _d("100ms"), "unset"),
    _rule("nodeStatusMaxImages", 50, "unset"),
    _rule("maxOpenFiles", 1_000_000),
    _rule("contentType", "application/vnd.kubernetes.protobuf"),
    _rule("kubeAPIQPS", 50, "unset"),
    _rule("kubeAPIBurst", 100),
    _rule("evictionPressureTransitionPeriod", _d("5m")),
    _rule("evictionMaxPodGracePeriod", 0, "unset"),
    _rule("mergeDefaultEvictionSettings", False, "unset"),
    _rule("podsPerCore", 0, "unset"),
    _rule("enableControllerAttachDetach", True, "unset"),
    _rule("protectKernelDefaults", False, "unset"),
    _rule("makeIPTablesUtilChains", True, "unset"),
    _rule("iptablesMasqueradeBit", 14, "unset"),
    _rule("iptablesDropBit", 15, "unset"),
    _rule("failSwapOn", True, "unset"),
    _rule("containerLogMaxSize", Quantity.parse("10Mi")),
    _rule("containerLogMaxFiles", 5, "unset"),
    _rule("containerLogMaxWorkers", 1, "unset"),
    _rule("containerLogMonitorInterval", _d("10s"), "unset"),
    _rule("configMapAndSecretChangeDetectionStrategy", "Watch"),
    _rule("enforceNodeAllocatable", ["pods"], "unset"),
    _rule("volumePluginDir", "/usr/libexec/kubernetes/kubelet-plugins/volume/exec/"),
    _rule("logging.format", "text"),
    _rule("logging.flushFrequency", _d("5s")),
    _rule("enableSystemLogHandler", True, "unset"),
    _rule("enableProfilingHandler", True, "unset"),
    _rule("enableDebugFlagsHandler", True, "unset"),
    _rule("seccompDefault", False, "unset"),
    _rule("memoryThrottlingFactor", 0.9, "unset"),
    _rule("registerNode", True, "unset"),
    _rule("localStorageCapacityIsolation", True, "unset"),
    _rule("containerRuntimeEndpoint", "unix:///run/containerd/containerd.sock"),
    _rule("rotateCertificates", False, "unset"),
    _rule("serverTLSBootstrap", False, "unset"),
    _rule("readOnlyPort", 0, "unset"),
    _rule("shutdownGracePeriod", _d("0s"), "unset"),
    _rule("shutdownGracePeriodCriticalPods", _d("0s"), "unset"),
    # failCgroupV1 flipped to true in 1.35 (kubernetes PR #134298)
    DefaultRule(("failCgroupV1",), lambda v: v >= (1, 35), "unset"),
)

# applyLegacyDefaults in cmd/kubelet/app/options/options.go: what the kubelet
# runs with when no --config file is given.
LEGACY: dict[FieldPath, Any] = {
    ("authentication", "anonymous", "enabled"): True,
    ("authentication", "webhook", "enabled"): False,
    ("authorization", "mode"): "AlwaysAllow",
    ("readOnlyPort",): 10255,
}

# Linux default evictionHard (kubelet-config.md §5.4): imagefs.inodesFree
# joined in PR #121834 (1.30).
def default_eviction_hard(version: Version) -> dict[str, str]:
    hard = {
        "memory.available": "100Mi",
        "nodefs.available": "10%",
        "nodefs.inodesFree": "5%",
        "imagefs.available": "15%",
    }
    if version >= (1, 30):
        hard["imagefs.inodesFree"] = "5%"
    return hard


def is_zero(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, Duration):
        return value.nanoseconds == 0
    if isinstance(value, Quantity):
        return value.value == 0
    if isinstance(value, bool):
        return value is False
    return value in (0, "", 0.0)


def get_path(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)  # a missing key ends as None on the next step, or here
    return data


def set_path(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        child = data.get(part)
        if not isinstance(child, dict):
            child = {}
            data[part] = child
        data = child
    data[path[-1]] = value


@lru_cache(maxsize=64)
def _defaults_plan(version: Version, legacy_flags: bool) -> tuple[dict[FieldPath, Any],
                                                                  dict[str, tuple[DefaultRule, ...]]]:
    """What ``DEFAULTS`` fills in when nothing is set, and its rules by top-level field.

    A config sets a third of the fields: ``defaults_for`` starts from every
    default and takes back those of the fields that are set (in the table's
    order either way). Depends only on the version and the legacy switch.
    """
    every: dict[FieldPath, Any] = {}
    by_field: dict[str, list[DefaultRule]] = {}
    for rule in DEFAULTS:
        value = rule.value(version)
        if legacy_flags and rule.path in LEGACY:
            value = LEGACY[rule.path]
        every[rule.path] = value
        by_field.setdefault(rule.path[0], []).append(rule)
    if len(every) != len(DEFAULTS):
        raise ValueError("DEFAULTS names a field twice")  # taking back one default would drop the other
    return every, {name: tuple(rules) for name, rules in by_field.items()}


_REPORT_FREQUENCY = _d("5m")
_MAX_CONTAINER_RESTART_PERIOD = _d("300s")


def defaults_for(
    explicit: dict[str, Any], version: Version, *, legacy_flags: bool, gates: dict[str, bool],
    keep_zero: set[FieldPath] | frozenset[FieldPath] = frozenset(),
) -> dict[FieldPath, Any]:
    """The default values the kubelet would add to the typed ``explicit`` data.

    ``explicit`` holds the typed values the user set (nested dicts keyed by
    JSON names); the result maps each defaulted field path to its value.
    """
    every, by_field = _defaults_plan(version, legacy_flags)
    filled = dict(every)
    for name in explicit:
        for rule in by_field.get(name, ()):
            current = get_path(explicit, rule.path)
            if current is None or (rule.when == "zero" and is_zero(current) and rule.path not in keep_zero):
                continue
            del filled[rule.path]
    pids = explicit.get("podPidsLimit")
    if pids is None or (isinstance(pids, int) and pids < 0):
        filled[("podPidsLimit",)] = -1
    report = explicit.get("nodeStatusReportFrequency")
    if is_zero(report):
        update = explicit.get("nodeStatusUpdateFrequency")
        filled[("nodeStatusReportFrequency",)] = update if not is_zero(update) else _REPORT_FREQUENCY
    if explicit.get("serializeImagePulls") is None:
        parallel = explicit.get("maxParallelImagePulls")
        filled[("serializeImagePulls",)] = not (isinstance(parallel, int) and parallel >= 2)
    if gates.get("KubeletCrashLoopBackOffMax") and get_path(
        explicit, ("crashLoopBackOff", "maxContainerRestartPeriod")
    ) is None:
        filled[("crashLoopBackOff", "maxContainerRestartPeriod")] = _MAX_CONTAINER_RESTART_PERIOD
    if gates.get("KubeletEnsureSecretPulledImages") and not explicit.get("imagePullCredentialsVerificationPolicy"):
        filled[("imagePullCredentialsVerificationPolicy",)] = "NeverVerifyPreloadedImages"
    if explicit.get("evictionHard") is None:
        filled[("evictionHard",)] = default_eviction_hard(version)
    return filled
