"""Positions in text: offsets to 1-based line/column, and text that remembers where it came from.

Loaders turn file text into logical strings (a value joined from continuation
lines, a word with its quotes removed, an escape sequence decoded). A
``MappedText`` keeps, for every character of such a string, the line and
column of the file character it was made from, so a diagnostic about any part
of the logical string can still point into the file.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat

from kubelint.diagnostics import Span

Position = tuple[int, int]
"""A 1-based (line, column) pair; columns count code points."""

LINE_BREAKS = ("\r\n", "\n", "\r")


def _line_start_offsets(text: str) -> list[int]:
    # \r\n, \n and a lone \r all end a line: that is what systemd's read_line and editors agree on.
    starts = [0]
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\n":
            starts.append(index + 1)
        elif char == "\r":
            if index + 1 < length and text[index + 1] == "\n":
                index += 1
            starts.append(index + 1)
        index += 1
    return starts


class LineIndex:
    """Converts between string offsets and 1-based (line, column) positions of one text."""

    __slots__ = ("_line_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts = _line_start_offsets(text)

    @property
    def text(self) -> str:
        return self._text

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def position(self, offset: int) -> Position:
        """The (line, column) of ``offset``; ``len(text)`` is allowed and means end of text."""
        clamped = min(max(offset, 0), len(self._text))
        line_index = bisect.bisect_right(self._line_starts, clamped) - 1
        return line_index + 1, clamped - self._line_starts[line_index] + 1

    def positions(self, start: int, stop: int) -> tuple[Position, ...]:
        """``position(offset)`` for every offset in ``range(start, stop)``, one
        line at a time instead of one search per character (a 1 MiB unit
        file is a million characters)."""
        start, stop = max(start, 0), min(stop, len(self._text))
        if stop <= start:
            return ()
        starts = self._line_starts
        line_index = bisect.bisect_right(starts, start) - 1
        found: list[Position] = []
        offset = start
        while offset < stop:
            line_start = starts[line_index]
            line_stop = starts[line_index + 1] if line_index + 1 < len(starts) else stop
            segment_stop = min(stop, line_stop)
            found.extend(zip(repeat(line_index + 1), range(offset - line_start + 1, segment_stop - line_start + 1)))
            offset = segment_stop
            line_index += 1
        return tuple(found)

    def offset(self, line: int, column: int) -> int:
        """The string offset of a (line, column); out-of-range values are clamped."""
        line_index = min(max(line, 1), len(self._line_starts)) - 1
        line_start = self._line_starts[line_index]
        return min(line_start + max(column, 1) - 1, self._line_end(line_index))

    def span(self, start: int, end: int) -> Span:
        """The span covering offsets ``start`` (inclusive) to ``end`` (exclusive)."""
        start_line, start_column = self.position(start)
        end_line, end_column = self.position(max(start, end))
        return Span(start_line, start_column, end_line, end_column)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its line break."""
        line_index = min(max(line, 1), len(self._line_starts)) - 1
        return self._text[self._line_starts[line_index] : self._line_end(line_index)]

    def line_start(self, line: int) -> int:
        return self._line_starts[min(max(line, 1), len(self._line_starts)) - 1]

    def lines(self) -> Iterator[tuple[int, int, str]]:
        """Every line as (1-based number, start offset, text without line break)."""
        for line_index, start in enumerate(self._line_starts):
            yield line_index + 1, start, self._text[start : self._line_end(line_index)]

    def _line_end(self, line_index: int) -> int:
        if line_index + 1 >= len(self._line_starts):
            return len(self._text)
        end = self._line_starts[line_index + 1]
        if self._text.endswith("\r\n", 0, end):
            return end - 2
        return end - 1


@dataclass(frozen=True, slots=True)
class MappedText:
    """A logical string whose every character knows its (line, column) in a file.

    ``end`` is where the text stops in the file: the position just after its
    last character, or, for an empty text, where it would have been.
    """

    text: str
    positions: tuple[Position, ...]
    end: Position

    def __post_init__(self) -> None:
        if len(self.positions) != len(self.text):
            raise ValueError("MappedText needs exactly one position per character")

    @classmethod
    def from_source(cls, index: LineIndex, start: int, end: int) -> MappedText:
        """The file text between two offsets, each character at its own place."""
        text = index.text[start:end]
        if start >= 0:
            positions = index.positions(start, start + len(text))
        else:  # a negative start slices from the end; position() clamps it
            positions = tuple(index.position(offset) for offset in range(start, start + len(text)))
        return cls(text, positions, index.position(start + len(text)))

    @classmethod
    def empty(cls, at: Position) -> MappedText:
        return cls("", (), at)

    @classmethod
    def unmapped(cls, text: str, at: Position = (1, 1)) -> MappedText:
        """Text that has no place in a file of its own (every character maps to ``at``)."""
        return cls(text, (at,) * len(text), at)

    def __str__(self) -> str:
        return self.text

    def __len__(self) -> int:
        return len(self.text)

    def __bool__(self) -> bool:
        return bool(self.text)

    def __getitem__(self, key: slice) -> MappedText:
        start, stop, step = key.indices(len(self.text))
        if step != 1:
            raise ValueError("MappedText slices must be contiguous")
        stop = max(start, stop)
        return MappedText(self.text[start:stop], self.positions[start:stop], self.position_at(stop))

    def __add__(self, other: MappedText) -> MappedText:
        return MappedText(self.text + other.text, self.positions + other.positions, other.end)

    def position_at(self, index: int) -> Position:
        """Where character ``index`` sits; ``len(self)`` means just past the text."""
        if 0 <= index < len(self.positions):
            return self.positions[index]
        if index >= len(self.positions):
            return self.end
        return self.positions[0] if self.positions else self.end

    def span(self, start: int = 0, end: int | None = None) -> Span:
        """The file span of characters ``start`` (inclusive) to ``end`` (exclusive).

        A text assembled from several places yields the span from its first to
        its last character; an empty range yields a zero-width span.
        """
        stop = len(self.text) if end is None else min(max(end, 0), len(self.text))
        begin = min(max(start, 0), len(self.text))
        first_line, first_column = self.position_at(begin)
        if stop <= begin:
            return Span(first_line, first_column, first_line, first_column)
        last_line, last_column = self.positions[stop - 1]
        return Span(first_line, first_column, last_line, last_column + 1)

    def strip(self, chars: str) -> MappedText:
        """Remove ``chars`` from both ends, keeping the mapping of what remains."""
        left = len(self.text) - len(self.text.lstrip(chars))
        right = len(self.text.rstrip(chars))
        return self[left:right] if right > left else self[left:left]

    def find(self, sub: str, start: int = 0) -> int:
        return self.text.find(sub, start)


class MappedTextBuilder:
    """Collects characters with their positions, for text assembled piece by piece."""

    __slots__ = ("_chars", "_last_end", "_positions")

    def __init__(self, at: Position = (1, 1)) -> None:
        self._chars: list[str] = []
        self._positions: list[Position] = []
        self._last_end = at

    def __len__(self) -> int:
        return len(self._chars)

    def append(self, char: str, at: Position) -> None:
        self._chars.append(char)
        self._positions.append(at)
        self._last_end = (at[0], at[1] + 1)

    def extend(self, text: MappedText) -> None:
        self._chars.extend(text.text)
        self._positions.extend(text.positions)
        self._last_end = text.end

    def append_all(self, chars: Iterable[str], at: Position) -> None:
        """Several characters that all stand for one place (an expanded specifier, say)."""
        for char in chars:
            self._chars.append(char)
            self._positions.append(at)
        self._last_end = (at[0], at[1] + 1)

    def build(self, end: Position | None = None) -> MappedText:
        return MappedText("".join(self._chars), tuple(self._positions), end or self._last_end)
