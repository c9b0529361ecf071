"""Validity rules on single values: ranges (KL102), feature gate names (KL103, KL104), enums (KL105)."""

from kubelint.diagnostics import Diagnostic, YamlEdit
from tests.helpers import lint_text, only

HEADER = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"

# A kubeadm-style config: line 3 onwards is what a test appends.
KUBEADM = HEADER + """\
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
cpuManagerReconcilePeriod: 0s
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMinimumGCAge: 0s
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
"""
KUBEADM_LINES = KUBEADM.count("\n")


def lint(body: str, version: str | None = "1.33", base: str = HEADER) -> list[Diagnostic]:
    return lint_text(base + body, version=version, select=("KL1",))


def position(diagnostic: Diagnostic) -> tuple[int, int]:
    return (diagnostic.span.line, diagnostic.span.column)


def first_edit(diagnostic: Diagnostic) -> YamlEdit:
    assert diagnostic.fix is not None
    edit = diagnostic.fix.edits[0]
    assert isinstance(edit, YamlEdit)
    return edit


# --------------------------------------------------------------------------- KL102


def test_kubeadm_config_with_zero_durations_is_valid() -> None:
    assert lint("", base=KUBEADM) == []


def test_negative_max_pods_is_refused_at_the_value() -> None:
    found = only(lint("maxPods: -1\n"), "KL102")
    assert len(found) == 1
    assert found[0].severity.label == "error"
    assert position(found[0]) == (3, 10) and found[0].span.end_column == 12
    assert "maxPods (--max-pods) -1 must not be a negative number" in found[0].message


def test_zero_on_a_defaulted_field_is_not_an_error() -> None:
    body = "maxPods: 0\nnodeLeaseDurationSeconds: 0\nport: 0\nkubeAPIBurst: 0\nhealthzPort: 0\n"
    assert only(lint(body), "KL102") == []


def test_pointer_fields_keep_explicit_zero() -> None:
    found = only(lint("containerLogMaxWorkers: 0\ncontainerLogMaxFiles: 1\n"), "KL102")
    assert [position(d) for d in found] == [(3, 25), (4, 23)]
    assert "containerLogMaxWorkers 0 must be greater than or equal to 1" in found[0].message
    assert "containerLogMaxFiles 1 must be greater than 1" in found[1].message


def test_ports_and_scores_out_of_range() -> None:
    body = "port: 70000\nreadOnlyPort: -1\noomScoreAdj: -1001\niptablesMasqueradeBit: 32\n"
    found = only(lint(body), "KL102")
    assert [position(d) for d in found] == [(3, 7), (4, 15), (5, 14), (6, 24)]
    assert "readOnlyPort (--read-only-port) -1 must be between 0 and 65535, inclusive" in found[1].message


def test_in_range_values_pass() -> None:
    body = "port: 10250\nreadOnlyPort: 0\noomScoreAdj: -999\niptablesMasqueradeBit: 14\nnodeStatusMaxImages: -1\n"
    assert only(lint(body), "KL102") == []


def test_container_log_monitor_interval_below_three_seconds() -> None:
    found = only(lint("containerLogMonitorInterval: 2s\n"), "KL102")
    assert len(found) == 1 and position(found[0]) == (3, 30)
    assert only(lint("containerLogMonitorInterval: 3s\n"), "KL102") == []


def test_negative_sync_frequency_is_refused_but_zero_is_the_default() -> None:
    assert len(only(lint("syncFrequency: -1m\n"), "KL102")) == 1
    assert only(lint("syncFrequency: 0s\n"), "KL102") == []


def test_memory_throttling_factor_range() -> None:
    found = only(lint("memoryThrottlingFactor: 1.5\n"), "KL102")
    assert len(found) == 1 and position(found[0]) == (3, 25)
    assert only(lint("memoryThrottlingFactor: 1.0\n"), "KL102") == []


def test_shutdown_grace_period_under_a_second_needs_the_gate_on() -> None:
    found = only(lint("shutdownGracePeriod: 500ms\n"), "KL102")
    assert len(found) == 1 and "GracefulNodeShutdown is on by default" in found[0].message
    gate_off = "shutdownGracePeriod: 500ms\nfeatureGates:\n  GracefulNodeShutdown: false\n"
    assert only(lint(gate_off), "KL102") == []


def test_cpu_cfs_quota_period_range_applies_when_the_gate_is_on() -> None:
    body = "cpuCFSQuotaPeriod: 2s\nfeatureGates:\n  CustomCPUCFSQuotaPeriod: true\n"
    found = only(lint(body), "KL102")
    assert len(found) == 1 and "must be between 1ms and 1sec, inclusive" in found[0].message
    ok = "cpuCFSQuotaPeriod: 50ms\nfeatureGates:\n  CustomCPUCFSQuotaPeriod: true\n"
    assert only(lint(ok), "KL102") == []


def test_negative_minimum_gc_age_is_a_warning_before_the_kubelet_refused_it() -> None:
    old = only(lint("imageMinimumGCAge: -5m\n", version="1.30"), "KL102")
    new = only(lint("imageMinimumGCAge: -5m\n", version="1.36"), "KL102")
    assert [d.severity.label for d in old] == ["warning"]
    assert [d.severity.label for d in new] == ["error"]


# --------------------------------------------------------------------------- KL103


def test_feature_gate_with_wrong_case_is_refused_with_a_rename_fix() -> None:
    found = only(lint("featureGates:\n  nodeSwap: true\n"), "KL103")
    assert len(found) == 1
    assert found[0].severity.label == "error"
    assert position(found[0]) == (4, 3) and found[0].span.end_column == 11
    assert "unrecognized feature gate: nodeSwap" in found[0].message
    assert found[0].fix is not None and found[0].fix.applicability.value == "safe"
    edit = first_edit(found[0])
    assert edit.op == "rename" and edit.new_key == "NodeSwap"


def test_known_gate_passes() -> None:
    assert only(lint("featureGates:\n  NodeSwap: true\n  KubeletTracing: true\n"), "KL103") == []


def test_gate_removed_after_ga_is_refused_only_from_its_removal() -> None:
    body = "featureGates:\n  CPUManager: true\n"
    found = only(lint(body, version="1.33"), "KL103")
    assert len(found) == 1 and "removed in 1.33" in found[0].message
    assert found[0].fix is not None and found[0].fix.applicability.value == "safe"
    assert only(lint(body, version="1.32"), "KL103") == []


def test_gate_from_a_newer_release_is_unknown_to_an_older_kubelet() -> None:
    found = only(lint("featureGates:\n  KubeletEnsureSecretPulledImages: true\n", version="1.32"), "KL103")
    assert len(found) == 1 and "first appears in 1.33" in found[0].message


def test_unknown_gate_is_an_error_inside_the_verified_range_and_a_warning_outside() -> None:
    body = "featureGates:\n  GracefulNodeShutdwn: true\n"
    inside = only(lint(body, version="1.33"), "KL103")
    outside = only(lint(body, version="1.37"), "KL103")
    assert [d.severity.label for d in inside] == ["error"]
    assert "did you mean 'GracefulNodeShutdown'" in inside[0].message
    assert [d.severity.label for d in outside] == ["warning"]


# --------------------------------------------------------------------------- KL104


def test_locked_gate_set_to_the_other_value_is_refused() -> None:
    found = only(lint("featureGates:\n  MemoryManager: false\n", version="1.32"), "KL104")
    assert len(found) == 1
    assert found[0].severity.label == "error"
    assert position(found[0]) == (4, 18)
    assert "locked to true" in found[0].message
    assert found[0].fix is not None and found[0].fix.applicability.value == "unsafe"


def test_locked_gate_at_its_default_or_before_locking_passes() -> None:
    assert only(lint("featureGates:\n  MemoryManager: true\n", version="1.32"), "KL104") == []
    assert only(lint("featureGates:\n  MemoryManager: false\n", version="1.31"), "KL104") == []


# --------------------------------------------------------------------------- KL105


def test_cpu_manager_policy_is_lowercase() -> None:
    found = only(lint("cpuManagerPolicy: Static\nkubeReserved:\n  cpu: 500m\n"), "KL105")
    assert len(found) == 1
    assert found[0].severity.label == "error"
    assert position(found[0]) == (3, 19)
    assert 'unknown policy: "Static"' in found[0].message
    assert found[0].fix is not None
    assert first_edit(found[0]).value == "static"


def test_memory_manager_policy_is_capitalized() -> None:
    found = only(lint("memoryManagerPolicy: static\n"), "KL105")
    assert len(found) == 1 and position(found[0]) == (3, 22)
    assert found[0].fix is not None and first_edit(found[0]).value == "Static"


def test_watch_and_webhook_case_fixes() -> None:
    body = "configMapAndSecretChangeDetectionStrategy: watch\nauthorization:\n  mode: webhook\n"
    found = only(lint(body), "KL105")
    assert [position(d) for d in found] == [(3, 44), (5, 9)]
    assert [first_edit(d).value for d in found] == ["Watch", "Webhook"]
    assert all(d.fix is not None and d.fix.edits[0].path == "config.yaml" for d in found)


def test_valid_enum_values_pass() -> None:
    body = ("cpuManagerPolicy: none\nmemoryManagerPolicy: None\ntopologyManagerPolicy: single-numa-node\n"
            "topologyManagerScope: pod\nhairpinMode: hairpin-veth\ntlsMinVersion: VersionTLS12\n"
            "configMapAndSecretChangeDetectionStrategy: Watch\ncgroupDriver: systemd\n")
    assert only(lint(body), "KL105") == []


def test_cgroup_driver_case_is_a_warning_with_fix() -> None:
    found = only(lint("cgroupDriver: Systemd\n"), "KL105")
    assert [d.severity.label for d in found] == ["warning"]
    assert found[0].fix is not None and first_edit(found[0]).value == "systemd"


def test_tls_min_version_spellings_are_corrected() -> None:
    found = only(lint("tlsMinVersion: VersionTLS1.2\n"), "KL105")
    assert len(found) == 1 and position(found[0]) == (3, 16)
    assert found[0].fix is not None and first_edit(found[0]).value == "VersionTLS12"


def test_topology_policy_with_underscore() -> None:
    found = only(lint("topologyManagerPolicy: best_effort\n"), "KL105")
    assert len(found) == 1
    assert '["none" "best-effort" "restricted" "single-numa-node"]' in found[0].message


def test_enforce_node_allocatable_entry_points_at_the_entry() -> None:
    found = only(lint("enforceNodeAllocatable:\n- pods\n- Kube-Reserved\nkubeReservedCgroup: /kube.slice\n"), "KL105")
    assert len(found) == 1 and position(found[0]) == (5, 3)
    assert found[0].fix is not None and first_edit(found[0]).key_path == ("enforceNodeAllocatable", 1)


def test_compressible_enforcement_is_new_in_1_32() -> None:
    body = "enforceNodeAllocatable: [pods, kube-reserved-compressible]\nkubeReservedCgroup: /kube.slice\n"
    assert len(only(lint(body, version="1.31"), "KL105")) == 1
    assert only(lint(body, version="1.32"), "KL105") == []


def test_swap_behavior_names_changed_in_1_30() -> None:
    body = "failSwapOn: false\nmemorySwap:\n  swapBehavior: UnlimitedSwap\n"
    found = only(lint(body, version="1.30"), "KL105")
    assert len(found) == 1 and position(found[0]) == (5, 17)
    assert only(lint(body.replace("UnlimitedSwap", "NoSwap"), version="1.30"), "KL105") == []


# --------------------------------------------------------------------------- KL101


def test_high_gc_threshold_alone_meets_the_default_low() -> None:
    found = only(lint("imageGCHighThresholdPercent: 80\n"), "KL101")
    assert len(found) == 1
    assert found[0].severity.label == "error"
    assert position(found[0]) == (3, 30)
    assert "imageGCLowThresholdPercent 80 must be less than imageGCHighThresholdPercent 80" in found[0].message


def test_gc_thresholds_apart_pass_and_out_of_range_fails() -> None:
    assert only(lint("imageGCHighThresholdPercent: 90\nimageGCLowThresholdPercent: 80\n"), "KL101") == []
    found = only(lint("imageGCHighThresholdPercent: 101\n"), "KL101")
    assert len(found) == 1 and "must be between 0 and 100, inclusive" in found[0].message
