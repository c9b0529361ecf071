"""``--format github``: workflow commands the Actions runner turns into annotations."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from kubelint.analysis import FileResult, Report
from kubelint.diagnostics import Diagnostic, Location, Related, Severity, Span
from kubelint.formatters import RenderContext
from kubelint.formatters.github import escape_data, escape_property, render

REPO = Path(__file__).resolve().parent.parent
BAD = """\
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxPod: 250
imageGCHighThresholdPercent: 80
"""
COMMAND = re.compile(r"^::(error|warning|notice) ((?:[A-Za-z]+=[^,:]*)(?:,[A-Za-z]+=[^,:]*)*)::(.*)$")


def run_kubelint(*args: str, cwd: Path, env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), **env_extra}
    return subprocess.run([sys.executable, "-m", "kubelint.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def unescape(text: str) -> str:
    return text.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, f"not a workflow command: {line!r}"
    properties = dict(part.split("=", 1) for part in match.group(2).split(","))
    return match.group(1), {k: unescape(v) for k, v in properties.items()}, unescape(match.group(3))


def test_actions_environment_selects_annotations(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(BAD, encoding="utf-8")
    done = run_kubelint("check", "config.yaml", cwd=tmp_path, env_extra={"GITHUB_ACTIONS": "true"})
    assert done.returncode == 1, done.stderr
    commands = [parse(line) for line in done.stdout.splitlines()]
    by_title = {props["title"]: (level, props, message) for level, props, message in commands}
    level, props, message = by_title["KL011 [unknown-field]"]
    assert level == "warning"
    assert props == {"file": "config.yaml", "line": "3", "col": "1", "endLine": "3", "endColumn": "7",
                     "title": "KL011 [unknown-field]"}
    assert message.splitlines()[0].startswith("unknown field 'maxPod'")
    assert message.splitlines()[1] == "fix (safe): rename 'maxPod' to 'maxPods'"
    level, props, _ = by_title["KL101 [image-gc-thresholds]"]
    assert level == "error" and props["line"] == "4" and props["col"] == "30"


def test_escaping_follows_the_runner() -> None:
    assert escape_data("100% sure\r\nnext") == "100%25 sure%0D%0Anext"
    assert escape_property("a,b:c%d\n") == "a%2Cb%3Ac%25d%0A"
    # data keeps ':' and ',' (only properties are delimited by them)
    assert escape_data("x: 1, y") == "x: 1, y"


def _render(*diagnostics: Diagnostic) -> list[str]:
    report = Report([FileResult("odd,name:1%.yaml", None, list(diagnostics))])
    return render(report, RenderContext()).splitlines()


def test_properties_and_message_are_escaped() -> None:
    where = Location("odd,name:1%.yaml", Span(2, 3, 2, 9))
    diagnostic = Diagnostic(where, "KL999", "some-rule", Severity.INFO, "50% of\nthe: value, here",
                            related=(Related(Location("other.yaml", Span(1, 1, 1, 2)), "other, half"),))
    (line,) = _render(diagnostic)
    assert line.startswith("::notice file=odd%2Cname%3A1%25.yaml,line=2,col=3,endLine=2,endColumn=9,"
                           "title=KL999 [some-rule]::")
    level, props, message = parse(line)
    assert level == "notice" and props["file"] == "odd,name:1%.yaml"
    assert message == "50% of\nthe: value, here\nrelated: other.yaml:1:1: other, half"
    assert "\n" not in line


def test_multi_line_region_has_no_columns() -> None:
    # the runner drops an annotation with col/endColumn across lines
    diagnostic = Diagnostic(Location("a.yaml", Span(3, 5, 6, 2)), "KL999", "x", Severity.ERROR, "m")
    (line,) = _render(diagnostic)
    _, props, _ = parse(line)
    assert props == {"file": "a.yaml", "line": "3", "endLine": "6", "title": "KL999 [x]"}


def test_empty_region_never_ends_before_it_starts() -> None:
    diagnostic = Diagnostic(Location("a.yaml", Span(1, 1, 1, 1)), "KL999", "x", Severity.WARNING, "m")
    (line,) = _render(diagnostic)
    _, props, _ = parse(line)
    assert int(props["endColumn"]) >= int(props["col"])


def test_no_findings_no_output() -> None:
    assert render(Report([FileResult("a.yaml", None, [])]), RenderContext()) == ""
