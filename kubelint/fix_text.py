"""Text edits by span: the part of the fixer that needs no parser.

Spans are the diagnostics' 1-based lines and columns (columns count code
points, end exclusive). Lines are split on ``\\n`` only, so a ``\\r`` of a
CRLF file belongs to its line's text and is never split from its ``\\n``.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

from kubelint.diagnostics import Span, TextEdit


class FixError(Exception):
    """An edit that cannot be applied without risking the file's content."""


class LineIndex:
    """Offsets of line starts, for line/column ↔ offset conversions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        position = text.find("\n")
        while position != -1:
            self.starts.append(position + 1)
            position = text.find("\n", position + 1)

    def line_end(self, line: int) -> int:
        """Offset of the ``\\n`` ending 1-based ``line`` (or of the text's end)."""
        if line < len(self.starts):
            return self.starts[line] - 1
        return len(self.text)

    def offset(self, line: int, column: int) -> int:
        """Offset of a 1-based position; the column may sit just past the line's text."""
        if not 1 <= line <= len(self.starts):
            raise FixError(f"line {line} is outside the file ({len(self.starts)} lines)")
        start = self.starts[line - 1]
        length = self.line_end(line) - start
        if not 1 <= column <= length + 1:
            raise FixError(f"column {column} is outside line {line} ({length} characters)")
        return start + column - 1

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset."""
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def span_offsets(self, span: Span) -> tuple[int, int]:
        start = self.offset(span.line, span.column)
        end = self.offset(span.end_line, span.end_column)
        if end < start:
            raise FixError(f"span {span.line}:{span.column}-{span.end_line}:{span.end_column} ends before it starts")
        return start, end


def touches(first: tuple[int, int], second: tuple[int, int]) -> bool:
    """Whether two offset ranges conflict: they overlap, or an insertion sits on the other's edge.

    Two non-empty ranges that merely meet (removing ``--a=1 `` and then
    ``--b=2`` right after it) do not conflict: either order gives one text.
    An insertion where another edit starts or ends has no defined order.
    """
    if first[0] < second[1] and second[0] < first[1]:
        return True
    empty = first[0] == first[1] or second[0] == second[1]
    return empty and first[0] <= second[1] and second[0] <= first[1]


def apply_text_edits(text: str, edits: Sequence[TextEdit]) -> str:
    """``text`` with every edit applied; all spans refer to ``text`` as given.

    Raises FixError for a span outside the text or two edits that overlap.
    """
    if not edits:
        return text
    index = LineIndex(text)
    ranges = sorted(((*index.span_offsets(edit.span), order) for order, edit in enumerate(edits)))
    for (start, end, _), (next_start, _, _) in itertools.pairwise(ranges):
        if next_start < end or (next_start == end == start):
            raise FixError("two edits overlap")
    # from the end, so that earlier offsets stay valid
    for start, end, order in reversed(ranges):
        text = text[:start] + edits[order].new_text + text[end:]
    return text
