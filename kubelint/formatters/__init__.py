"""Output formats. Each module exposes ``render(report, context) -> str``.

Formatters see diagnostics and file texts only; they never know a rule's
internals. They are imported lazily so that ``kubelint check`` pays only
for the format it prints.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kubelint.analysis import Report

FORMATS = ("text", "json", "sarif", "github", "junit", "lsp")


@dataclass(frozen=True)
class RenderContext:
    color: bool = False
    statistics: bool = False
    show_source: bool = True
    fail_on: str = "warning"
    # summaries after the findings (the /configz fleet table); off with -q
    summaries: bool = True


def renderer(name: str) -> Callable[[Report, RenderContext], str]:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}")
    module = importlib.import_module(f"kubelint.formatters.{name}")
    render: Callable[[Report, RenderContext], str] = module.render
    return render
