"""The quickest path for the plainest YAML: one line, one key or list item.

Node configuration is nearly always written in a small corner of YAML: block
mappings and block sequences whose scalars each fit on their line, plain or
quoted without escapes, with comments. For such a text, reading its lines
directly is several times cheaper than having libyaml build a Python event
object (and two marks) for every token.

This path accepts only texts it reads exactly as libyaml and the event path
do; on anything else (a tab, a non-ASCII or control character, a document
marker, a flow collection with content, a multi-line or escaped scalar, an
anchor, alias or tag, a block scalar, an explicit or unusual key, an empty
value, a duplicate key, a syntax error) it gives up, and the event path
reads the text. ``tests/test_yaml_lines.py`` checks that both paths give the
same data, positions and document span on every YAML file of the repository
and on generated texts.

Positions are kept as plain numbers (1-based, already adjusted as
``NodePosition`` wants them) and turned into spans only when asked for.
"""

from __future__ import annotations

import re
from typing import Any, Final

from kubelint.diagnostics import Span
from kubelint.loaders.yaml import (
    _IMPLICIT_RESOLVERS,
    MAX_DEPTH,
    KeyPath,
    NodePosition,
    NodePositions,
    YamlDocument,
    YamlStream,
    _plain_key,
    _plain_scalar,
)

# Longer texts go to the event path, which counts a document's nodes and
# refuses an oversized one before building it.
MAX_CHARS: Final = 64 * 1024
# One match per line: the line up to its value (its indentation, a list
# item's dash, a plain key with its colon and the spaces after it), then the
# value with any comment, without trailing spaces. A line this does not
# describe still matches (with no key), and the reader gives up on it. A
# key is plain and made of the characters node configuration's keys use; it
# is at most 1,000 characters long (libyaml refuses one over 1,024). The
# quantifiers before the value are possessive: the greedy choice always
# leads to a match (the value takes the rest of the line), so giving back
# characters would only cost time.
_LINE: Final = re.compile(
    r"^((( *+)(?:- ++|-$)?+)(?:([A-Za-z0-9_][A-Za-z0-9_./-]{0,999}+):(?: ++|$))?+)(.*[^ \n])? *$", re.MULTILINE)
# characters a plain scalar may start with and be nothing else (not an
# indicator, a quote or a flow collection)
_PLAIN_FIRST: Final = frozenset(chr(code) for code in range(0x21, 0x7f)) - frozenset("-?:,[]{}#&*!|>'\"%@`")

# (line number, column of the content, column of the key, key, column of
# the value, value) for each line that holds more than a comment, 0-based;
# the key is "" on a list item's line without one, the value "" after a key
# without one, and the content column is where the dash is on an item's line
_Row = tuple[int, int, int, str, int, str]
# a position as numbers: value (line, column, end line, end column), then for
# a mapping's value its key's; 1-based as Span counts
_FlatPosition = tuple[int, ...]


class _NotPlain(Exception):
    """The text leaves the part of YAML this path reads."""


def flat_node_position(flat: _FlatPosition) -> NodePosition:
    """A position the line path recorded, as a NodePosition."""
    if len(flat) == 4:
        return NodePosition(Span(*flat))
    return NodePosition(Span(flat[0], flat[1], flat[2], flat[3]), Span(flat[4], flat[5], flat[6], flat[7]))


def load_plain_block(text: str, path: str) -> YamlStream | None:
    """The text's one document, or None when the text is not plain block YAML."""
    # printable ASCII and line feeds only: tabs, carriage returns, other line
    # breaks, control characters and non-ASCII text all go to libyaml
    if len(text) > MAX_CHARS or not text.isascii() or not text.replace("\n", " ").isprintable():
        return None
    rows: list[_Row] = [
        (number, len(indent), len(head), key, len(prefix), value)
        for number, (prefix, head, indent, key, value) in enumerate(_LINE.findall(text))
        if key or head != indent or value[:1] not in ("", "#")
    ]  # blank lines and comments are gone
    if not rows:
        return None
    reader = _Reader(rows)
    try:
        if rows[0][1] != rows[0][2]:
            return None  # a list at the root: not node configuration, the event path reads it
        data, start, end, index = reader.mapping(0, rows[0][1], (), 0)
        if index != len(rows):
            return None  # a line left over: less indented than the root, or a syntax error
    except _NotPlain:
        return None
    document = YamlDocument(path=path, index=0, data=data, span=Span(*start, *end),
                            positions=NodePositions(reader.positions, flat_node_position))
    return YamlStream([document], [])


class _Reader:
    """Reads the rows of a text as nested block collections, recording positions.

    Each method takes the index of its first row and returns, with the value,
    its 1-based start and end (line, column) and the index of the row after it."""

    __slots__ = ("positions", "rows")

    def __init__(self, rows: list[_Row]) -> None:
        self.rows = rows
        self.positions: dict[KeyPath, _FlatPosition] = {}

    def mapping(self, index: int, indent: int, path: KeyPath,
                depth: int) -> tuple[dict[str, Any], tuple[int, int], tuple[int, int], int]:
        """The block mapping whose keys are at column ``indent`` (0-based); its
        first row may be a list item's, with the dash to the left."""
        if depth >= MAX_DEPTH:
            raise _NotPlain
        rows, positions = self.rows, self.positions
        count = len(rows)
        result: dict[str, Any] = {}
        first = index
        start = (rows[index][0] + 1, indent + 1)
        end = start
        while index < count:
            number, content_column, key_column, key, value_column, text = rows[index]
            if content_column != indent and index != first:
                if content_column < indent:
                    break
                raise _NotPlain  # deeper than a key: a continuation line, or an error
            if key_column != indent or not key:
                raise _NotPlain  # a list item where a key belongs, or a key this path does not read
            name = key
            if key[0] in _IMPLICIT_RESOLVERS:
                resolved = _plain_key(key)  # "true", "1": keys the composer resolves
                if resolved is None:
                    raise _NotPlain
                name = resolved
            if name in result:
                raise _NotPlain  # a duplicate: the event path reports it
            child_path = path + (name,)  # noqa: RUF005 (faster than unpacking)
            line = number + 1
            value: Any
            first_char = text[:1]
            if not first_char or first_char == "#":
                value, (start_line, start_column), end, index = self._block_value(index + 1, indent, child_path,
                                                                                  depth + 1)
                positions[child_path] = (start_line, start_column, end[0], end[1],
                                         line, indent + 1, line, indent + 1 + len(key))
                result[name] = value
                continue
            if first_char in _PLAIN_FIRST and "#" not in text and (":" not in text or _colons_allowed(text)):
                value = _plain_scalar(text) if first_char in _IMPLICIT_RESOLVERS else text
                end_column = value_column + 1 + len(text)
            else:
                value, length = _scalar(text)
                end_column = value_column + 1 + length
            positions[child_path] = (line, value_column + 1, line, end_column,
                                     line, indent + 1, line, indent + 1 + len(key))
            result[name] = value
            end = (line, end_column)
            index += 1
        return result, start, end, index

    def _block_value(self, index: int, indent: int, path: KeyPath,
                     depth: int) -> tuple[Any, tuple[int, int], tuple[int, int], int]:
        """The collection on the rows after a key without a value on its line:
        indented more than the key, or a list at the key's own indentation."""
        if index == len(self.rows):
            raise _NotPlain  # an empty value (null) at the end of the text
        content_column, key_column = self.rows[index][1:3]
        if key_column != content_column and content_column >= indent:
            return self.sequence(index, content_column, path, depth)
        if content_column > indent:
            return self.mapping(index, content_column, path, depth)
        raise _NotPlain  # an empty value (null): its position is libyaml's to say

    def sequence(self, index: int, indent: int, path: KeyPath,
                 depth: int) -> tuple[list[Any], tuple[int, int], tuple[int, int], int]:
        """The block sequence whose dashes are at column ``indent``."""
        if depth >= MAX_DEPTH:
            raise _NotPlain
        rows, positions = self.rows, self.positions
        count = len(rows)
        items: list[Any] = []
        start = (rows[index][0] + 1, indent + 1)
        end = start
        while index < count:
            number, content_column, key_column, key, value_column, text = rows[index]
            if content_column != indent or key_column == content_column:
                if content_column <= indent:
                    break  # a key at the dashes' column ends a list that is a mapping's value
                raise _NotPlain
            item_path = path + (len(items),)  # noqa: RUF005
            value: Any
            if key:  # a mapping that starts on the dash's line
                value, (start_line, start_column), end, index = self.mapping(index, key_column, item_path,
                                                                              depth + 1)
                positions[item_path] = (start_line, start_column, end[0], end[1])
                items.append(value)
                continue
            first_char = text[:1]
            if not first_char or first_char == "#" or text[:2] == "- " or text == "-":
                raise _NotPlain  # an empty item, a list in a list, or an item on the next lines
            line = number + 1
            if first_char in _PLAIN_FIRST and "#" not in text and (":" not in text or _colons_allowed(text)):
                value = _plain_scalar(text) if first_char in _IMPLICIT_RESOLVERS else text
                end = (line, value_column + 1 + len(text))
            else:
                value, length = _scalar(text)
                end = (line, value_column + 1 + length)
            positions[item_path] = (line, value_column + 1, end[0], end[1])
            items.append(value)
            index += 1
        return items, start, end, index


def _colons_allowed(text: str) -> bool:
    """Whether a plain scalar's colons leave it one scalar ("unix:///run/x.sock",
    "10.0.0.1:6443"): a colon before a space or at the end would start a mapping."""
    return ": " not in text and text[-1] != ":"


def _scalar(text: str) -> tuple[Any, int]:
    """A scalar that is not simply plain text, and its length in ``text`` (what
    follows a key or a dash); anything after it on the line must be a comment."""
    first = text[0]
    if first == '"' or first == "'":
        close = text.find(first, 1)
        if close < 0 or (first == '"' and "\\" in text[1:close]) or text[close + 1: close + 2] == first:
            raise _NotPlain  # on several lines, escaped, or a doubled quote
        value: Any = text[1:close]
        length = close + 1
    elif text[:2] == "{}" or text[:2] == "[]":
        value = {} if first == "{" else []
        length = 2
    else:
        if not (first in _PLAIN_FIRST or (first == "-" and text[1:2] not in ("", " "))):
            raise _NotPlain  # an indicator: an anchor, alias, tag, block scalar, flow collection...
        cut = text.find(" #")
        if cut >= 0:
            text = text[:cut].rstrip(" ")
        if ":" in text and not _colons_allowed(text):
            raise _NotPlain
        return (_plain_scalar(text) if first in _IMPLICIT_RESOLVERS else text), len(text)
    rest = text[length:]
    if rest and (rest[0] != " " or rest.lstrip(" ")[:1] != "#"):
        raise _NotPlain  # more after a quoted scalar or an empty flow collection
    return value, length
