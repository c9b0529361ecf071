"""Shared helpers: lint text the way ``kubelint check`` does, without a subprocess."""

from __future__ import annotations

import textwrap
from pathlib import Path

from kubelint import knowledge
from kubelint.analysis import Options, lint_source
from kubelint.diagnostics import Diagnostic
from kubelint.engine import Selection, all_rules
from kubelint.source import SourceFile

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def lint_text(text: str, path: str = "config.yaml", *, version: str | None = None,
              select: tuple[str, ...] = ("ALL",)) -> list[Diagnostic]:
    """Lint ``text`` as if it were the file ``path``; dedents the text first."""
    target = knowledge.parse_version(version) if version else knowledge.default_target_version()
    options = Options(version=target, selection=Selection(select=select))
    rules = [rule for rule in all_rules() if options.selection.enabled(rule)]
    source = SourceFile(None, path, textwrap.dedent(text).lstrip("\n"))
    result = lint_source(source, options, rules, explicit=True)
    return result.diagnostics if result else []


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


def only(diagnostics: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == code or d.name == code]
