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
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def set_path(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        child = data.get(part)
        if not isinstance(child, dict):
            child = {}
            data[part] = child
        data = child
    data[path[-1]] = value


def defaults_for(
    explicit: dict[str, Any], version: Version, *, legacy_flags: bool, gates: dict[str, bool],
    keep_zero: set[FieldPath] | frozenset[FieldPath] = frozenset(),
) -> dict[FieldPath, Any]:
    """The default values the kubelet would add to the typed ``explicit`` data.

    ``explicit`` holds the typed values the user set (nested dicts keyed by
    JSON names); the result maps each defaulted field path to its value.
    """
    filled: dict[FieldPath, Any] = {}
    for rule in DEFAULTS:
        current = get_path(explicit, rule.path)
        absent = current is None
        if absent or (rule.when == "zero" and is_zero(current) and rule.path not in keep_zero):
            value = rule.value(version)
            if legacy_flags and rule.path in LEGACY:
                value = LEGACY[rule.path]
            filled[rule.path] = value
    pids = get_path(explicit, ("podPidsLimit",))
    if pids is None or (isinstance(pids, int) and pids < 0):
        filled[("podPidsLimit",)] = -1
    report = get_path(explicit, ("nodeStatusReportFrequency",))
    if is_zero(report):
        update = get_path(explicit, ("nodeStatusUpdateFrequency",))
        filled[("nodeStatusReportFrequency",)] = update if not is_zero(update) else _d("5m")
    if get_path(explicit, ("serializeImagePulls",)) is None:
        parallel = get_path(explicit, ("maxParallelImagePulls",))
        filled[("serializeImagePulls",)] = not (isinstance(parallel, int) and parallel >= 2)
    if gates.get("KubeletCrashLoopBackOffMax") and get_path(
        explicit, ("crashLoopBackOff", "maxContainerRestartPeriod")
    ) is None:
        filled[("crashLoopBackOff", "maxContainerRestartPeriod")] = _d("300s")
    if gates.get("KubeletEnsureSecretPulledImages") and not get_path(
        explicit, ("imagePullCredentialsVerificationPolicy",)
    ):
        filled[("imagePullCredentialsVerificationPolicy",)] = "NeverVerifyPreloadedImages"
    if get_path(explicit, ("evictionHard",)) is None:
        filled[("evictionHard",)] = default_eviction_hard(version)
    return filled
