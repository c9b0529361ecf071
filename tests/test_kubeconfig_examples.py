"""The example kubeconfigs under examples/files: clean ones pass every rule, bad
ones show each finding on the line whose comment names it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, lint_text

FILES = EXAMPLES / "files"
CLEAN = ["kubeconfig-kubelet-clean.conf", "bootstrap-kubeadm-clean.kubeconfig"]
BAD = ["kubeconfig-kubelet-bad.conf", "bootstrap-binary-bad.kubeconfig"]
_MARKER = re.compile(r"#\s*(KL5\d\d)\b")


def marked_lines(path: Path) -> dict[int, str]:
    marks: dict[int, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _MARKER.search(line)
        if match and not line.lstrip().startswith("#"):
            marks[number] = match.group(1)
    return marks


@pytest.mark.parametrize("name", CLEAN)
def test_clean_example_passes_every_rule(name: str) -> None:
    path = FILES / name
    assert lint_text(path.read_text(encoding="utf-8"), f"examples/files/{name}") == []


@pytest.mark.parametrize("name", BAD)
def test_bad_example_has_each_finding_where_its_comment_says(name: str) -> None:
    path = FILES / name
    found = lint_text(path.read_text(encoding="utf-8"), f"examples/files/{name}")
    assert {d.span.line: d.code for d in found} == marked_lines(path)
    assert len(found) == len(marked_lines(path)) >= 6


def test_bad_examples_never_print_their_tokens() -> None:
    for name in BAD:
        for diagnostic in lint_text((FILES / name).read_text(encoding="utf-8"), f"examples/files/{name}"):
            assert "f395accd246ae52d" not in diagnostic.message
            assert "c47ffb939f5ca36231d9e3121a252940" not in diagnostic.message
