"""Diagnostics: what every rule produces and every formatter consumes.

Positions are 1-based lines and columns (columns count Unicode code points, as
editors show them). ``end_column`` is exclusive: the value ``abc`` starting in
column 5 spans columns 5..8. Formatters that need 0-based positions (LSP)
convert at the edge.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Literal


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so that ``>=`` compares badness."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or info)") from None


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A region of a file: 1-based line/column, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int = 1) -> Span:
        return cls(line, column, line, column + 1)

    @classmethod
    def whole_line(cls, line: int, length: int) -> Span:
        return cls(line, 1, line, max(length, 0) + 1)


FILE_START = Span(1, 1, 1, 1)


@dataclass(frozen=True, slots=True)
class Location:
    path: str
    span: Span

    def __str__(self) -> str:
        return f"{self.path}:{self.span.line}:{self.span.column}"


class Applicability(enum.StrEnum):
    """ruff's vocabulary: safe fixes keep behaviour, unsafe ones change it."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace the text inside ``span`` of ``path`` with ``new_text``."""

    path: str
    span: Span
    new_text: str


YamlOp = Literal["set", "rename", "delete"]


@dataclass(frozen=True, slots=True)
class YamlEdit:
    """A structural edit of one YAML/JSON document, applied by the fixer.

    ``key_path`` addresses a node from the document root (mapping keys and
    sequence indexes). ``set`` replaces (or adds) the value at ``key_path``,
    ``rename`` renames the last key to ``new_key`` keeping its value and
    comments, ``delete`` removes the key.
    """

    path: str
    document: int
    key_path: tuple[str | int, ...]
    op: YamlOp
    value: Any = None
    new_key: str | None = None


Edit = TextEdit | YamlEdit


@dataclass(frozen=True, slots=True)
class Fix:
    description: str
    applicability: Applicability
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class Related:
    """The other half of a cross-file finding."""

    location: Location
    message: str


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule yields; the engine adds the rule's code, name and severity."""

    location: Location
    message: str
    severity: Severity | None = None
    fix: Fix | None = None
    hint: str | None = None
    related: tuple[Related, ...] = ()


@dataclass(frozen=True, slots=True)
class Diagnostic:
    location: Location
    code: str
    name: str
    severity: Severity
    message: str
    fix: Fix | None = None
    hint: str | None = None
    related: tuple[Related, ...] = field(default=())

    @property
    def path(self) -> str:
        return self.location.path

    @property
    def span(self) -> Span:
        return self.location.span

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.column, self.code)
