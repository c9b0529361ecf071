"""TOML with positions: ``tomllib`` for the data, a light scanner for the spans.

``tomllib`` is the authority on what a document means; it keeps no positions,
so after it accepts a document a second, much simpler pass walks the text and
records where every key path is written. The scanner only has to be right for
documents ``tomllib`` already accepted, which keeps it small: it never decides
validity, it only has to step over strings, arrays and inline tables without
mistaking their contents for keys.

Key paths mirror the data: table and key names are strings, indexes into
arrays (including arrays of tables) are ints, so
``("plugins", "io.containerd.grpc.v1.cri", "containerd", "runtimes", "runc",
"options", "SystemdCgroup")`` addresses the same node in ``data`` and in
``positions``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kubelint.diagnostics import Span

KeyPath = tuple[str | int, ...]

__all__ = [
    "KeyPath",
    "KeyPosition",
    "TomlDocument",
    "TomlSyntaxError",
    "iter_paths",
    "parse_toml",
    "scan_positions",
]


@dataclass(frozen=True, slots=True)
class KeyPosition:
    """Where one key path is written.

    ``key`` covers the last key segment as written (quotes included), so a
    rename fix can replace exactly that text. ``value`` covers the value; for
    a ``[table]`` or ``[[array]]`` header it covers the whole header, for an
    intermediate segment of a dotted key it runs to the end of the value. An
    array element has no key of its own, so both spans cover the element.
    """

    key: Span
    value: Span


@dataclass(frozen=True, slots=True)
class TomlDocument:
    """A parsed TOML document plus the position of every key path in it."""

    data: dict[str, Any]
    positions: dict[KeyPath, KeyPosition] = field(default_factory=dict)

    def position(self, path: KeyPath) -> KeyPosition | None:
        return self.positions.get(tuple(path))

    def key_span(self, path: KeyPath) -> Span | None:
        found = self.positions.get(tuple(path))
        return found.key if found is not None else None

    def value_span(self, path: KeyPath) -> Span | None:
        found = self.positions.get(tuple(path))
        return found.value if found is not None else None

    def nearest(self, path: KeyPath) -> tuple[KeyPath, KeyPosition] | None:
        """The deepest recorded ancestor of ``path`` (itself included).

        A setting left at its default has no position; its closest written
        table is where a finding about it (or a fix adding it) belongs.
        """
        current = tuple(path)
        while current:
            found = self.positions.get(current)
            if found is not None:
                return current, found
            current = current[:-1]
        return None

    def get(self, path: KeyPath) -> Any:
        """The data at ``path``, or ``None`` when any step is missing."""
        node: Any = self.data
        for step in path:
            if isinstance(step, int):
                if not isinstance(node, list) or not -len(node) <= step < len(node):
                    return None
            elif not isinstance(node, dict) or step not in node:
                return None
            node = node[step]
        return node


class TomlSyntaxError(NamedTuple):
    """A document ``tomllib`` rejected: where it stopped, and why."""

    span: Span
    message: str


_LOCATION_SUFFIX = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_END_SUFFIX = re.compile(r"\s*\(at end of document\)\s*$")


def parse_toml(text: str) -> TomlDocument | TomlSyntaxError:
    """Parse ``text``; never raises, a rejected document becomes a TomlSyntaxError."""
    # Imported here: most kubelint runs see no TOML, and cold start matters.
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return _syntax_error(text, exc)
    except RecursionError:
        # tomllib recurses per nesting level; absurd nesting exhausts the stack.
        return TomlSyntaxError(Span.point(1, 1), "document is nested too deeply to parse")
    except Exception as exc:  # the contract is "never raise"
        return TomlSyntaxError(Span.point(1, 1), f"cannot parse TOML: {exc}")
    return TomlDocument(data=data, positions=scan_positions(text))


def _syntax_error(text: str, exc: Exception) -> TomlSyntaxError:
    # Python 3.14 exposes the position as attributes; 3.11 only in the message.
    raw = str(getattr(exc, "msg", None) or exc)
    lineno = getattr(exc, "lineno", None)
    colno = getattr(exc, "colno", None)
    message = _END_SUFFIX.sub("", _LOCATION_SUFFIX.sub("", raw))
    if not isinstance(lineno, int) or not isinstance(colno, int):
        located = _LOCATION_SUFFIX.search(str(exc))
        if located is not None:
            lineno, colno = int(located.group(1)), int(located.group(2))
        else:
            lineno, colno = _end_of_text(text)
    return TomlSyntaxError(Span.point(max(lineno, 1), max(colno, 1)), message or "invalid TOML")


def _end_of_text(text: str) -> tuple[int, int]:
    last_newline = text.rfind("\n")
    return text.count("\n") + 1, len(text) - last_newline


class _ScanError(Exception):
    """The scanner met text it does not understand (only on invalid TOML)."""


_BARE_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_SCALAR_STOP = frozenset(",]}#\r\n")
_SIMPLE_ESCAPES = {
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    '"': '"',
    "\\": "\\",
}


def _decode_basic(raw: str) -> str:
    """Decode the escapes of a basic-string key so it matches tomllib's key."""
    if "\\" not in raw:
        return raw
    out: list[str] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch != "\\" or i + 1 >= len(raw):
            out.append(ch)
            i += 1
            continue
        code = raw[i + 1]
        if code in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[code])
            i += 2
            continue
        width = {"u": 4, "U": 8, "x": 2}.get(code)
        digits = raw[i + 2 : i + 2 + width] if width else ""
        if width and len(digits) == width:
            try:
                out.append(chr(int(digits, 16)))
                i += 2 + width
                continue
            except ValueError:
                pass
        out.append(ch)
        i += 1
    return "".join(out)


class _Scanner:
    """Walks TOML text and records a KeyPosition for every key path."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.line_starts = [0]
        start = text.find("\n")
        while start != -1:
            self.line_starts.append(start + 1)
            start = text.find("\n", start + 1)
        self.positions: dict[KeyPath, KeyPosition] = {}
        # Paths recorded only because a longer key mentioned them; a later
        # explicit definition replaces them, another mention does not.
        self.implicit: set[KeyPath] = set()
        self.array_counts: dict[KeyPath, int] = {}
        self.table: KeyPath = ()

    # -- positions -------------------------------------------------------

    def span(self, start: int, end: int) -> Span:
        line, column = self.line_col(start)
        end_line, end_column = self.line_col(end)
        return Span(line, column, end_line, end_column)

    def line_col(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def record(self, path: KeyPath, key: Span, value: Span) -> None:
        self.positions[path] = KeyPosition(key, value)
        self.implicit.discard(path)

    def record_implicit(self, path: KeyPath, key: Span, value: Span) -> None:
        if path not in self.positions:
            self.positions[path] = KeyPosition(key, value)
            self.implicit.add(path)

    # -- lexical helpers -------------------------------------------------

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < self.n else ""

    def skip_blanks(self) -> None:
        while self.pos < self.n and self.text[self.pos] in " \t":
            self.pos += 1

    def skip_comment(self) -> None:
        if self.peek() == "#":
            newline = self.text.find("\n", self.pos)
            self.pos = self.n if newline == -1 else newline

    def skip_space_and_newlines(self) -> None:
        """Whitespace, newlines and comments, as allowed inside arrays."""
        while self.pos < self.n:
            ch = self.text[self.pos]
            if ch in " \t\r\n":
                self.pos += 1
            elif ch == "#":
                self.skip_comment()
            else:
                return

    def skip_to_next_line(self) -> None:
        newline = self.text.find("\n", self.pos)
        self.pos = self.n if newline == -1 else newline + 1

    def expect(self, ch: str) -> None:
        if self.peek() != ch:
            raise _ScanError(f"expected {ch!r} at offset {self.pos}")
        self.pos += 1

    # -- grammar ---------------------------------------------------------

    def run(self) -> None:
        while self.pos < self.n:
            self.skip_blanks()
            ch = self.peek()
            if ch == "" or ch in "\r\n":
                self.pos += 1
                continue
            if ch == "#":
                self.skip_comment()
                continue
            try:
                if ch == "[":
                    if self.peek(1) == "[":
                        self.array_header()
                    else:
                        self.table_header()
                else:
                    self.key_value(self.table)
            except _ScanError:
                # Only reachable on text tomllib would reject; keep going so
                # the lines after the confusing one still get positions.
                self.skip_to_next_line()
                continue
            self.skip_blanks()
            self.skip_comment()

    def key(self) -> list[tuple[str, int, int]]:
        """A dotted key: each segment's decoded text and its offsets."""
        segments: list[tuple[str, int, int]] = []
        while True:
            self.skip_blanks()
            start = self.pos
            ch = self.peek()
            if ch == '"':
                self.pos += 1
                raw_start = self.pos
                while True:
                    c = self.peek()
                    if c in ("", "\n"):
                        raise _ScanError("unterminated key")
                    if c == "\\":
                        self.pos += 2
                        continue
                    if c == '"':
                        break
                    self.pos += 1
                name = _decode_basic(self.text[raw_start : self.pos])
                self.pos += 1
            elif ch == "'":
                close = self.text.find("'", start + 1)
                if close == -1 or "\n" in self.text[start:close]:
                    raise _ScanError("unterminated key")
                name = self.text[start + 1 : close]
                self.pos = close + 1
            else:
                while self.pos < self.n and self.text[self.pos] in _BARE_KEY_CHARS:
                    self.pos += 1
                if self.pos == start:
                    raise _ScanError(f"expected a key at offset {start}")
                name = self.text[start : self.pos]
            segments.append((name, start, self.pos))
            self.skip_blanks()
            if self.peek() != ".":
                return segments
            self.pos += 1

    def resolve_prefix(self, base: KeyPath, segments: list[tuple[str, int, int]], header: Span) -> KeyPath:
        """Path of all but the last header segment; arrays of tables mean their last element."""
        path = base
        for name, start, end in segments:
            path = (*path, name)
            self.record_implicit(path, self.span(start, end), header)
            count = self.array_counts.get(path)
            if count:
                path = (*path, count - 1)
        return path

    def table_header(self) -> None:
        start = self.pos
        self.pos += 1
        segments = self.key()
        self.expect("]")
        header = self.span(start, self.pos)
        parent = self.resolve_prefix((), segments[:-1], header)
        name, key_start, key_end = segments[-1]
        self.table = (*parent, name)
        self.record(self.table, self.span(key_start, key_end), header)

    def array_header(self) -> None:
        start = self.pos
        self.pos += 2
        segments = self.key()
        self.expect("]")
        self.expect("]")
        header = self.span(start, self.pos)
        parent = self.resolve_prefix((), segments[:-1], header)
        name, key_start, key_end = segments[-1]
        array = (*parent, name)
        key_span = self.span(key_start, key_end)
        index = self.array_counts.get(array, 0)
        self.array_counts[array] = index + 1
        if index == 0:
            self.record(array, key_span, header)
        self.table = (*array, index)
        self.record(self.table, key_span, header)

    def key_value(self, base: KeyPath) -> None:
        segments = self.key()
        self.expect("=")
        self.skip_blanks()
        path = base
        for name, _start, _end in segments:
            path = (*path, name)
        value_start = self.pos
        self.value(path)
        value_span = self.span(value_start, self.pos)
        prefix = base
        for name, start, end in segments[:-1]:
            prefix = (*prefix, name)
            self.record_implicit(prefix, self.span(start, end), self.span(start, self.pos))
        _name, key_start, key_end = segments[-1]
        self.record(path, self.span(key_start, key_end), value_span)

    def value(self, path: KeyPath) -> None:
        ch = self.peek()
        if ch == '"':
            if self.text.startswith('"""', self.pos):
                self.multiline_basic()
            else:
                self.basic_string()
        elif ch == "'":
            if self.text.startswith("'''", self.pos):
                self.multiline_literal()
            else:
                close = self.text.find("'", self.pos + 1)
                if close == -1:
                    raise _ScanError("unterminated string")
                self.pos = close + 1
        elif ch == "[":
            self.array(path)
        elif ch == "{":
            self.inline_table(path)
        else:
            start = self.pos
            while self.pos < self.n and self.text[self.pos] not in _SCALAR_STOP:
                self.pos += 1
            # A datetime may hold one inner space; trailing blanks are not value.
            while self.pos > start and self.text[self.pos - 1] in " \t":
                self.pos -= 1
            if self.pos == start:
                raise _ScanError(f"expected a value at offset {start}")

    def basic_string(self) -> None:
        self.pos += 1
        while True:
            c = self.peek()
            if c in ("", "\n"):
                raise _ScanError("unterminated string")
            if c == "\\":
                self.pos += 2
            elif c == '"':
                self.pos += 1
                return
            else:
                self.pos += 1

    def multiline_basic(self) -> None:
        self.pos += 3
        while self.pos < self.n:
            c = self.text[self.pos]
            if c == "\\":
                self.pos += 2
            elif c == '"':
                run = self.quote_run('"')
                if run >= 3:
                    # Up to two quotes may end the content right before the delimiter.
                    self.pos += min(run, 5)
                    return
                self.pos += run
            else:
                self.pos += 1
        raise _ScanError("unterminated multi-line string")

    def multiline_literal(self) -> None:
        close = self.text.find("'''", self.pos + 3)
        if close == -1:
            raise _ScanError("unterminated multi-line string")
        self.pos = close
        self.pos += min(self.quote_run("'"), 5)

    def quote_run(self, quote: str) -> int:
        end = self.pos
        while end < self.n and self.text[end] == quote:
            end += 1
        return end - self.pos

    def array(self, path: KeyPath) -> None:
        self.pos += 1
        index = 0
        while True:
            self.skip_space_and_newlines()
            if self.peek() == "]":
                self.pos += 1
                return
            start = self.pos
            element = (*path, index)
            self.value(element)
            element_span = self.span(start, self.pos)
            self.record(element, element_span, element_span)
            index += 1
            self.skip_space_and_newlines()
            ch = self.peek()
            if ch == ",":
                self.pos += 1
            elif ch == "]":
                self.pos += 1
                return
            else:
                raise _ScanError(f"expected ',' or ']' at offset {self.pos}")

    def inline_table(self, path: KeyPath) -> None:
        self.pos += 1
        while True:
            # TOML 1.0 keeps inline tables on one line; accepting newlines and
            # comments costs nothing and follows TOML 1.1.
            self.skip_space_and_newlines()
            if self.peek() == "}":
                self.pos += 1
                return
            self.key_value(path)
            self.skip_space_and_newlines()
            ch = self.peek()
            if ch == ",":
                self.pos += 1
            elif ch == "}":
                self.pos += 1
                return
            else:
                raise _ScanError(f"expected ',' or '}}' at offset {self.pos}")


def scan_positions(text: str) -> dict[KeyPath, KeyPosition]:
    """Best-effort positions of every key path in ``text``; never raises.

    Exact for documents ``tomllib`` accepts; on other text it records what it
    can and skips lines it cannot follow.
    """
    scanner = _Scanner(text)
    try:
        scanner.run()
    except Exception:  # e.g. RecursionError on absurd nesting
        # Positions are best effort: keep what was found before the failure.
        return scanner.positions
    return scanner.positions


def iter_paths(data: Any, prefix: KeyPath = ()) -> Iterator[KeyPath]:
    """Every key path in ``data`` (tables, keys and array elements), parents first."""
    if isinstance(data, dict):
        for key, value in data.items():
            path = (*prefix, key)
            yield path
            yield from iter_paths(value, path)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            path = (*prefix, index)
            yield path
            yield from iter_paths(value, path)
