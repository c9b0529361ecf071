"""``kubelint check --format sarif``: valid SARIF 2.1.0 that code scanning can ingest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kubelint.analysis import FileResult, Report
from kubelint.diagnostics import Applicability, Diagnostic, Fix, Location, Severity, Span, TextEdit
from kubelint.engine import all_rules
from kubelint.formatters import RenderContext
from kubelint.formatters.sarif import minimal_replacement, sarif_log, yaml_fix_text
from kubelint.source import SourceFile

REPO = Path(__file__).resolve().parent.parent
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

BAD = """\
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxPod: 250
imageGCHighThresholdPercent: 80
imageGCLowThresholdPercent: 90
readOnlyPort: 10255
"""


def run_kubelint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "kubelint.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def validate(log: dict[str, Any]) -> None:
    validator = jsonschema.Draft7Validator(SARIF_SCHEMA)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@pytest.fixture(scope="module")
def sarif(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("sarif")
    (root / "nodes").mkdir()
    (root / "nodes" / "kubelet config.yaml").write_text(BAD, encoding="utf-8")
    done = run_kubelint("check", "nodes", "--format", "sarif", cwd=root)
    assert done.returncode == 1, done.stderr
    log: dict[str, Any] = json.loads(done.stdout)
    return log


def test_cli_output_is_valid_sarif(sarif: dict[str, Any]) -> None:
    validate(sarif)
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"]) == 1


def test_driver_lists_every_rule_with_docs(sarif: dict[str, Any]) -> None:
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "kubelint"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [rule.code for rule in all_rules()]
    by_id = {r["id"]: r for r in rules}
    gc = by_id["KL101"]
    assert gc["name"] == "image-gc-thresholds"
    assert gc["helpUri"] == "https://github.com/kubelint/kubelint/blob/main/docs/rules.md#kl101"
    assert gc["defaultConfiguration"]["level"] == "error"
    rule = next(rule for rule in all_rules() if rule.code == "KL101")
    assert gc["shortDescription"]["text"] == rule.summary
    # the full description is the docstring's body, not the summary again
    assert "Why:" in gc["fullDescription"]["text"]
    cis_rules = [rule for rule in all_rules() if rule.cis]
    assert cis_rules, "no rule carries a CIS id"
    for rule in cis_rules:
        tags = by_id[rule.code]["properties"]["tags"]
        assert all(f"CIS-{cis}" in tags for cis in rule.cis)
        assert "security" in tags


def test_results_point_at_the_values(sarif: dict[str, Any]) -> None:
    run = sarif["runs"][0]
    results = run["results"]
    rules = run["tool"]["driver"]["rules"]
    by_rule = {r["ruleId"]: r for r in results}
    assert {"KL011", "KL101"} <= set(by_rule)
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    unknown = by_rule["KL011"]
    assert unknown["level"] == "warning"
    location = unknown["locations"][0]["physicalLocation"]
    # relative to the checkout root, percent-encoded, forward slashes
    assert location["artifactLocation"] == {"uri": "nodes/kubelet%20config.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 7}
    gc = by_rule["KL101"]
    assert gc["level"] == "error"
    related = gc["relatedLocations"]
    assert related and related[0]["physicalLocation"]["region"]["startLine"] in (4, 5)
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://")


def test_yaml_fix_is_a_replacement_when_the_fixer_can_render_it(sarif: dict[str, Any]) -> None:
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "KL011")
    assert result["properties"]["fix"] == {"description": "rename 'maxPod' to 'maxPods'", "applicability": "safe"}
    if yaml_fix_text("a: 1\n", []) is None:
        assert "fixes" not in result  # SARIF has no fix without replacements
        return
    (replacement,) = result["fixes"][0]["artifactChanges"][0]["replacements"]
    region = replacement["deletedRegion"]
    lines = BAD.splitlines(keepends=True)
    # apply it the way a SARIF viewer would: the region is 1-based, end exclusive
    start = sum(len(line) for line in lines[:region["startLine"] - 1]) + region["startColumn"] - 1
    end = sum(len(line) for line in lines[:region["endLine"] - 1]) + region["endColumn"] - 1
    fixed = BAD[:start] + replacement["insertedContent"]["text"] + BAD[end:]
    assert fixed == BAD.replace("maxPod:", "maxPods:")


def _report_with_text_fix() -> Report:
    text = "KUBELET_KUBEADM_ARGS=\"--cgroup-driver=cgroupfs --pod-infra-container-image=pause\"\n"
    source = SourceFile(None, "var/lib/kubelet/kubeadm-flags.env", text)
    fix = Fix("remove the flag", Applicability.UNSAFE,
              (TextEdit(source.display, Span(1, 49, 1, 82), ""),))
    diagnostic = Diagnostic(Location(source.display, Span(1, 50, 1, 82)), "KL201", "removed-flag", Severity.ERROR,
                            "--pod-infra-container-image was removed", fix=fix)
    return Report([FileResult(source.display, None, [diagnostic], source=source)])


def test_text_fix_becomes_artifact_change() -> None:
    log = sarif_log(_report_with_text_fix())
    validate(log)
    fix = log["runs"][0]["results"][0]["fixes"][0]
    assert fix["description"]["text"] == "remove the flag"
    change = fix["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "var/lib/kubelet/kubeadm-flags.env"
    assert change["replacements"] == [
        {"deletedRegion": {"startLine": 1, "startColumn": 49, "endLine": 1, "endColumn": 82},
         "insertedContent": {"text": ""}}
    ]


def test_clean_file_gives_empty_results(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text(
        "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n", encoding="utf-8")
    done = run_kubelint("check", "ok.yaml", "--format", "sarif", "--select", "KL0", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    log = json.loads(done.stdout)
    validate(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_minimal_replacement_spans_only_the_change() -> None:
    old = "a: 1\nmaxPod: 2\nz: 3\n"
    new = "a: 1\nmaxPods: 2\nz: 3\n"
    span, text = minimal_replacement(old, new) or (None, None)
    assert span == Span(2, 7, 2, 7) and text == "s"
    assert minimal_replacement(old, old) is None
    span, text = minimal_replacement("x: 1\ny: 2\n", "x: 1\n") or (None, None)
    assert span == Span(2, 1, 3, 1) and text == ""


def test_secrets_are_redacted() -> None:
    report = _report_with_text_fix()
    result = report.files[0]
    token = "q1w2e3.r4t5y6u7i8o9p0a1"
    result.diagnostics = [
        Diagnostic(Location(result.display, Span(1, 1, 1, 2)), "KL501", "x", Severity.ERROR, f"token {token} leaked")
    ]
    from kubelint.formatters.sarif import render

    out = render(report, RenderContext())
    assert token not in out and "q1w2e3.****************" in out
