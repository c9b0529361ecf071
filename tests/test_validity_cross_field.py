"""Validity rules that relate settings to each other or to feature gates (KL106-KL113)."""

from kubelint.diagnostics import Diagnostic
from tests.helpers import lint_text, only

HEADER = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"


def lint(body: str, version: str | None = "1.33") -> list[Diagnostic]:
    return lint_text(HEADER + body, version=version, select=("KL1",))


def position(diagnostic: Diagnostic) -> tuple[int, int]:
    return (diagnostic.span.line, diagnostic.span.column)


# --------------------------------------------------------------------------- KL106


def test_custom_cfs_quota_period_needs_its_alpha_gate() -> None:
    found = only(lint("cpuCFSQuotaPeriod: 50ms\n"), "KL106")
    assert len(found) == 1
    assert found[0].severity.label == "error"
    assert position(found[0]) == (3, 1)
    assert "cpuCFSQuotaPeriod (--cpu-cfs-quota-period) 50ms requires feature gate CustomCPUCFSQuotaPeriod" in found[0].message
    assert "off by default in 1.33" in found[0].message


def test_custom_cfs_quota_period_with_the_gate_or_at_100ms_passes() -> None:
    assert only(lint("cpuCFSQuotaPeriod: 50ms\nfeatureGates:\n  CustomCPUCFSQuotaPeriod: true\n"), "KL106") == []
    assert only(lint("cpuCFSQuotaPeriod: 100ms\n"), "KL106") == []


def test_crash_loop_cap_needs_the_gate_before_1_35_only() -> None:
    body = "crashLoopBackOff:\n  maxContainerRestartPeriod: 60s\n"
    found = only(lint(body, version="1.33"), "KL106")
    assert len(found) == 1 and position(found[0]) == (4, 3)
    assert only(lint(body, version="1.35"), "KL106") == []


def test_shutdown_grace_period_with_the_gate_switched_off() -> None:
    body = "featureGates:\n  GracefulNodeShutdown: false\nshutdownGracePeriod: 30s\n"
    found = only(lint(body), "KL106")
    assert len(found) == 1 and position(found[0]) == (5, 1)
    assert "set at config.yaml:4:25" in found[0].message
    assert only(lint("shutdownGracePeriod: 30s\n"), "KL106") == []


def test_system_log_query_needs_node_log_query() -> None:
    found = only(lint("enableSystemLogQuery: true\n"), "KL106")
    assert len(found) == 1 and "NodeLogQuery feature gate is required for enableSystemLogQuery" in found[0].message
    assert only(lint("enableSystemLogQuery: true\nfeatureGates:\n  NodeLogQuery: true\n"), "KL106") == []


def test_logging_split_stream_needs_the_alpha_logging_gate() -> None:
    body = "logging:\n  format: json\n  options:\n    json:\n      splitStream: true\n"
    found = only(lint(body), "KL106")
    assert len(found) == 1 and position(found[0]) == (7, 7)
    assert "Feature LoggingAlphaOptions is disabled" in found[0].message


def test_cpu_manager_policy_options_need_the_gate_only_before_ga() -> None:
    body = "cpuManagerPolicy: static\nreservedSystemCPUs: 0-1\ncpuManagerPolicyOptions:\n  full-pcpus-only: \"true\"\nfeatureGates:\n  CPUManagerPolicyOptions: false\n"
    assert len(only(lint(body, version="1.32"), "KL106")) == 1


# --------------------------------------------------------------------------- KL107


def test_maximum_gc_age_alone_meets_the_default_minimum() -> None:
    found = only(lint("imageMaximumGCAge: 1m\n"), "KL107")
    assert len(found) == 1
    assert found[0].severity.label == "error"
    assert position(found[0]) == (3, 20)
    assert "imageMaximumGCAge 1m0s must be greater than imageMinimumGCAge 2m0s" in found[0].message


def test_maximum_gc_age_longer_than_minimum_passes() -> None:
    assert only(lint("imageMaximumGCAge: 168h\nimageMinimumGCAge: 0s\n"), "KL107") == []


def test_minimum_raised_over_the_maximum_blames_the_minimum_with_related() -> None:
    found = only(lint("imageMinimumGCAge: 200h\nimageMaximumGCAge: 168h\n"), "KL107")
    assert len(found) == 1 and position(found[0]) == (4, 20)
    assert found[0].related[0].location.span.line == 3


# --------------------------------------------------------------------------- KL108


def test_critical_pods_period_longer_than_total_is_refused() -> None:
    found = only(lint("shutdownGracePeriod: 10s\nshutdownGracePeriodCriticalPods: 30s\n"), "KL108")
    assert len(found) == 1
    assert position(found[0]) == (4, 34)
    assert "shutdownGracePeriodCriticalPods {30s} must be <= shutdownGracePeriod {10s}" in found[0].message
    assert found[0].related[0].location.span.line == 3


def test_critical_pods_period_within_total_passes() -> None:
    assert only(lint("shutdownGracePeriod: 30s\nshutdownGracePeriodCriticalPods: 10s\n"), "KL108") == []


def test_priority_list_cannot_be_combined_with_the_periods() -> None:
    body = ("shutdownGracePeriod: 30s\nshutdownGracePeriodByPodPriority:\n- priority: 100000\n"
            "  shutdownGracePeriodSeconds: 10\n- priority: 0\n  shutdownGracePeriodSeconds: 20\n")
    found = only(lint(body), "KL108")
    assert len(found) == 1 and position(found[0]) == (4, 1)
    assert "Cannot specify both shutdownGracePeriodByPodPriority and shutdownGracePeriod" in found[0].message
    assert only(lint(body.replace("shutdownGracePeriod: 30s\n", "")), "KL108") == []


# --------------------------------------------------------------------------- KL109


def test_explicit_serialized_pulls_with_parallel_limit_fails() -> None:
    found = only(lint("serializeImagePulls: true\nmaxParallelImagePulls: 5\n"), "KL109")
    assert len(found) == 1
    assert found[0].severity.label == "error"
    assert position(found[0]) == (4, 24)
    assert found[0].fix is not None and found[0].fix.applicability.value == "unsafe"


def test_parallel_limit_alone_defaults_serialize_to_false() -> None:
    assert only(lint("maxParallelImagePulls: 5\n"), "KL109") == []
    assert only(lint("serializeImagePulls: true\nmaxParallelImagePulls: 1\n"), "KL109") == []


# --------------------------------------------------------------------------- KL110


def test_cgroups_per_qos_false_alone_fails_because_of_the_default_list() -> None:
    found = only(lint("cgroupsPerQOS: false\n"), "KL110")
    assert len(found) == 1
    assert found[0].severity.label == "error"
    assert position(found[0]) == (3, 16)
    assert "defaults to [pods]" in found[0].message


def test_cgroups_per_qos_false_with_an_empty_list_passes() -> None:
    assert only(lint("cgroupsPerQOS: false\nenforceNodeAllocatable: []\n"), "KL110") == []


def test_none_with_cgroups_per_qos_false_changed_in_1_32() -> None:
    body = "cgroupsPerQOS: false\nenforceNodeAllocatable: [none]\n"
    assert only(lint(body, version="1.33"), "KL110") == []
    old = only(lint(body, version="1.31"), "KL110")
    assert len(old) == 1 and "is not supported unless cgroupsPerQOS" in old[0].message


def test_reserved_enforcement_needs_its_cgroup() -> None:
    found = only(lint("enforceNodeAllocatable:\n- pods\n- system-reserved\nsystemReserved:\n  cpu: 500m\n"), "KL110")
    assert len(found) == 1 and position(found[0]) == (5, 3)
    assert "systemReservedCgroup (--system-reserved-cgroup) must be specified" in found[0].message
    body = "enforceNodeAllocatable:\n- pods\n- system-reserved\nsystemReservedCgroup: /system.slice\n"
    assert only(lint(body), "KL110") == []


def test_none_with_other_enforcements_and_duplicates() -> None:
    found = only(lint("enforceNodeAllocatable: [pods, none, pods]\n"), "KL110")
    assert [position(d) for d in found] == [(3, 32), (3, 38)]
    assert "may not contain additional enforcements" in found[0].message
    assert 'duplicated enforcements "pods"' in found[1].message
    assert only(lint("enforceNodeAllocatable: [pods, pods]\n", version="1.31"), "KL110") == []


# --------------------------------------------------------------------------- KL111-KL113


def test_system_cgroups_needs_cgroup_root() -> None:
    found = only(lint("systemCgroups: /system.slice\n"), "KL111")
    assert len(found) == 1 and position(found[0]) == (3, 16)
    assert only(lint("systemCgroups: /system.slice\ncgroupRoot: /\n"), "KL111") == []


def test_reserved_cpus_must_be_a_cpuset_list() -> None:
    found = only(lint("reservedSystemCPUs: 0-1, 4\n"), "KL112")
    assert len(found) == 1 and position(found[0]) == (3, 21)
    assert "unable to parse reservedSystemCPUs (--reserved-cpus) 0-1, 4" in found[0].message
    assert len(only(lint("reservedSystemCPUs: 3-1\n"), "KL112")) == 1
    assert only(lint("reservedSystemCPUs: 0-1,4\n"), "KL112") == []


def test_reserved_cpus_cannot_be_combined_with_reserved_cgroups() -> None:
    found = only(lint("reservedSystemCPUs: \"0,1\"\nkubeReservedCgroup: /kube.slice\n"), "KL112")
    assert len(found) == 1 and position(found[0]) == (3, 1)
    assert found[0].related[0].location.span.line == 4


def test_static_cpu_policy_needs_a_cpu_reservation() -> None:
    found = only(lint("cpuManagerPolicy: static\nkubeReserved:\n  memory: 1Gi\n"), "KL113")
    assert len(found) == 1 and position(found[0]) == (3, 19)
    assert "the static policy requires systemreserved.cpu + kubereserved.cpu" in found[0].message


def test_static_cpu_policy_with_reserved_cpu_passes() -> None:
    assert only(lint("cpuManagerPolicy: static\nsystemReserved:\n  cpu: 100m\n"), "KL113") == []
    assert only(lint("cpuManagerPolicy: static\nreservedSystemCPUs: \"0\"\n"), "KL113") == []


# --------------------------------------------------------------------------- KL114


def test_run_once_is_refused_from_1_32_and_a_warning_before() -> None:
    new = only(lint("runOnce: true\n", version="1.32"), "KL114")
    old = only(lint("runOnce: true\n", version="1.31"), "KL114")
    assert [(d.severity.label, position(d)) for d in new] == [("error", (3, 10))]
    assert [d.severity.label for d in old] == ["warning"]
    assert new[0].fix is not None and new[0].fix.applicability.value == "safe"
    assert only(lint("runOnce: false\n"), "KL114") == []


# --------------------------------------------------------------------------- KL115


def test_register_with_taints_checks_key_effect_and_time_added() -> None:
    body = ("registerWithTaints:\n- key: dedicated node\n  effect: NoSchedule\n- key: gpu\n  effect: noschedule\n"
            "- key: example.com/spot\n  value: \"true\"\n  effect: NoExecute\n  timeAdded: \"2024-05-01T10:00:00Z\"\n")
    found = only(lint(body), "KL115")
    assert [position(d) for d in found] == [(4, 8), (7, 11), (11, 3)]
    assert all(d.severity.label == "error" for d in found)
    assert "invalid taint" in found[0].message
    assert found[1].fix is not None and "'NoSchedule'" in found[1].message


def test_valid_register_taints_pass() -> None:
    body = ("registerWithTaints:\n- key: node-role.kubernetes.io/control-plane\n  effect: NoSchedule\n"
            "- key: dedicated\n  value: gpu\n  effect: PreferNoSchedule\n")
    assert only(lint(body), "KL115") == []


def test_taint_key_prefix_must_be_a_lowercase_subdomain() -> None:
    found = only(lint("registerWithTaints:\n- key: Example.com/spot\n  effect: NoSchedule\n"), "KL115")
    assert len(found) == 1 and "DNS subdomain" in found[0].message


# --------------------------------------------------------------------------- KL116


def test_system_log_query_needs_the_handler() -> None:
    body = "featureGates:\n  NodeLogQuery: true\nenableSystemLogHandler: false\nenableSystemLogQuery: true\n"
    found = only(lint(body), "KL116")
    assert len(found) == 1 and position(found[0]) == (6, 23)
    assert found[0].related[0].location.span.line == 5
    assert only(lint(body.replace("enableSystemLogHandler: false\n", "")), "KL116") == []


# --------------------------------------------------------------------------- KL117


def test_pod_logs_dir_with_trailing_slash_is_refused_and_fixed() -> None:
    found = only(lint("podLogsDir: /var/log/pods/\n"), "KL117")
    assert len(found) == 1
    assert found[0].severity.label == "error"
    assert position(found[0]) == (3, 13)
    assert 'pod logs path "/var/log/pods/" must be normalized' in found[0].message
    assert found[0].fix is not None and found[0].fix.applicability.value == "safe"


def test_pod_logs_dir_relative_and_non_ascii() -> None:
    assert "must be absolute path" in only(lint("podLogsDir: var/log/pods\n"), "KL117")[0].message
    assert "ASCII characters only" in only(lint("podLogsDir: /var/log/p\u00f6ds\n"), "KL117")[0].message


def test_pod_logs_dir_clean_absolute_passes() -> None:
    assert only(lint("podLogsDir: /data/pod-logs\n"), "KL117") == []
    assert only(lint("podLogsDir: \"\"\n"), "KL117") == []


# --------------------------------------------------------------------------- KL118


def test_reserved_memory_entries() -> None:
    body = ("memoryManagerPolicy: None\nreservedMemory:\n- numaNode: 0\n  limits:\n    memory: 0\n    cpu: \"1\"\n"
            "- numaNode: 1\n  limits:\n    memory: 512Mi\n- numaNode: 1\n  limits:\n    memory: 512Mi\n")
    found = only(lint(body), "KL118")
    assert [position(d) for d in found] == [(7, 13), (8, 5), (14, 5)]
    assert 'reserved memory may not be zero for NUMA node 0 and resource "memory"' in found[0].message
    assert 'the limit type "cpu" for NUMA node 0 is not supported' in found[1].message
    assert "duplicate value for NUMA node 1" in found[2].message
    assert found[2].related[0].location.span.line == 11


def test_reserved_memory_with_hugepages_passes() -> None:
    body = "reservedMemory:\n- numaNode: 0\n  limits:\n    memory: 1Gi\n    hugepages-2Mi: 64Mi\n"
    assert only(lint(body), "KL118") == []


# --------------------------------------------------------------------------- KL119


def test_static_memory_policy_without_reserved_memory_fails() -> None:
    found = only(lint("memoryManagerPolicy: Static\n"), "KL119")
    assert len(found) == 1 and position(found[0]) == (3, 22)
    assert 'the total amount "0" of type "memory" is not equal to the value "100Mi"' in found[0].message


def test_static_memory_policy_with_matching_reservation_passes() -> None:
    body = ("memoryManagerPolicy: Static\nkubeReserved:\n  memory: 1Gi\nsystemReserved:\n  memory: 500Mi\n"
            "reservedMemory:\n- numaNode: 0\n  limits:\n    memory: 812Mi\n- numaNode: 1\n  limits:\n    memory: 812Mi\n")
    assert only(lint(body), "KL119") == []
    found = only(lint(body.replace("812Mi", "800Mi")), "KL119")
    assert len(found) == 1 and position(found[0]) == (8, 1)
    assert '"1624Mi"' in found[0].message


def test_static_memory_policy_with_percentage_eviction_is_not_judged() -> None:
    body = "memoryManagerPolicy: Static\nevictionHard:\n  memory.available: 5%\n"
    assert only(lint(body), "KL119") == []


def test_field_of_a_feature_newer_than_the_target_is_only_a_warning() -> None:
    found = only(lint("crashLoopBackOff:\n  maxContainerRestartPeriod: 60s\n", version="1.30"), "KL106")
    assert [(d.severity.label, position(d)) for d in found] == [("warning", (4, 3))]
    assert "arrives in 1.32" in found[0].message
