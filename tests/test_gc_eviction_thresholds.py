"""Eviction advice: KL304-KL312 (thresholds against image GC, soft against hard, pod grace,
minimum reclaim, pressure transition, dropped defaults, containerfs, allocatable memory)."""

from __future__ import annotations

from kubelint.analysis import gate_defaults
from kubelint.diagnostics import Applicability, Diagnostic, Location, Severity, Span, YamlEdit
from kubelint.kubelet_view import KubeletView, Origin, ViewBuilder
from kubelint.rules.gc_eviction import eviction_defaults_dropped, pressure_transition_too_short
from tests.helpers import lint_text, only
from tests.test_gc_eviction_common import BASE_LINES, kubeadm_config

FLAGS_FILE = "var/lib/kubelet/kubeadm-flags.env"


def lint(extra: str, *, version: str | None = None) -> list[Diagnostic]:
    return lint_text(kubeadm_config(extra), version=version, select=("KL3",))


def position(diagnostic: Diagnostic) -> tuple[int, int]:
    return (diagnostic.span.line - BASE_LINES, diagnostic.span.column)


def flag_view(path: tuple[str, ...], value: object, flag: str, version: tuple[int, int] = (1, 33)) -> KubeletView:
    """A node whose kubelet gets ``value`` from ``--flag`` in kubeadm-flags.env, no config file."""
    builder = ViewBuilder(Location(FLAGS_FILE, Span(1, 1, 1, 2)))
    origin = Origin("flag", Location(FLAGS_FILE, Span(1, 40, 1, 80)), flag=flag)
    builder.add_flag_value(path, value, origin)
    return builder.build(version, gate_defaults(version))


# KL304 eviction-before-image-gc

def test_imagefs_threshold_crossed_before_image_gc_warns_with_both_numbers() -> None:
    found = only(lint("""
        evictionHard:
          memory.available: 100Mi
          nodefs.available: 10%
          imagefs.available: 20%
    """), "KL304")
    assert len(found) == 1
    diagnostic = found[0]
    assert diagnostic.severity is Severity.WARNING
    assert position(diagnostic) == (4, 22)
    assert ("evictionHard imagefs.available<20% evicts once disk usage passes 80%, but image GC starts "
            "only at 85% (imageGCHighThresholdPercent)") in diagnostic.message


def test_soft_nodefs_threshold_before_image_gc_names_the_shared_disk() -> None:
    found = only(lint("""
        evictionSoft:
          nodefs.available: 25%
        evictionSoftGracePeriod:
          nodefs.available: 2m
        evictionMaxPodGracePeriod: 60
    """), "KL304")
    assert len(found) == 1
    assert position(found[0]) == (2, 21)
    assert "evictionSoft nodefs.available<25% evicts once disk usage passes 75%" in found[0].message
    assert "images live on the root filesystem" in found[0].message


def test_raising_gc_high_above_the_default_imagefs_threshold_points_at_gc_high() -> None:
    # no evictionHard: the default imagefs.available<15% evicts at 85%, GC starts at 90%
    found = only(lint("""
        imageGCHighThresholdPercent: 90
        imageGCLowThresholdPercent: 80
    """), "KL304")
    assert len(found) == 1
    assert position(found[0]) == (1, 30)
    assert "evictionHard imagefs.available<15% (a kubelet default)" in found[0].message


def test_explicit_threshold_relates_to_an_explicit_gc_high() -> None:
    found = only(lint("""
        imageGCHighThresholdPercent: 90
        imageGCLowThresholdPercent: 80
        evictionHard:
          memory.available: 100Mi
          nodefs.available: 5%
          imagefs.available: 12%
    """), "KL304")
    assert [position(d) for d in found] == [(6, 22)]
    assert found[0].related[0].location.span.line == BASE_LINES + 1


def test_default_thresholds_and_gc_pass() -> None:
    assert not only(lint("imageGCHighThresholdPercent: 85\n"), "KL304")


def test_threshold_within_the_kubelets_rounding_of_usage_passes() -> None:
    # GC compares usage rounded up to a whole percent: at 85 it starts once usage passes 84%,
    # exactly where imagefs.available<16% evicts
    assert not only(lint("""
        evictionHard:
          memory.available: 100Mi
          nodefs.available: 10%
          imagefs.available: 16%
    """), "KL304")


def test_quantity_thresholds_cannot_be_compared_and_pass() -> None:
    assert not only(lint("""
        evictionHard:
          memory.available: 500Mi
          nodefs.available: 1Gi
          imagefs.available: 100Gi
    """), "KL304")


# KL305 soft-eviction-not-before-hard

def test_soft_memory_threshold_below_the_hard_one_warns_at_the_soft_value() -> None:
    found = only(lint("""
        evictionHard:
          memory.available: 500Mi
        evictionSoft:
          memory.available: 300Mi
        evictionSoftGracePeriod:
          memory.available: 1m30s
        evictionMaxPodGracePeriod: 60
    """), "KL305")
    assert len(found) == 1
    diagnostic = found[0]
    assert diagnostic.severity is Severity.WARNING
    assert position(diagnostic) == (4, 21)
    assert diagnostic.message.startswith(
        "evictionSoft memory.available<300Mi is below evictionHard memory.available<500Mi")
    assert diagnostic.related[0].location.span.line == BASE_LINES + 2


def test_soft_threshold_equal_to_the_hard_one_warns() -> None:
    found = only(lint("""
        evictionHard:
          memory.available: 100Mi
          nodefs.available: 10%
        evictionSoft:
          nodefs.available: 10%
        evictionSoftGracePeriod:
          nodefs.available: 1m
        evictionMaxPodGracePeriod: 60
    """), "KL305")
    assert [position(d) for d in found] == [(5, 21)]
    assert "is the same as evictionHard nodefs.available<10%" in found[0].message


def test_soft_threshold_below_the_default_hard_one_says_so() -> None:
    found = only(lint("""
        evictionSoft:
          memory.available: 64Mi
        evictionSoftGracePeriod:
          memory.available: 30s
        evictionMaxPodGracePeriod: 30
    """), "KL305")
    assert [position(d) for d in found] == [(2, 21)]
    assert "evictionHard memory.available<100Mi (the kubelet default)" in found[0].message
    assert found[0].related == ()


def test_soft_thresholds_above_the_hard_ones_pass() -> None:
    assert not only(lint("""
        evictionHard:
          memory.available: 500Mi
          nodefs.available: 10%
        evictionSoft:
          memory.available: 1Gi
          nodefs.available: 15%
        evictionSoftGracePeriod:
          memory.available: 1m30s
          nodefs.available: 2m
        evictionMaxPodGracePeriod: 60
    """), "KL305")


def test_percentage_and_quantity_are_not_compared() -> None:
    assert not only(lint("""
        evictionHard:
          memory.available: 500Mi
        evictionSoft:
          memory.available: 1%
        evictionSoftGracePeriod:
          memory.available: 1m
        evictionMaxPodGracePeriod: 60
    """), "KL305")


# KL306 soft-eviction-without-pod-grace

def test_soft_thresholds_with_the_default_pod_grace_warn_at_eviction_soft() -> None:
    found = only(lint("""
        evictionSoft:
          memory.available: 1Gi
          nodefs.available: 15%
        evictionSoftGracePeriod:
          memory.available: 1m30s
          nodefs.available: 2m
    """), "KL306")
    assert len(found) == 1
    diagnostic = found[0]
    assert diagnostic.severity is Severity.WARNING
    assert (position(diagnostic), diagnostic.span.end_column) == ((1, 1), 13)
    assert ("evictionSoft is set (memory.available, nodefs.available) but evictionMaxPodGracePeriod is 0 "
            "(the default)") in diagnostic.message


def test_explicit_zero_pod_grace_is_pointed_at() -> None:
    found = only(lint("""
        evictionMaxPodGracePeriod: 0
        evictionSoft:
          memory.available: 1Gi
        evictionSoftGracePeriod:
          memory.available: 1m30s
    """), "KL306")
    assert [position(d) for d in found] == [(1, 28)]
    assert found[0].related[0].location.span.line == BASE_LINES + 2


def test_soft_thresholds_with_a_pod_grace_pass() -> None:
    assert not only(lint("""
        evictionMaxPodGracePeriod: 60
        evictionSoft:
          memory.available: 1Gi
        evictionSoftGracePeriod:
          memory.available: 1m30s
    """), "KL306")


def test_no_soft_thresholds_pass() -> None:
    assert not only(lint("evictionMaxPodGracePeriod: 0\n"), "KL306")


# KL307 soft-grace-period-zero

def test_zero_soft_grace_period_warns_at_the_grace_period() -> None:
    found = only(lint("""
        evictionMaxPodGracePeriod: 60
        evictionSoft:
          nodefs.available: 15%
        evictionSoftGracePeriod:
          nodefs.available: 0s
    """), "KL307")
    assert len(found) == 1
    assert found[0].severity is Severity.WARNING
    assert position(found[0]) == (5, 21)
    assert "makes evictionSoft nodefs.available<15% a hard threshold" in found[0].message
    assert found[0].related[0].location.span.line == BASE_LINES + 3


def test_non_zero_soft_grace_period_passes() -> None:
    assert not only(lint("""
        evictionMaxPodGracePeriod: 60
        evictionSoft:
          nodefs.available: 15%
        evictionSoftGracePeriod:
          nodefs.available: 2m
    """), "KL307")


# KL308 minimum-reclaim-too-large

def test_reclaim_twice_the_threshold_warns_with_the_target() -> None:
    found = only(lint("""
        evictionHard:
          memory.available: 100Mi
          nodefs.available: 10%
          imagefs.available: 15%
        evictionMinimumReclaim:
          nodefs.available: 20%
    """), "KL308")
    assert len(found) == 1
    diagnostic = found[0]
    assert diagnostic.severity is Severity.WARNING
    assert position(diagnostic) == (6, 21)
    assert diagnostic.message == ("evictionMinimumReclaim nodefs.available: 20% is larger than evictionHard nodefs.available<10%: "
            "each eviction round continues until 30% is free, 3 times the threshold")
    assert diagnostic.related[0].location.span.line == BASE_LINES + 3


def test_reclaim_that_can_never_be_met() -> None:
    found = only(lint("""
        evictionMinimumReclaim:
          imagefs.available: 90%
    """), "KL308")
    assert [position(d) for d in found] == [(2, 22)]
    assert "(the kubelet default)" in found[0].message
    assert "free 105% of capacity, which it can never reach" in found[0].message


def test_quantity_reclaim_above_the_memory_threshold_warns() -> None:
    found = only(lint("""
        evictionHard:
          memory.available: 100Mi
        evictionMinimumReclaim:
          memory.available: 500Mi
    """), "KL308")
    assert [position(d) for d in found] == [(4, 21)]
    assert "until 100Mi + 500Mi is free" in found[0].message


def test_reclaims_within_the_thresholds_pass() -> None:
    assert not only(lint("""
        evictionHard:
          memory.available: 500Mi
          nodefs.available: 1Gi
          imagefs.available: 100Gi
        evictionMinimumReclaim:
          memory.available: 0Mi
          nodefs.available: 500Mi
          imagefs.available: 2Gi
    """), "KL308")


def test_reclaim_in_other_units_than_the_threshold_is_not_compared() -> None:
    assert not only(lint("""
        evictionMinimumReclaim:
          nodefs.available: 5Gi
    """), "KL308")


# KL309 pressure-transition-too-short

def test_ten_second_transition_period_warns() -> None:
    found = only(lint("evictionPressureTransitionPeriod: 10s\n"), "KL309")
    assert len(found) == 1
    assert found[0].severity is Severity.WARNING
    assert (position(found[0]), found[0].span.end_column) == ((1, 35), 38)
    assert found[0].message.startswith("evictionPressureTransitionPeriod 10s: a pressure condition is cleared 10s")


def test_zero_in_a_file_means_the_five_minute_default_and_passes() -> None:
    assert not only(lint("evictionPressureTransitionPeriod: 0s\n"), "KL309")


def test_thirty_seconds_and_more_pass() -> None:
    assert not only(lint("evictionPressureTransitionPeriod: 30s\n"), "KL309")
    assert not only(lint("evictionPressureTransitionPeriod: 1m\n"), "KL309")


def test_zero_from_a_flag_is_kept_and_warns() -> None:
    view = flag_view(("evictionPressureTransitionPeriod",), "0s", "eviction-pressure-transition-period")
    found = list(pressure_transition_too_short.check(view))
    assert len(found) == 1
    assert found[0].location == Location(FLAGS_FILE, Span(1, 40, 1, 80))
    assert "cleared as soon as usage is back under the threshold" in found[0].message


# KL310 eviction-defaults-dropped

def test_partial_eviction_hard_names_the_dropped_signals_and_offers_the_merge() -> None:
    found = only(lint("""
        evictionHard:
          nodefs.available: 5%
          imagefs.available: 10%
    """, version="1.33"), "KL310")
    assert len(found) == 1
    diagnostic = found[0]
    assert diagnostic.severity is Severity.WARNING
    assert (position(diagnostic), diagnostic.span.end_column) == ((1, 1), 13)
    assert diagnostic.message == (
        "evictionHard lists only nodefs.available, imagefs.available: the kubelet drops the default "
        "thresholds memory.available<100Mi, nodefs.inodesFree<5%, imagefs.inodesFree<5%; memory is no "
        "longer protected by eviction, the kernel OOM killer acts first")
    assert diagnostic.hint is not None and "mergeDefaultEvictionSettings: true" in diagnostic.hint
    assert diagnostic.fix is not None
    assert diagnostic.fix.applicability is Applicability.UNSAFE
    assert diagnostic.fix.edits == (
        YamlEdit("config.yaml", 0, ("mergeDefaultEvictionSettings",), "set", value=True),)


def test_merge_default_eviction_settings_keeps_the_defaults_from_1_33() -> None:
    assert not only(lint("""
        mergeDefaultEvictionSettings: true
        evictionHard:
          nodefs.available: 5%
    """, version="1.33"), "KL310")


def test_merge_default_eviction_settings_does_nothing_before_1_33() -> None:
    found = only(lint("""
        mergeDefaultEvictionSettings: true
        evictionHard:
          memory.available: 200Mi
    """, version="1.32"), "KL310")
    assert [position(d) for d in found] == [(2, 1)]
    assert found[0].fix is None
    assert found[0].hint is not None and "needs kubelet 1.33 or later, target 1.32 ignores it" in found[0].hint


def test_before_1_30_imagefs_inodes_free_was_no_default() -> None:
    found = only(lint("""
        evictionHard:
          memory.available: 200Mi
          nodefs.available: 10%
          imagefs.available: 15%
    """, version="1.29"), "KL310")
    assert [position(d) for d in found] == [(1, 1)]
    assert "default thresholds nodefs.inodesFree<5%;" in found[0].message
    assert found[0].fix is None


def test_every_default_signal_listed_passes() -> None:
    assert not only(lint("""
        evictionHard:
          memory.available: 500Mi
          nodefs.available: 10%
          nodefs.inodesFree: 5%
          imagefs.available: 15%
          imagefs.inodesFree: 5%
    """), "KL310")


def test_absent_eviction_hard_passes() -> None:
    assert not only(lint("maxPods: 110\n"), "KL310")


def test_eviction_hard_flag_drops_the_defaults_and_cannot_be_merged() -> None:
    view = flag_view(("evictionHard",), {"memory.available": "200Mi"}, "eviction-hard", version=(1, 34))
    found = list(eviction_defaults_dropped.check(view))
    assert len(found) == 1
    assert found[0].message.startswith("--eviction-hard lists only memory.available")
    assert found[0].fix is None
    assert found[0].hint is not None and "add the dropped signals to --eviction-hard" in found[0].hint


# KL311 containerfs-threshold-ignored

def test_containerfs_threshold_warns_at_its_key_with_a_safe_removal() -> None:
    found = only(lint("""
        evictionHard:
          memory.available: 100Mi
          nodefs.available: 10%
          imagefs.available: 15%
          nodefs.inodesFree: 5%
          imagefs.inodesFree: 5%
          containerfs.available: 10%
    """), "KL311")
    assert len(found) == 1
    diagnostic = found[0]
    assert diagnostic.severity is Severity.WARNING
    assert (position(diagnostic), diagnostic.span.end_column) == ((7, 3), 24)
    assert diagnostic.message.startswith("evictionHard containerfs.available: 10% is ignored")
    assert diagnostic.fix is not None
    assert diagnostic.fix.applicability is Applicability.SAFE
    assert diagnostic.fix.edits == (
        YamlEdit("config.yaml", 0, ("evictionHard", "containerfs.available"), "delete"),)


def test_containerfs_soft_threshold_warns() -> None:
    found = only(lint("""
        evictionMaxPodGracePeriod: 60
        evictionSoft:
          containerfs.inodesFree: 10%
        evictionSoftGracePeriod:
          containerfs.inodesFree: 1m
    """), "KL311")
    assert [position(d) for d in found] == [(3, 3)]
    assert "tune nodefs.inodesFree" in (found[0].hint or "")


def test_nodefs_and_imagefs_thresholds_pass() -> None:
    assert not only(lint("""
        evictionHard:
          memory.available: 100Mi
          nodefs.available: 10%
          imagefs.available: 15%
    """), "KL311")


# KL312 allocatable-memory-threshold

def test_hand_set_allocatable_threshold_is_info_naming_the_derived_one() -> None:
    found = only(lint("""
        evictionHard:
          memory.available: 500Mi
          allocatableMemory.available: 300Mi
    """), "KL312")
    assert len(found) == 1
    diagnostic = found[0]
    assert diagnostic.severity is Severity.INFO
    assert position(diagnostic) == (3, 3)
    assert ("the kubelet already derives allocatableMemory.available<500Mi from evictionHard "
            "memory.available") in diagnostic.message


def test_allocatable_threshold_without_pods_enforcement_says_it_is_the_only_one() -> None:
    found = only(lint("""
        enforceNodeAllocatable: []
        evictionHard:
          memory.available: 500Mi
          allocatableMemory.available: 300Mi
    """), "KL312")
    assert [position(d) for d in found] == [(4, 3)]
    assert "which it does not here" in found[0].message


def test_memory_available_alone_passes() -> None:
    assert not only(lint("""
        evictionHard:
          memory.available: 500Mi
    """), "KL312")


def test_defaults_are_not_merged_into_comparisons_before_1_33() -> None:
    # 1.32 ignores mergeDefaultEvictionSettings: there is no hard memory.available threshold
    # for the soft one to undercut; from 1.33 the merged default 100Mi is above it
    extra = """
        mergeDefaultEvictionSettings: true
        evictionHard:
          nodefs.available: 10%
        evictionSoft:
          memory.available: 64Mi
        evictionSoftGracePeriod:
          memory.available: 30s
        evictionMaxPodGracePeriod: 30
    """
    assert not only(lint(extra, version="1.32"), "KL305")
    assert [position(d) for d in only(lint(extra, version="1.33"), "KL305")] == [(5, 21)]
