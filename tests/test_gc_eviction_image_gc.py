"""Image GC advice: KL301 image-gc-disabled, KL302 image-gc-narrow-gap, KL303 image-max-age-too-short."""

from __future__ import annotations

import pytest

from kubelint.diagnostics import Diagnostic, Severity
from tests.helpers import lint_text, only
from tests.test_gc_eviction_common import BASE_LINES, kubeadm_config


def lint(extra: str, *, version: str | None = None) -> list[Diagnostic]:
    return lint_text(kubeadm_config(extra), version=version, select=("KL3",))


# KL301 image-gc-disabled

def test_high_threshold_100_reports_gc_disabled_as_info_at_the_value() -> None:
    found = only(lint("""
        imageGCHighThresholdPercent: 100
        imageGCLowThresholdPercent: 90
    """), "KL301")
    assert len(found) == 1
    diagnostic = found[0]
    assert diagnostic.severity is Severity.INFO
    assert diagnostic.name == "image-gc-disabled"
    assert (diagnostic.span.line, diagnostic.span.column, diagnostic.span.end_column) == (BASE_LINES + 1, 30, 33)
    assert "switches image garbage collection by disk usage off" in diagnostic.message


def test_gc_disabled_mentions_the_max_age_that_still_removes_images() -> None:
    found = only(lint("""
        imageGCHighThresholdPercent: 100
        imageGCLowThresholdPercent: 90
        imageMaximumGCAge: 336h
    """), "KL301")
    assert "only images unused for 336h0m0s (imageMaximumGCAge) are still removed" in found[0].message


def test_high_threshold_below_100_passes() -> None:
    assert not only(lint("""
        imageGCHighThresholdPercent: 95
        imageGCLowThresholdPercent: 90
    """), "KL301")


# KL302 image-gc-narrow-gap

def test_gap_of_two_points_warns_at_the_low_threshold_with_the_numbers() -> None:
    found = only(lint("""
        imageGCHighThresholdPercent: 85
        imageGCLowThresholdPercent: 83
    """), "KL302")
    assert len(found) == 1
    diagnostic = found[0]
    assert diagnostic.severity is Severity.WARNING
    assert (diagnostic.span.line, diagnostic.span.column) == (BASE_LINES + 2, 29)
    assert "starts at 85% disk usage" in diagnostic.message
    assert "stops at 83%" in diagnostic.message
    assert "frees only 2%" in diagnostic.message
    assert diagnostic.related and diagnostic.related[0].location.span.line == BASE_LINES + 1


def test_raising_only_the_high_threshold_next_to_the_default_low_blames_the_high_one() -> None:
    # low stays at its default of 80: 82 - 80 leaves a 2-point gap
    found = only(lint("imageGCHighThresholdPercent: 82\n"), "KL302")
    assert len(found) == 1
    assert (found[0].span.line, found[0].span.column) == (BASE_LINES + 1, 30)
    assert not found[0].related


def test_default_gap_of_five_points_passes() -> None:
    assert not only(lint("""
        imageGCHighThresholdPercent: 85
        imageGCLowThresholdPercent: 80
    """), "KL302")


@pytest.mark.parametrize("high, low", [(80, 80), (70, 80)])
def test_refused_thresholds_are_left_to_the_validity_rule(high: int, low: int) -> None:
    diagnostics = lint_text(kubeadm_config(f"imageGCHighThresholdPercent: {high}\nimageGCLowThresholdPercent: {low}\n"),
                            select=("KL101", "KL302"))
    assert [d.code for d in diagnostics] == ["KL101"]


# KL303 image-max-age-too-short

def test_max_age_of_ten_minutes_warns_with_both_ages() -> None:
    found = only(lint("""
        imageMinimumGCAge: 2m
        imageMaximumGCAge: 10m
    """), "KL303")
    assert len(found) == 1
    diagnostic = found[0]
    assert diagnostic.severity is Severity.WARNING
    assert (diagnostic.span.line, diagnostic.span.column) == (BASE_LINES + 2, 20)
    assert "imageMaximumGCAge 10m0s deletes every image that no container used for 10m0s" in diagnostic.message
    assert "imageMinimumGCAge 2m0s" in diagnostic.message


def test_max_age_of_a_week_passes() -> None:
    assert not only(lint("imageMaximumGCAge: 168h\n"), "KL303")


def test_max_age_not_above_min_age_is_a_refusal_not_advice() -> None:
    assert not only(lint("""
        imageMinimumGCAge: 30m
        imageMaximumGCAge: 20m
    """), "KL303")


def test_max_age_without_its_feature_gate_is_a_refusal_not_advice() -> None:
    # ImageMaximumGCAge was alpha (off) in 1.29
    assert not only(lint("imageMaximumGCAge: 10m\n", version="1.29"), "KL303")
    assert only(lint("imageMaximumGCAge: 10m\n", version="1.30"), "KL303")
