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
