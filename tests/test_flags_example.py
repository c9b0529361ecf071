"""The binary-install example node shows every flags rule, and its verdicts move with the target version."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from kubelint.cli import main
from kubelint.diagnostics import Severity
from tests.helpers import EXAMPLES
from tests.test_flags_helpers import BINARY_OPTS, lint_node, only

ROOT = EXAMPLES / "binary-install-node"
SYSCONFIG = "etc/sysconfig/kubelet"


def _found(version: str) -> list[tuple[str, str, int, Severity]]:
    return [(d.code, d.path, d.span.line, d.severity) for d in lint_node(ROOT, version=version)]


def test_every_flags_rule_fires_at_the_default_target() -> None:
    found = _found("1.37")
    assert {code for code, *_ in found} == {f"KL2{n:02d}" for n in range(1, 11)}
    assert [(code, line) for code, path, line, _ in found if path == BINARY_OPTS] == [
        ("KL201", 1), ("KL201", 3), ("KL209", 4), ("KL201", 9), ("KL201", 10)]
    assert [(code, line) for code, path, line, _ in found if path == SYSCONFIG] == [
        ("KL202", 3), ("KL202", 4), ("KL206", 5), ("KL207", 6), ("KL208", 7), ("KL202", 8), ("KL205", 8),
        ("KL202", 9), ("KL204", 9), ("KL203", 10), ("KL202", 11), ("KL210", 11), ("KL202", 12)]


def test_the_seed_flags_by_version() -> None:
    def removed(version: str) -> list[tuple[int, Severity]]:
        return [(line, severity) for code, path, line, severity in _found(version)
                if code == "KL201" and path == BINARY_OPTS]

    # 1.23: all four still accepted (klog flags deprecated, dockershim flags going in 1.24)
    assert removed("1.23") == [(1, Severity.WARNING), (3, Severity.WARNING), (9, Severity.WARNING)]
    assert removed("1.24") == [(1, Severity.WARNING), (3, Severity.WARNING), (9, Severity.ERROR),
                               (10, Severity.WARNING)]
    assert removed("1.34") == [(1, Severity.ERROR), (3, Severity.ERROR), (9, Severity.ERROR),
                               (10, Severity.WARNING)]
    assert removed("1.35") == [(1, Severity.ERROR), (3, Severity.ERROR), (9, Severity.ERROR), (10, Severity.ERROR)]


def test_cloud_provider_moves_from_warning_to_error() -> None:
    def cloud(version: str) -> list[Severity]:
        return [severity for code, _, _, severity in _found(version) if code == "KL208"]

    assert (cloud("1.26"), cloud("1.27")) == ([Severity.WARNING], [Severity.ERROR])


def test_cli_reports_the_example_as_json() -> None:
    result = CliRunner().invoke(main, ["node", "--root", str(ROOT), "--select", "KL2", "--format", "json",
                                       "--kubernetes-version", "1.30"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    network = [d for d in report["diagnostics"] if "--network-plugin" in d["message"] and d["code"] == "KL201"]
    assert [(d["path"].endswith(BINARY_OPTS), d["line"], d["column"], d["severity"]) for d in network] == [
        (True, 9, 1, "error")]
    assert network[0]["fix"]["applicability"] == "safe"


def test_safe_fixes_leave_a_command_line_the_kubelet_accepts(tmp_path: Path) -> None:
    root = tmp_path / "node"
    shutil.copytree(ROOT, root)
    result = CliRunner().invoke(main, ["node", "--root", str(root), "--select", "KL201", "--fix",
                                       "--kubernetes-version", "1.35"])
    assert result.exit_code == 0, result.output
    assert (root / BINARY_OPTS).read_text(encoding="utf-8") == (
        'KUBELET_OPTS="--v=2 \\\n'
        "--hostname-override=k8s-master \\\n"
        "--config=/opt/kubernetes/cfg/kubelet-config.yml \\\n"
        "--kubeconfig=/opt/kubernetes/cfg/kubelet.kubeconfig \\\n"
        "--bootstrap-kubeconfig=/opt/kubernetes/cfg/bootstrap.kubeconfig \\\n"
        '--cert-dir=/opt/kubernetes/ssl"\n')
    assert only(lint_node(root, version="1.35"), "KL201") == []
