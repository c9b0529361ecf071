"""Container GC flag interplay (``container_gc_findings``), as the command-line rules will call it."""

from __future__ import annotations

from kubelint.diagnostics import Severity
from kubelint.models.types import Duration
from kubelint.rules.gc_eviction.container_gc import (
    PER_CONTAINER_FLAG,
    TOTAL_FLAG,
    TTL_FLAG,
    ContainerGCFinding,
    container_gc_findings,
)


def summary(findings: list[ContainerGCFinding]) -> list[tuple[str, Severity]]:
    return [(finding.flag, finding.severity) for finding in findings]


def test_no_flags_given_means_the_defaults_and_no_advice() -> None:
    assert container_gc_findings(None, None, None) == []


def test_kubeadm_era_flags_with_defaults_spelled_out_pass() -> None:
    # --maximum-dead-containers-per-container=1 --maximum-dead-containers=-1 (the defaults)
    assert container_gc_findings(None, 1, -1) == []


def test_negative_ttl_is_refused_by_the_kubelet() -> None:
    findings = container_gc_findings(Duration.parse("-1m"), None, None)
    assert summary(findings) == [(TTL_FLAG, Severity.ERROR)]
    assert "--minimum-container-ttl-duration=-1m0s is negative: the kubelet refuses to start" in findings[0].message


def test_both_count_limits_switched_off_keeps_dead_containers_forever() -> None:
    findings = container_gc_findings(None, -1, -1)
    assert summary(findings) == [(PER_CONTAINER_FLAG, Severity.WARNING)]
    assert ("--maximum-dead-containers-per-container=-1 and --maximum-dead-containers=-1 switch both "
            "count limits off") in findings[0].message


def test_negative_per_container_alone_is_fine_when_the_node_wide_limit_holds() -> None:
    assert container_gc_findings(None, -1, 240) == []


def test_zero_per_container_keeps_no_previous_logs() -> None:
    findings = container_gc_findings(None, 0, None)
    assert summary(findings) == [(PER_CONTAINER_FLAG, Severity.WARNING)]
    assert "kubectl logs --previous" in findings[0].message


def test_zero_node_wide_limit_keeps_no_dead_container_at_all() -> None:
    findings = container_gc_findings(None, None, 0)
    assert summary(findings) == [(TOTAL_FLAG, Severity.WARNING)]
    assert findings[0].message.startswith("--maximum-dead-containers=0 keeps no dead container on the node")


def test_node_wide_limit_below_the_per_container_one_wins() -> None:
    findings = container_gc_findings(None, 5, 3)
    assert summary(findings) == [(PER_CONTAINER_FLAG, Severity.WARNING)]
    assert ("--maximum-dead-containers-per-container=5 can never be honoured: the node-wide "
            "--maximum-dead-containers=3 is smaller and wins") in findings[0].message


def test_node_wide_limit_above_the_per_container_one_passes() -> None:
    assert container_gc_findings(None, 2, 100) == []


def test_minimum_ttl_holds_dead_containers_back_from_the_count_limits() -> None:
    # the article's era: --minimum-container-ttl-duration=1m with the count defaults
    findings = container_gc_findings(Duration.parse("1m"), 2, None)
    assert summary(findings) == [(TTL_FLAG, Severity.INFO)]
    assert ("dead containers younger than 1m0s are kept whatever the count limits "
            "(--maximum-dead-containers-per-container=2)") in findings[0].message


def test_zero_ttl_means_no_minimum_age() -> None:
    assert container_gc_findings(Duration(0), 1, 100) == []


def test_ttl_without_any_count_limit_only_reports_the_missing_limits() -> None:
    findings = container_gc_findings(Duration.parse("1m"), -1, -1)
    assert summary(findings) == [(PER_CONTAINER_FLAG, Severity.WARNING)]
