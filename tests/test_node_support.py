"""Helpers for the node tests: copy a tree under tests/trees/node, change a file, lint it.

Test modules import these; pytest collects nothing here.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from kubelint import knowledge
from kubelint.analysis import Options, gate_defaults
from kubelint.diagnostics import Diagnostic
from kubelint.engine import Selection, all_rules
from kubelint.node import NodeView, build_from_root
from kubelint.node_analysis import lint_node

TREES = Path(__file__).resolve().parent / "trees" / "node"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def copy_tree(name: str, tmp_path: Path) -> Path:
    """A private copy of ``tests/trees/node/<name>`` that a test may change."""
    target = tmp_path / name
    shutil.copytree(TREES / name, target, symlinks=True)
    return target


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def version(text: str) -> tuple[int, int]:
    return knowledge.parse_version(text)


def node_of(root: Path, target: str = "1.30") -> NodeView:
    parsed = version(target)
    return build_from_root(root, parsed, gate_defaults(parsed))


def lint_root(root: Path, target: str = "1.30", *, select: tuple[str, ...] = ("ALL",), prefix: str = "",
              real_root: bool = False) -> list[Diagnostic]:
    """Every diagnostic of a node tree, paths relative to the root (or under ``prefix``)."""
    options = Options(version=version(target), selection=Selection(select=select))
    rules = [rule for rule in all_rules() if options.selection.enabled(rule)]
    results = lint_node(node_of(root, target), options, rules, prefix=prefix, real_root=real_root)
    return [diagnostic for result in results for diagnostic in result.diagnostics]


def only(diagnostics: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == code]


def at(diagnostic: Diagnostic) -> tuple[str, int, int]:
    return diagnostic.path, diagnostic.span.line, diagnostic.span.column


def line_of(root: Path, relative: str, needle: str) -> int:
    """1-based number of the first line of a tree file that contains ``needle``."""
    for number, line in enumerate((root / relative).read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {relative}")


def column_of(root: Path, relative: str, needle: str) -> int:
    line = (root / relative).read_text(encoding="utf-8").splitlines()[line_of(root, relative, needle) - 1]
    return line.index(needle) + 1
