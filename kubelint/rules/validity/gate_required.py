"""A setting is used while the feature gate it needs is off.

Why: the kubelet refuses to start when a field that belongs to a feature is
set while the feature's gate is off. Gate defaults depend on the release:
``cpuCFSQuotaPeriod`` other than 100ms needs ``CustomCPUCFSQuotaPeriod``
(alpha, off in every release), ``enableSystemLogQuery`` needs
``NodeLogQuery`` (beta but off), ``crashLoopBackOff.maxContainerRestartPeriod``
needs ``KubeletCrashLoopBackOffMax`` (off before 1.35), and switching a
beta gate off (``GracefulNodeShutdown: false``) makes its fields invalid.
Covered: cpuCFSQuotaPeriod, imageMaximumGCAge, shutdownGracePeriod(+CriticalPods),
shutdownGracePeriodByPodPriority, crashLoopBackOff, serverTLSBootstrap,
enableSystemLogQuery, memorySwap, imagePullCredentialsVerificationPolicy,
preloadedImagesVerificationAllowlist, memoryReservationPolicy:
TieredReservation, cpuManagerPolicyOptions, topologyManagerPolicyOptions,
logging split-stream options and tracing.

Fails:
    cpuCFSQuotaPeriod: 50ms
Passes:
    cpuCFSQuotaPeriod: 50ms
    featureGates:
      CustomCPUCFSQuotaPeriod: true
Fix: none automatic: either enable the gate (alpha gates are not for
production) or remove the setting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Final

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.types import Duration, Quantity
from kubelint.records import Record
from kubelint.rules.validity._support import REFUSES, gate_arrives_in, gate_enabled, gate_state, version_text

HUNDRED_MS = Duration.parse("100ms")


class Requirement(Record):
    """``path`` counts as used when ``used(effective value, view, path)`` holds."""

    __slots__ = ("fragment", "gate", "path", "used")
    gate: Final[str]
    path: Final[str]
    used: Final[Callable[[Any, KubeletView, str], bool]]
    fragment: Final[str]

    def __init__(self, gate: str, path: str, used: Callable[[Any, KubeletView, str], bool], fragment: str) -> None:
        self.gate = gate
        self.path = path
        self.used = used
        self.fragment = fragment


def _nonzero_duration(value: Any, _view: KubeletView, _path: str) -> bool:
    return isinstance(value, Duration) and value.nanoseconds != 0


def _positive_duration(value: Any, _view: KubeletView, _path: str) -> bool:
    return isinstance(value, Duration) and value.nanoseconds > 0


def _not_default_period(value: Any, _view: KubeletView, _path: str) -> bool:
    return isinstance(value, Duration) and value != HUNDRED_MS


def _true(value: Any, _view: KubeletView, _path: str) -> bool:
    return value is True


def _non_empty(value: Any, _view: KubeletView, _path: str) -> bool:
    return bool(value) and not isinstance(value, bool)


def _explicit(_value: Any, view: KubeletView, path: str) -> bool:
    return view.is_set(path)


def _explicit_non_empty(value: Any, view: KubeletView, path: str) -> bool:
    return view.is_set(path) and bool(value)


def _nonzero_quantity(value: Any, _view: KubeletView, _path: str) -> bool:
    return isinstance(value, Quantity) and value.value != 0


def _equals(expected: str) -> Callable[[Any, KubeletView, str], bool]:
    return lambda value, _view, _path: value == expected


def _any_tracing(value: Any, view: KubeletView, _path: str) -> bool:
    # the gate check was dropped once KubeletTracing went GA (locked on) in 1.34
    return view.is_set("tracing") and view.version < (1, 34)


SHUTDOWN = "specifying shutdownGracePeriod or shutdownGracePeriodCriticalPods requires feature gate GracefulNodeShutdown"
ENSURE_PULLED = "KubeletEnsureSecretPulledImages"

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("CustomCPUCFSQuotaPeriod", "cpuCFSQuotaPeriod", _not_default_period,
                "cpuCFSQuotaPeriod (--cpu-cfs-quota-period) {value} requires feature gate CustomCPUCFSQuotaPeriod"),
    Requirement("ImageMaximumGCAge", "imageMaximumGCAge", _nonzero_duration,
                "ImageMaximumGCAge feature gate is required for Kubelet configuration option imageMaximumGCAge"),
    Requirement("GracefulNodeShutdown", "shutdownGracePeriod", _positive_duration, SHUTDOWN),
    Requirement("GracefulNodeShutdown", "shutdownGracePeriodCriticalPods", _positive_duration, SHUTDOWN),
    Requirement("GracefulNodeShutdownBasedOnPodPriority", "shutdownGracePeriodByPodPriority", _non_empty,
                "Specifying shutdownGracePeriodByPodPriority requires feature gate "
                "GracefulNodeShutdownBasedOnPodPriority"),
    Requirement("KubeletCrashLoopBackOffMax", "crashLoopBackOff.maxContainerRestartPeriod", _explicit,
                "FeatureGate KubeletCrashLoopBackOffMax not enabled, CrashLoopBackOff.MaxContainerRestartPeriod "
                "must not be set"),
    Requirement("RotateKubeletServerCertificate", "serverTLSBootstrap", _true,
                "serverTLSBootstrap true requires feature gate RotateKubeletServerCertificate"),
    Requirement("NodeLogQuery", "enableSystemLogQuery", _true,
                "NodeLogQuery feature gate is required for enableSystemLogQuery"),
    Requirement("NodeSwap", "memorySwap.swapBehavior", _non_empty,
                "memorySwap.swapBehavior cannot be set when NodeSwap feature flag is disabled"),
    Requirement(ENSURE_PULLED, "imagePullCredentialsVerificationPolicy", _explicit_non_empty,
                "`imagePullCredentialsVerificationPolicy` must not be set if KubeletEnsureSecretPulledImages "
                "feature gate is not enabled"),
    Requirement(ENSURE_PULLED, "preloadedImagesVerificationAllowlist", _non_empty,
                "`preloadedImagesVerificationAllowlist` must not be set if KubeletEnsureSecretPulledImages "
                "feature gate is not enabled"),
    Requirement("MemoryQoS", "memoryReservationPolicy", _equals("TieredReservation"),
                'memoryReservationPolicy "TieredReservation" requires MemoryQoS feature gate to be enabled'),
    Requirement("CPUManagerPolicyOptions", "cpuManagerPolicyOptions", _non_empty,
                'CPU Manager policy options require feature gates "CPUManager", "CPUManagerPolicyOptions" enabled'),
    Requirement("TopologyManagerPolicyOptions", "topologyManagerPolicyOptions", _non_empty,
                'topology manager policy options require feature gates "TopologyManagerPolicyOptions" enabled'),
    Requirement("LoggingAlphaOptions", "logging.options.text.splitStream", _true,
                "logging.options.text.splitStream: Forbidden: Feature LoggingAlphaOptions is disabled"),
    Requirement("LoggingAlphaOptions", "logging.options.text.infoBufferSize", _nonzero_quantity,
                "logging.options.text.infoBufferSize: Forbidden: Feature LoggingAlphaOptions is disabled"),
    Requirement("LoggingAlphaOptions", "logging.options.json.splitStream", _true,
                "logging.options.json.splitStream: Forbidden: Feature LoggingAlphaOptions is disabled"),
    Requirement("LoggingAlphaOptions", "logging.options.json.infoBufferSize", _nonzero_quantity,
                "logging.options.json.infoBufferSize: Forbidden: Feature LoggingAlphaOptions is disabled"),
    Requirement("KubeletTracing", "tracing", _any_tracing,
                "tracing should not be configured if KubeletTracing feature flag is disabled."),
)


def _shown(view: KubeletView, path: str) -> str:
    raw = view.raw(path)
    return str(raw) if isinstance(raw, str | int | float) else str(view.get(path))


def _too_new(view: KubeletView, requirement: Requirement, arrives: str) -> Finding:
    # the target kubelet predates the feature: it does not know the field and ignores it
    return Finding(view.where(requirement.path, key=True),
                   f"{requirement.path} belongs to a feature that arrives in {arrives} (feature gate "
                   f"{requirement.gate}); the {version_text(view)} kubelet does not know it and ignores it",
                   severity=Severity.WARNING)


def check(view: KubeletView) -> Iterator[Finding]:
    for requirement in REQUIREMENTS:
        # the gate first: about half are on by default, and then the value does not matter
        if gate_enabled(view, requirement.gate):
            continue
        value = view.get(requirement.path)
        if value is None or not requirement.used(value, view, requirement.path):
            continue
        arrives = gate_arrives_in(view, requirement.gate)
        if arrives is not None:
            yield _too_new(view, requirement, arrives)
            continue
        fragment = requirement.fragment.format(value=_shown(view, requirement.path))
        message = (f"{REFUSES}: {fragment} ({gate_state(view, requirement.gate)}); "
                   f"enable the gate or remove {requirement.path}")
        yield Finding(view.where(requirement.path, key=True), message,
                      hint=f"to enable it: featureGates: {{{requirement.gate}: true}}")


RULE = define(__doc__, code="KL106", name="feature-gate-required", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
