"""``--format junit``: JUnit XML that CI test-report views parse."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from kubelint.analysis import FileResult, Report
from kubelint.diagnostics import Diagnostic, Location, Severity, Span
from kubelint.formatters import RenderContext
from kubelint.formatters.junit import render

REPO = Path(__file__).resolve().parent.parent
BAD = """\
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxPod: 250
maxPodz: 250
imageGCHighThresholdPercent: 80
"""
CLEAN = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"


def run_kubelint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "kubelint.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_junit_shape(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    report = tmp_path / "report.xml"
    done = run_kubelint("check", "bad.yaml", "clean.yaml", "--format", "junit", "--select", "KL0,KL1",
                        "--output-file", str(report), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert set(suites) == {"bad.yaml", "clean.yaml"}

    bad = suites["bad.yaml"]
    cases = {case.get("name"): case for case in bad.findall("testcase")}
    assert set(cases) == {"KL011 [unknown-field]", "KL101 [image-gc-thresholds]"}
    assert all(case.get("classname") == "bad.yaml" for case in cases.values())
    assert bad.get("tests") == "2" and bad.get("failures") == "2"
    # one failure per finding: both typos are in the one unknown-field testcase
    unknown = cases["KL011 [unknown-field]"].findall("failure")
    assert [f.get("message", "").split(":")[0] for f in unknown] == ["3", "4"]
    assert all(f.get("type") == "KL011 warning" for f in unknown)
    assert "maxPod" in (unknown[0].get("message") or "")
    assert "bad.yaml:3:1: KL011 [unknown-field]" in (unknown[0].text or "")
    (gc,) = cases["KL101 [image-gc-thresholds]"].findall("failure")
    assert gc.get("type") == "KL101 error"

    clean = suites["clean.yaml"]
    assert clean.get("tests") == "1" and clean.get("failures") == "0"
    assert [c.findall("failure") for c in clean.findall("testcase")] == [[]]
    assert root.get("tests") == "3" and root.get("failures") == "2"


def test_control_characters_do_not_break_the_xml() -> None:
    diagnostic = Diagnostic(Location("a.yaml", Span(1, 1, 1, 2)), "KL005", "binary-file", Severity.ERROR,
                            "byte \x00\x07 <here> & \"there\"")
    out = render(Report([FileResult("a.yaml", None, [diagnostic])]), RenderContext())
    failure = ET.fromstring(out).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "1:1: byte \ufffd\ufffd <here> & \"there\""
