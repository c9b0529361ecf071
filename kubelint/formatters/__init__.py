"""Output formats. Each module exposes ``render(report, context) -> str``.

Formatters see diagnostics and file texts only; they never know a rule's
internals. They are imported lazily so that ``kubelint check`` pays only
for the format it prints.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from kubelint.records import Record

if TYPE_CHECKING:
    from kubelint.analysis import Report

FORMATS = ("text", "json", "sarif", "github", "junit", "lsp")


class RenderContext(Record):
    __slots__ = ("color", "fail_on", "show_source", "statistics", "summaries")
    color: Final[bool]
    statistics: Final[bool]
    show_source: Final[bool]
    fail_on: Final[str]
    # summaries after the findings (the /configz fleet table); off with -q
    summaries: Final[bool]

    def __init__(self, color: bool = False, statistics: bool = False, show_source: bool = True,
                 fail_on: str = "warning", summaries: bool = True) -> None:
        self.color = color
        self.statistics = statistics
        self.show_source = show_source
        self.fail_on = fail_on
        self.summaries = summaries


def renderer(name: str) -> Callable[[Report, RenderContext], str]:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}")
    module = importlib.import_module(f"kubelint.formatters.{name}")
    render: Callable[[Report, RenderContext], str] = module.render
    return render
