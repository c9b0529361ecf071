"""KubeletConfiguration ``kubelet.config.k8s.io/v1beta1``: every field.

Attribute names are the JSON/YAML names, so a field path in a message, a
provenance record or a schema reads exactly like the file. Every field is
optional: ``None`` means "not set", and ``kubelint.models.defaults`` fills in
what the kubelet would. Enumerations are not enforced here (the kubelet
decodes any string and rejects bad values later, in validation); the enum
rules report them with better messages. They are in the schema for editors.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from kubelint.models.fields import (
    Bool,
    Float,
    FlushDuration,
    GoDuration,
    Int32,
    Int64,
    QuantityValue,
    Str,
    UInt32,
)
from kubelint.models.kubelet_fields import API_VERSION as API_VERSION  # defined without pydantic
from kubelint.models.kubelet_fields import KIND as KIND


def _enum(*values: str) -> Any:
    return {"enum": list(values)}


class _Struct(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=False, populate_by_name=True)


class X509Authentication(_Struct):
    clientCAFile: Str | None = Field(None, description="PEM bundle of CAs whose client certificates are accepted (--client-ca-file).")


class WebhookAuthentication(_Struct):
    enabled: Bool | None = Field(None, description="Authenticate bearer tokens with the TokenReview API. Config default true; flag default false.")
    cacheTTL: GoDuration | None = Field(None, description="How long to cache webhook authentication results. Default 2m.")


class AnonymousAuthentication(_Struct):
    enabled: Bool | None = Field(None, description="Allow anonymous requests to the kubelet API. Config default false; flag default true.")


class KubeletAuthentication(_Struct):
    x509: X509Authentication | None = None
    webhook: WebhookAuthentication | None = None
    anonymous: AnonymousAuthentication | None = None


class WebhookAuthorization(_Struct):
    cacheAuthorizedTTL: GoDuration | None = Field(None, description="Default 5m.")
    cacheUnauthorizedTTL: GoDuration | None = Field(None, description="Default 30s.")


class KubeletAuthorization(_Struct):
    mode: Str | None = Field(None, description="AlwaysAllow or Webhook. Config default Webhook; flag default AlwaysAllow.", json_schema_extra=_enum("AlwaysAllow", "Webhook"))
    webhook: WebhookAuthorization | None = None


class VModuleItem(_Struct):
    filePattern: Str | None = None
    verbosity: UInt32 | None = None


class LoggingStreamOptions(_Struct):
    splitStream: Bool | None = None
    infoBufferSize: QuantityValue | None = None


class LoggingOptions(_Struct):
    text: LoggingStreamOptions | None = None
    json_: LoggingStreamOptions | None = Field(None, alias="json")


class LoggingConfiguration(_Struct):
    format: Str | None = Field(None, description="Log format: text (default) or json.", json_schema_extra=_enum("text", "json"))
    flushFrequency: FlushDuration | None = Field(None, description="Maximum time between log flushes. Default 5s.")
    verbosity: UInt32 | None = Field(None, description="Log verbosity (-v).")
    vmodule: list[VModuleItem] | None = Field(None, description="Per-file verbosity (text format only).")
    options: LoggingOptions | None = None


class MemorySwapConfiguration(_Struct):
    swapBehavior: Str | None = Field(None, json_schema_extra=_enum("", "NoSwap", "LimitedSwap"))


class ShutdownGracePeriodByPodPriority(_Struct):
    priority: Int32 | None = None
    shutdownGracePeriodSeconds: Int64 | None = None


class CrashLoopBackOffConfig(_Struct):
    maxContainerRestartPeriod: GoDuration | None = Field(None, description="1s..300s; needs gate KubeletCrashLoopBackOffMax.")


class MemoryReservation(_Struct):
    numaNode: Int32 | None = None
    limits: dict[str, QuantityValue] | None = None


class Taint(_Struct):
    key: Str | None = None
    value: Str | None = None
    effect: Str | None = Field(None, json_schema_extra=_enum("NoSchedule", "PreferNoSchedule", "NoExecute"))
    timeAdded: Str | None = None


class TracingConfiguration(_Struct):
    endpoint: Str | None = Field(None, description="OTLP collector endpoint: host:port, dns://, unix:// or unix-abstract:.")
    samplingRatePerMillion: Int32 | None = Field(None, description="0..1000000.")


class UserNamespaces(_Struct):
    idsPerPod: Int64 | None = Field(None, description="Multiple of 65536, below 2^32. Default 65536.")


StringMap = dict[str, Str]


class KubeletConfiguration(_Struct):
    """Every v1beta1 field; ``None`` = not set in the file."""

    apiVersion: Str | None = None
    kind: Str | None = None
    enableServer: Bool | None = Field(None, description="Serve the kubelet's secure API. Default true.")
    staticPodPath: Str | None = Field(None, description="Directory (or file) of static pod manifests (--pod-manifest-path).")
    podLogsDir: Str | None = Field(None, description="Absolute, clean path of pod logs. Default /var/log/pods.")
    syncFrequency: GoDuration | None = Field(None, description="Maximum period between syncs of running containers. Default 1m.")
    fileCheckFrequency: GoDuration | None = Field(None, description="Static pod file check period. Default 20s.")
    httpCheckFrequency: GoDuration | None = Field(None, description="Static pod URL check period. Default 20s.")
    staticPodURL: Str | None = Field(None, description="URL of static pod manifests (--manifest-url).")
    staticPodURLHeader: dict[str, list[Str]] | None = Field(None, description="HTTP headers for staticPodURL.")
    address: Str | None = Field(None, description="IP the kubelet serves on. Default 0.0.0.0.")
    port: Int32 | None = Field(None, description="Secure API port. Default 10250.")
    readOnlyPort: Int32 | None = Field(None, description="Unauthenticated read-only port; 0 disables. Config default 0; flag default 10255.")
    tlsCertFile: Str | None = Field(None, description="Serving certificate (--tls-cert-file).")
    tlsPrivateKeyFile: Str | None = Field(None, description="Serving key (--tls-private-key-file).")
    tlsCipherSuites: list[Str] | None = Field(None, description="Allowed TLS cipher suites (Go names).")
    tlsCurvePreferences: list[Int32] | None = Field(None, description="TLS curve IDs.")
    tlsMinVersion: Str | None = Field(None, description="Minimum TLS version.", json_schema_extra=_enum("VersionTLS10", "VersionTLS11", "VersionTLS12", "VersionTLS13"))
    rotateCertificates: Bool | None = Field(None, description="Rotate the client certificate through the CSR API. Default false (kubeadm: true).")
    serverTLSBootstrap: Bool | None = Field(None, description="Request the serving certificate through the CSR API.")
    authentication: KubeletAuthentication | None = None
    authorization: KubeletAuthorization | None = None
    registryPullQPS: Int32 | None = Field(None, description="Image pull QPS; 0 = unlimited. Default 5.")
    registryBurst: Int32 | None = Field(None, description="Image pull burst. Default 10.")
    imagePullCredentialsVerificationPolicy: Str | None = Field(None, json_schema_extra=_enum("NeverVerify", "NeverVerifyPreloadedImages", "NeverVerifyAllowlistedImages", "AlwaysVerify"))
    preloadedImagesVerificationAllowlist: list[Str] | None = None
    eventRecordQPS: Int32 | None = Field(None, description="Event creation QPS; 0 = unlimited. Default 50.")
    eventBurst: Int32 | None = Field(None, description="Event burst. Default 100.")
    enableDebuggingHandlers: Bool | None = Field(None, description="exec/attach/logs/port-forward endpoints. Default true.")
    enableContentionProfiling: Bool | None = None
    healthzPort: Int32 | None = Field(None, description="Healthz port; 0 disables. Default 10248.")
    healthzBindAddress: Str | None = Field(None, description="Default 127.0.0.1.")
    oomScoreAdj: Int32 | None = Field(None, description="-1000..1000. Default -999.")
    clusterDomain: Str | None = None
    clusterDNS: list[Str] | None = Field(None, description="DNS server IPs for pods.")
    streamingConnectionIdleTimeout: GoDuration | None = Field(None, description="Deprecated, no effect. Default 4h.")
    nodeStatusUpdateFrequency: GoDuration | None = Field(None, description="Default 10s.")
    nodeStatusReportFrequency: GoDuration | None = Field(None, description="Default 5m.")
    nodeLeaseDurationSeconds: Int32 | None = Field(None, description="Default 40.")
    imageMinimumGCAge: GoDuration | None = Field(None, description="Minimum age of an unused image before GC. Default 2m.")
    imageMaximumGCAge: GoDuration | None = Field(None, description="Maximum age of an unused image; 0s disables. Needs gate ImageMaximumGCAge.")
    imageGCHighThresholdPercent: Int32 | None = Field(None, description="Disk usage % that triggers image GC; 100 disables. Default 85.")
    imageGCLowThresholdPercent: Int32 | None = Field(None, description="Disk usage % image GC frees down to. Default 80.")
    volumeStatsAggPeriod: GoDuration | None = Field(None, description="Default 1m.")
    kubeletCgroups: Str | None = None
    systemCgroups: Str | None = None
    cgroupRoot: Str | None = None
    cgroupsPerQOS: Bool | None = Field(None, description="Default true.")
    cgroupDriver: Str | None = Field(None, description="cgroupfs (default) or systemd; must match the container runtime.", json_schema_extra=_enum("cgroupfs", "systemd"))
    cpuManagerPolicy: Str | None = Field(None, description="none (default) or static.", json_schema_extra=_enum("none", "static"))
    singleProcessOOMKill: Bool | None = None
    cpuManagerPolicyOptions: StringMap | None = None
    cpuManagerReconcilePeriod: GoDuration | None = Field(None, description="Default 10s.")
    draManagerReconcilePeriod: GoDuration | None = None
    memoryManagerPolicy: Str | None = Field(None, description="None (default) or Static.", json_schema_extra=_enum("None", "Static"))
    topologyManagerPolicy: Str | None = Field(None, json_schema_extra=_enum("none", "best-effort", "restricted", "single-numa-node"))
    topologyManagerScope: Str | None = Field(None, json_schema_extra=_enum("container", "pod"))
    topologyManagerPolicyOptions: StringMap | None = None
    qosReserved: StringMap | None = None
    runtimeRequestTimeout: GoDuration | None = Field(None, description="Default 2m.")
    hairpinMode: Str | None = Field(None, json_schema_extra=_enum("promiscuous-bridge", "hairpin-veth", "none"))
    maxPods: Int32 | None = Field(None, description="Default 110.")
    podCIDR: Str | None = None
    podPidsLimit: Int64 | None = Field(None, description="Max PIDs per pod; -1 = unlimited (default).")
    resolvConf: Str | None = Field(None, description="Default /etc/resolv.conf.")
    runOnce: Bool | None = None
    cpuCFSQuota: Bool | None = None
    cpuCFSQuotaPeriod: GoDuration | None = Field(None, description="Default 100ms; other values need gate CustomCPUCFSQuotaPeriod.")
    nodeStatusMaxImages: Int32 | None = None
    maxOpenFiles: Int64 | None = None
    contentType: Str | None = None
    kubeAPIQPS: Int32 | None = None
    kubeAPIBurst: Int32 | None = None
    serializeImagePulls: Bool | None = None
    maxParallelImagePulls: Int32 | None = None
    evictionHard: StringMap | None = Field(None, description="Hard eviction thresholds: signal → quantity or percentage.")
    evictionSoft: StringMap | None = Field(None, description="Soft eviction thresholds; each needs a grace period.")
    evictionSoftGracePeriod: StringMap | None = Field(None, description="signal → duration.")
    evictionPressureTransitionPeriod: GoDuration | None = Field(None, description="Default 5m.")
    evictionMaxPodGracePeriod: Int32 | None = None
    evictionMinimumReclaim: StringMap | None = None
    mergeDefaultEvictionSettings: Bool | None = None
    podsPerCore: Int32 | None = None
    enableControllerAttachDetach: Bool | None = None
    protectKernelDefaults: Bool | None = None
    makeIPTablesUtilChains: Bool | None = None
    iptablesMasqueradeBit: Int32 | None = None
    iptablesDropBit: Int32 | None = None
    featureGates: dict[str, Bool] | None = None
    failSwapOn: Bool | None = None
    memorySwap: MemorySwapConfiguration | None = None
    containerLogMaxSize: QuantityValue | None = None
    containerLogMaxFiles: Int32 | None = None
    containerLogMaxWorkers: Int32 | None = None
    containerLogMonitorInterval: GoDuration | None = None
    configMapAndSecretChangeDetectionStrategy: Str | None = Field(None, json_schema_extra=_enum("Get", "Cache", "Watch"))
    systemReserved: StringMap | None = None
    kubeReserved: StringMap | None = None
    reservedSystemCPUs: Str | None = None
    showHiddenMetricsForVersion: Str | None = None
    systemReservedCgroup: Str | None = None
    kubeReservedCgroup: Str | None = None
    enforceNodeAllocatable: list[Str] | None = None
    allowedUnsafeSysctls: list[Str] | None = None
    volumePluginDir: Str | None = None
    providerID: Str | None = None
    kernelMemcgNotification: Bool | None = None
    logging: LoggingConfiguration | None = None
    enableSystemLogHandler: Bool | None = None
    enableSystemLogQuery: Bool | None = None
    shutdownGracePeriod: GoDuration | None = None
    shutdownGracePeriodCriticalPods: GoDuration | None = None
    shutdownGracePeriodByPodPriority: list[ShutdownGracePeriodByPodPriority] | None = None
    crashLoopBackOff: CrashLoopBackOffConfig | None = None
    reservedMemory: list[MemoryReservation] | None = None
    enableProfilingHandler: Bool | None = None
    enableDebugFlagsHandler: Bool | None = None
    seccompDefault: Bool | None = None
    memoryThrottlingFactor: Float | None = None
    memoryReservationPolicy: Str | None = Field(None, json_schema_extra=_enum("None", "TieredReservation"))
    registerWithTaints: list[Taint] | None = None
    registerNode: Bool | None = None
    tracing: TracingConfiguration | None = None
    localStorageCapacityIsolation: Bool | None = None
    containerRuntimeEndpoint: Str | None = Field(None, description="Default unix:///run/containerd/containerd.sock.")
    imageServiceEndpoint: Str | None = None
    failCgroupV1: Bool | None = None
    userNamespaces: UserNamespaces | None = None
    podHousekeepingPeriod: GoDuration | None = None


def _field_names(model: type[BaseModel]) -> dict[str, type[BaseModel] | None]:
    names: dict[str, type[BaseModel] | None] = {}
    for name, info in model.model_fields.items():
        nested = _nested_model(info.annotation)
        names[info.alias or name] = nested
    return names


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    candidates = [annotation, *getattr(annotation, "__args__", ())]
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def known_fields(path: tuple[str, ...] = ()) -> dict[str, type[BaseModel] | None] | None:
    """The field names allowed under ``path`` (a struct path), or None for maps/lists."""
    model: type[BaseModel] | None = KubeletConfiguration
    for part in path:
        if model is None:
            return None
        model = _field_names(model).get(part)
    return _field_names(model) if model is not None else None
