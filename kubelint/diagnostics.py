"""Diagnostics: what every rule produces and every formatter consumes.

Positions are 1-based lines and columns (columns count Unicode code points, as
editors show them). ``end_column`` is exclusive: the value ``abc`` starting in
column 5 spans columns 5..8. Formatters that need 0-based positions (LSP)
convert at the edge.
"""

from __future__ import annotations

import enum
from typing import Any, Final, Literal

from kubelint.records import OrderedRecord, Record


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


class Span(OrderedRecord):
    """A region of a file: 1-based line/column, end column exclusive.

    Ordered by (line, column, end_line, end_column), as the dataclass was.
    """

    __slots__ = ("column", "end_column", "end_line", "line")
    line: Final[int]
    column: Final[int]
    end_line: Final[int]
    end_column: Final[int]

    def __init__(self, line: int, column: int, end_line: int, end_column: int) -> None:
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column

    @classmethod
    def point(cls, line: int, column: int = 1) -> Span:
        return cls(line, column, line, column + 1)

    @classmethod
    def whole_line(cls, line: int, length: int) -> Span:
        return cls(line, 1, line, max(length, 0) + 1)


FILE_START = Span(1, 1, 1, 1)


class Location(Record):
    __slots__ = ("path", "span")
    path: Final[str]
    span: Final[Span]

    def __init__(self, path: str, span: Span) -> None:
        self.path = path
        self.span = span

    def __str__(self) -> str:
        return f"{self.path}:{self.span.line}:{self.span.column}"


class Applicability(enum.StrEnum):
    """ruff's vocabulary: safe fixes keep behaviour, unsafe ones change it."""

    SAFE = "safe"
    UNSAFE = "unsafe"


class TextEdit(Record):
    """Replace the text inside ``span`` of ``path`` with ``new_text``."""

    __slots__ = ("new_text", "path", "span")
    path: Final[str]
    span: Final[Span]
    new_text: Final[str]

    def __init__(self, path: str, span: Span, new_text: str) -> None:
        self.path = path
        self.span = span
        self.new_text = new_text

    def with_path(self, path: str) -> TextEdit:
        return TextEdit(path, self.span, self.new_text)


YamlOp = Literal["set", "rename", "delete"]


class YamlEdit(Record):
    """A structural edit of one YAML/JSON document, applied by the fixer.

    ``key_path`` addresses a node from the document root (mapping keys and
    sequence indexes). ``set`` replaces (or adds) the value at ``key_path``,
    ``rename`` renames the last key to ``new_key`` keeping its value and
    comments, ``delete`` removes the key.
    """

    __slots__ = ("document", "key_path", "new_key", "op", "path", "value")
    path: Final[str]
    document: Final[int]
    key_path: Final[tuple[str | int, ...]]
    op: Final[YamlOp]
    value: Final[Any]
    new_key: Final[str | None]

    def __init__(self, path: str, document: int, key_path: tuple[str | int, ...], op: YamlOp, value: Any = None,
                 new_key: str | None = None) -> None:
        self.path = path
        self.document = document
        self.key_path = key_path
        self.op = op
        self.value = value
        self.new_key = new_key

    def with_path(self, path: str) -> YamlEdit:
        return YamlEdit(path, self.document, self.key_path, self.op, self.value, self.new_key)


Edit = TextEdit | YamlEdit


class Fix(Record):
    __slots__ = ("applicability", "description", "edits")
    description: Final[str]
    applicability: Final[Applicability]
    edits: Final[tuple[Edit, ...]]

    def __init__(self, description: str, applicability: Applicability, edits: tuple[Edit, ...]) -> None:
        self.description = description
        self.applicability = applicability
        self.edits = edits


class Related(Record):
    """The other half of a cross-file finding."""

    __slots__ = ("location", "message")
    location: Final[Location]
    message: Final[str]

    def __init__(self, location: Location, message: str) -> None:
        self.location = location
        self.message = message


class Finding(Record):
    """What a rule yields; the engine adds the rule's code, name and severity."""

    __slots__ = ("fix", "hint", "location", "message", "related", "severity")
    location: Final[Location]
    message: Final[str]
    severity: Final[Severity | None]
    fix: Final[Fix | None]
    hint: Final[str | None]
    related: Final[tuple[Related, ...]]

    def __init__(self, location: Location, message: str, severity: Severity | None = None, fix: Fix | None = None,
                 hint: str | None = None, related: tuple[Related, ...] = ()) -> None:
        self.location = location
        self.message = message
        self.severity = severity
        self.fix = fix
        self.hint = hint
        self.related = related


class Diagnostic(Record):
    __slots__ = ("code", "fix", "hint", "location", "message", "name", "related", "severity")
    location: Final[Location]
    code: Final[str]
    name: Final[str]
    severity: Final[Severity]
    message: Final[str]
    fix: Final[Fix | None]
    hint: Final[str | None]
    related: Final[tuple[Related, ...]]

    def __init__(self, location: Location, code: str, name: str, severity: Severity, message: str,
                 fix: Fix | None = None, hint: str | None = None, related: tuple[Related, ...] = ()) -> None:
        self.location = location
        self.code = code
        self.name = name
        self.severity = severity
        self.message = message
        self.fix = fix
        self.hint = hint
        self.related = related

    @property
    def path(self) -> str:
        return self.location.path

    @property
    def span(self) -> Span:
        return self.location.span

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.column, self.code)
