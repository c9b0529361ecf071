"""Environment files read the way systemd's ``EnvironmentFile=`` reads them.

systemd does not run a shell over these files. It walks the text with a small
state machine (``parse_env_file_internal`` in systemd's env-file.c), and the
differences from a shell are exactly what breaks kubelet nodes:

* ``#`` and ``;`` start a comment only where a key could start. After ``=``
  they are value text: ``KEY=value # note`` sets ``value # note``.
* A value may mix quoted and unquoted parts only in the order quote first:
  ``"a" 'b'`` gives ``ab``; once an unquoted character is read, later quotes
  are literal.
* Newlines inside quotes are kept; ``\\`` before a newline removes it. A line
  that looks like a comment inside a quoted value is part of the value.
* Inside double quotes ``\\`` escapes only ``"``, ``\\``, `````` ` ``````, ``$`` and
  the newline; before any other character it stays.
* ``$VAR`` is never expanded here.
* Keys are validated afterwards: a key that is not a valid variable name
  (``export KEY``, a key with a byte-order mark) is dropped with a log line,
  and the service starts without it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from kubelint.diagnostics import Severity, Span
from kubelint.loaders.textpos import LineIndex, MappedText, MappedTextBuilder, Position

NEWLINE = "\n\r"
WHITESPACE = " \t\n\r"
COMMENT_STARTERS = "#;"
DOUBLE_QUOTE_ESCAPABLE = '"\\`$'
BYTE_ORDER_MARK = "\ufeff"

DEFAULT_SYSTEMD_VERSION = 252
"""The systemd that Debian 12 and RHEL 9 ship; parsing differs from v254 on (see COMMENT_CONTINUATION_DROPPED)."""
COMMENT_CONTINUATION_DROPPED = 254
"""From this systemd version a comment ending in a backslash no longer swallows the next line."""

_VALID_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_EXPORT_PREFIX = re.compile(r"export[ \t]+(?P<name>\S+)\Z")
_REFERENCE = re.compile(r"\$(\{[^}\s]*\}?|[A-Za-z_][A-Za-z0-9_]*)")


def is_valid_env_name(name: str) -> bool:
    """systemd's ``env_name_is_valid``: letters, digits and ``_``, not starting with a digit."""
    return _VALID_NAME.match(name) is not None


@dataclass(frozen=True, slots=True)
class EnvAssignment:
    """One ``NAME=value`` as systemd reads it.

    ``value`` is the logical value (quotes removed, escapes applied, continuation
    lines joined) with each character mapped into the file. ``statement_span``
    covers the assignment as written, quotes included, for edits that replace it.
    """

    name: str
    value: MappedText
    name_span: Span
    value_span: Span
    line: int
    statement_span: Span | None = None


@dataclass(frozen=True, slots=True)
class EnvFileProblem:
    span: Span
    message: str
    kind: str
    severity: Severity = Severity.WARNING


@dataclass(frozen=True, slots=True)
class EnvFile:
    """A parsed environment file.

    ``assignments`` holds what systemd keeps, in file order (a later duplicate
    wins); ``rejected`` holds assignments systemd drops because the name is
    invalid, so rules can still point at them and offer fixes.
    """

    path: str
    assignments: tuple[EnvAssignment, ...]
    problems: tuple[EnvFileProblem, ...]
    rejected: tuple[EnvAssignment, ...] = ()

    def values(self) -> dict[str, EnvAssignment]:
        """The effective assignment of every name (the last one in the file)."""
        return {assignment.name: assignment for assignment in self.assignments}

    def get(self, name: str) -> EnvAssignment | None:
        return self.values().get(name)


class _State(enum.Enum):
    PRE_KEY = enum.auto()
    KEY = enum.auto()
    PRE_VALUE = enum.auto()
    VALUE = enum.auto()
    VALUE_ESCAPE = enum.auto()
    SINGLE_QUOTE_VALUE = enum.auto()
    DOUBLE_QUOTE_VALUE = enum.auto()
    DOUBLE_QUOTE_VALUE_ESCAPE = enum.auto()
    COMMENT = enum.auto()
    COMMENT_ESCAPE = enum.auto()


_STATES_THAT_END_IN_A_VALUE = frozenset(
    {
        _State.PRE_VALUE,
        _State.VALUE,
        _State.VALUE_ESCAPE,
        _State.SINGLE_QUOTE_VALUE,
        _State.DOUBLE_QUOTE_VALUE,
        _State.DOUBLE_QUOTE_VALUE_ESCAPE,
    }
)
_QUOTE_STATES = frozenset({_State.SINGLE_QUOTE_VALUE, _State.DOUBLE_QUOTE_VALUE})


@dataclass
class _Statement:
    """The assignment being read: key and value characters with their places."""

    start: int
    key: MappedTextBuilder
    value: MappedTextBuilder = field(default_factory=MappedTextBuilder)
    key_trailing_space_at: int | None = None
    value_trailing_space_at: int | None = None
    value_start: Position | None = None
    last_offset: int = 0
    quote_offset: int | None = None
    quote_start_line: int = 0
    hashes_in_quotes: list[int] = field(default_factory=list)


def parse_env_file(text: str, path: str, *, systemd_version: int = DEFAULT_SYSTEMD_VERSION) -> EnvFile:
    """Parse ``text`` exactly as systemd's ``EnvironmentFile=`` would; never raises.

    ``systemd_version`` matters for one rule only: before v254 a comment
    line ending in a backslash also comments out the next line.
    """
    return _EnvFileParser(text, path, systemd_version).run()


class _EnvFileParser:
    def __init__(self, text: str, path: str, systemd_version: int) -> None:
        self.path = path
        self.comment_continues = systemd_version < COMMENT_CONTINUATION_DROPPED
        self.index = LineIndex(text)
        self.text = text
        self.state = _State.PRE_KEY
        self.statement: _Statement | None = None
        self.assignments: list[EnvAssignment] = []
        self.rejected: list[EnvAssignment] = []
        self.problems: list[EnvFileProblem] = []
        self.comment_ends_with_backslash_at: int | None = None

    def run(self) -> EnvFile:
        end = self._report_file_level_problems()
        for offset in range(end):
            self._step(offset, self.text[offset])
        self._finish(end)
        problems = tuple(sorted(self.problems, key=lambda problem: problem.span))
        return EnvFile(self.path, tuple(self.assignments), problems, tuple(self.rejected))

    # -- file-level checks -------------------------------------------------

    def _report_file_level_problems(self) -> int:
        """Report NUL and CRLF; return where systemd stops reading (the first NUL)."""
        nul = self.text.find("\0")
        end = len(self.text) if nul < 0 else nul
        if nul >= 0:
            self._problem(
                nul,
                len(self.text),
                "NUL byte: systemd stops reading the file here, everything after it is ignored",
                "nul-byte",
                Severity.ERROR,
            )
        carriage_return = self.text.find("\r", 0, end)
        if carriage_return >= 0:
            self._problem(
                carriage_return,
                carriage_return + 1,
                "CRLF (Windows) line endings: systemd ends a line at \\r, so plain KEY=VALUE lines "
                "still work, but a \\ continuation stops at the \\r and quoted values keep it",
                "crlf",
                Severity.WARNING,
            )
        return end

    # -- the state machine -------------------------------------------------

    def _step(self, offset: int, char: str) -> None:
        handler = _HANDLERS[self.state]
        handler(self, offset, char)

    def _pre_key(self, offset: int, char: str) -> None:
        if char in COMMENT_STARTERS:
            self.state = _State.COMMENT
        elif char not in WHITESPACE:
            self.state = _State.KEY
            self.statement = _Statement(start=offset, key=MappedTextBuilder())
            self._add_key_char(offset, char)

    def _key(self, offset: int, char: str) -> None:
        statement = self._current()
        if char in NEWLINE:
            self._report_line_without_equals(statement)
            self.statement = None
            self.state = _State.PRE_KEY
        elif char == "=":
            statement.last_offset = offset
            statement.value = MappedTextBuilder(self.index.position(offset + 1))
            self.state = _State.PRE_VALUE
        else:
            self._add_key_char(offset, char)

    def _pre_value(self, offset: int, char: str) -> None:
        statement = self._current()
        if char in NEWLINE:
            self._push(statement)
            self.state = _State.PRE_KEY
        elif char == "'":
            self._open_quote(statement, offset, _State.SINGLE_QUOTE_VALUE)
        elif char == '"':
            self._open_quote(statement, offset, _State.DOUBLE_QUOTE_VALUE)
        elif char == "\\":
            statement.last_offset = offset
            self.state = _State.VALUE_ESCAPE
        elif char not in WHITESPACE:
            self.state = _State.VALUE
            self._add_value_char(statement, offset, char)

    def _value(self, offset: int, char: str) -> None:
        statement = self._current()
        if char in NEWLINE:
            self._push(statement)
            self.state = _State.PRE_KEY
        elif char == "\\":
            self._check_backslash_before_line_end(offset)
            statement.value_trailing_space_at = None
            statement.last_offset = offset
            self.state = _State.VALUE_ESCAPE
        else:
            if char == "#" and offset > 0 and self.text[offset - 1] in " \t":
                self._report_hash_in_unquoted_value(statement, offset)
            if char not in WHITESPACE:
                statement.value_trailing_space_at = None
            elif statement.value_trailing_space_at is None:
                statement.value_trailing_space_at = len(statement.value)
            self._add_value_char(statement, offset, char)

    def _value_escape(self, offset: int, char: str) -> None:
        statement = self._current()
        self.state = _State.VALUE
        statement.last_offset = offset
        if char not in NEWLINE:
            self._add_value_char(statement, offset, char)

    def _single_quote_value(self, offset: int, char: str) -> None:
        statement = self._current()
        statement.last_offset = offset
        if char == "'":
            self.state = _State.PRE_VALUE
        else:
            self._note_hash_inside_quotes(statement, offset, char)
            self._add_value_char(statement, offset, char)

    def _double_quote_value(self, offset: int, char: str) -> None:
        statement = self._current()
        statement.last_offset = offset
        if char == '"':
            self.state = _State.PRE_VALUE
        elif char == "\\":
            self._check_backslash_before_line_end(offset)
            self.state = _State.DOUBLE_QUOTE_VALUE_ESCAPE
        else:
            self._note_hash_inside_quotes(statement, offset, char)
            self._add_value_char(statement, offset, char)

    def _double_quote_value_escape(self, offset: int, char: str) -> None:
        statement = self._current()
        statement.last_offset = offset
        self.state = _State.DOUBLE_QUOTE_VALUE
        if char in DOUBLE_QUOTE_ESCAPABLE:
            self._add_value_char(statement, offset, char)
        elif char != "\n":
            # Like a shell, a backslash before an ordinary character stays in the value.
            self._add_value_char(statement, offset - 1, "\\")
            self._add_value_char(statement, offset, char)

    def _comment(self, offset: int, char: str) -> None:
        if char == "\\":
            self.comment_ends_with_backslash_at = offset
            self.state = _State.COMMENT_ESCAPE
        elif char in NEWLINE:
            self.state = _State.PRE_KEY

    def _comment_escape(self, offset: int, char: str) -> None:
        if char in NEWLINE:
            self._report_comment_continuation()
        self.state = _State.COMMENT if self.comment_continues or char not in NEWLINE else _State.PRE_KEY

    def _finish(self, end: int) -> None:
        if self.state in _QUOTE_STATES or self.state is _State.DOUBLE_QUOTE_VALUE_ESCAPE:
            self._report_unterminated_quote(self._current(), end)
        if self.state in _STATES_THAT_END_IN_A_VALUE:
            self._push(self._current(), strip_trailing_space=self.state is _State.VALUE)
        elif self.state is _State.KEY:
            self._report_line_without_equals(self._current())

    # -- building statements ---------------------------------------------

    def _current(self) -> _Statement:
        if self.statement is None:  # the state machine only reaches value states after a key
            self.statement = _Statement(start=0, key=MappedTextBuilder())
        return self.statement

    def _add_key_char(self, offset: int, char: str) -> None:
        statement = self._current()
        if char not in WHITESPACE:
            statement.key_trailing_space_at = None
        elif statement.key_trailing_space_at is None:
            statement.key_trailing_space_at = len(statement.key)
        statement.key.append(char, self.index.position(offset))
        statement.last_offset = offset

    def _add_value_char(self, statement: _Statement, offset: int, char: str) -> None:
        position = self.index.position(offset)
        if statement.value_start is None:
            statement.value_start = position
        statement.value.append(char, position)
        statement.last_offset = offset

    def _open_quote(self, statement: _Statement, offset: int, state: _State) -> None:
        statement.last_offset = offset
        statement.quote_offset = offset
        statement.quote_start_line = self.index.position(offset)[0]
        self.state = state

    def _push(self, statement: _Statement, *, strip_trailing_space: bool = True) -> None:
        key = statement.key.build()
        if statement.key_trailing_space_at is not None:
            key = key[: statement.key_trailing_space_at]
        value = statement.value.build()
        if strip_trailing_space and statement.value_trailing_space_at is not None:
            value = value[: statement.value_trailing_space_at]
        assignment = EnvAssignment(
            name=key.text,
            value=value,
            name_span=key.span(),
            value_span=value.span(),
            line=key.position_at(0)[0],
            statement_span=self.index.span(statement.start, statement.last_offset + 1),
        )
        self.statement = None
        self._report_hashes_in_continued_quotes(statement)
        if self._accept(assignment, key):
            self.assignments.append(assignment)
            self._report_references(assignment)
        else:
            self.rejected.append(assignment)

    def _accept(self, assignment: EnvAssignment, key: MappedText) -> bool:
        """Check the key as systemd does after loading; report why a key is dropped."""
        if _has_undecodable_bytes(assignment.name) or _has_undecodable_bytes(assignment.value.text):
            self._span_problem(
                assignment.statement_span or assignment.name_span,
                "invalid UTF-8: systemd refuses the whole file, so a service that needs it "
                "fails to start (or, with '-', runs without any of its variables)",
                "invalid-utf8",
                Severity.ERROR,
            )
            return False
        if is_valid_env_name(assignment.name):
            return True
        self._report_invalid_name(assignment, key)
        return False

    # -- problems ----------------------------------------------------------

    def _report_invalid_name(self, assignment: EnvAssignment, key: MappedText) -> None:
        name = assignment.name
        export = _EXPORT_PREFIX.match(name)
        if export is not None:
            real_name = export.group("name")
            message = (
                f"`export` is shell syntax: systemd reads `{name}` as the variable name, "
                f"which is invalid, and drops the assignment, so {real_name} is not set"
            )
            self._span_problem(assignment.name_span, message, "export", Severity.ERROR)
        elif name.startswith(BYTE_ORDER_MARK):
            message = (
                f"byte-order mark before {name[1:]!r}: systemd does not skip it, sees an invalid "
                "variable name and drops the assignment"
            )
            self._span_problem(key.span(0, 1), message, "bom", Severity.ERROR)
        else:
            message = f"{name!r} is not a valid variable name: systemd drops this assignment"
            self._span_problem(assignment.name_span, message, "invalid-name", Severity.ERROR)

    def _report_line_without_equals(self, statement: _Statement) -> None:
        key = statement.key.build()
        text = key.text.strip()
        if not text:
            return
        message = f"no '=' on this line: systemd ignores {text!r}"
        self._span_problem(key.span(), message, "missing-equals", Severity.WARNING)

    def _report_references(self, assignment: EnvAssignment) -> None:
        match = _REFERENCE.search(assignment.value.text)
        if match is None:
            return
        message = (
            f"systemd does not expand variables in an EnvironmentFile: {match.group(0)!r} "
            f"stays literal in the value of {assignment.name}"
        )
        self._span_problem(assignment.value.span(match.start(), match.end()), message, "no-expansion", Severity.INFO)

    def _report_hash_in_unquoted_value(self, statement: _Statement, offset: int) -> None:
        name = statement.key.build().text.strip()
        line_end = self._line_end(offset)
        message = (
            f"'#' after a value is not a comment in an environment file: "
            f"systemd makes {self.text[offset:line_end]!r} part of {name}'s value"
        )
        self._problem(offset, line_end, message, "comment-in-value", Severity.WARNING)

    def _note_hash_inside_quotes(self, statement: _Statement, offset: int, char: str) -> None:
        # Whether this looks like a comment depends on the value spanning lines; decide at the end.
        if char != "#":
            return
        line_start = self.index.line_start(self.index.position(offset)[0])
        before = self.text[line_start:offset]
        if not before.strip(" \t\\") or before.endswith((" ", "\t")):
            statement.hashes_in_quotes.append(offset)

    def _report_hashes_in_continued_quotes(self, statement: _Statement) -> None:
        if not statement.hashes_in_quotes:
            return
        last_line = self.index.position(statement.last_offset)[0]
        if last_line == statement.quote_start_line:
            return
        name = statement.key.build().text.strip()
        for offset in statement.hashes_in_quotes:
            line_end = self._line_end(offset)
            message = (
                f"this '#' is inside the quoted value of {name} (lines {statement.quote_start_line}"
                f"-{last_line}), so it is not a comment: systemd keeps {self.text[offset:line_end]!r} "
                "in the value and the kubelet gets its words as arguments"
            )
            self._problem(offset, line_end, message, "comment-in-quoted-value", Severity.ERROR)

    def _check_backslash_before_line_end(self, offset: int) -> None:
        line_end = self._line_end(offset)
        after = self.text[offset + 1 : line_end]
        if after and not after.strip(" \t"):
            message = (
                "whitespace after this backslash: it does not continue the line, systemd escapes the space instead"
            )
            self._problem(offset, line_end, message, "backslash-not-at-line-end", Severity.WARNING)

    def _report_unterminated_quote(self, statement: _Statement, end: int) -> None:
        quote = statement.quote_offset if statement.quote_offset is not None else statement.start
        name = statement.key.build().text.strip()
        last_line = self.index.position(end)[0]
        message = (
            f"unterminated quote: systemd reads the rest of the file (to line {last_line}) into the value of {name}"
        )
        self._problem(quote, quote + 1, message, "unterminated-quote", Severity.ERROR)

    def _report_comment_continuation(self) -> None:
        backslash = self.comment_ends_with_backslash_at
        if backslash is None:
            return
        message = (
            "comment ends with a backslash: systemd before v254 (Debian 12, RHEL 9, Ubuntu 22.04) also "
            "treats the next line as comment, newer releases do not"
        )
        self._problem(backslash, backslash + 1, message, "comment-continuation", Severity.WARNING)
        self.comment_ends_with_backslash_at = None

    def _line_end(self, offset: int) -> int:
        ends = [position for position in (self.text.find("\n", offset), self.text.find("\r", offset)) if position >= 0]
        return min(ends) if ends else len(self.text)

    def _problem(self, start: int, end: int, message: str, kind: str, severity: Severity) -> None:
        self._span_problem(self.index.span(start, end), message, kind, severity)

    def _span_problem(self, span: Span, message: str, kind: str, severity: Severity) -> None:
        self.problems.append(EnvFileProblem(span, message, kind, severity))


def _has_undecodable_bytes(text: str) -> bool:
    # Bytes that were not UTF-8 arrive as lone surrogates when decoded with surrogateescape.
    return any("\udc80" <= char <= "\udcff" for char in text)


_HANDLERS = {
    _State.PRE_KEY: _EnvFileParser._pre_key,
    _State.KEY: _EnvFileParser._key,
    _State.PRE_VALUE: _EnvFileParser._pre_value,
    _State.VALUE: _EnvFileParser._value,
    _State.VALUE_ESCAPE: _EnvFileParser._value_escape,
    _State.SINGLE_QUOTE_VALUE: _EnvFileParser._single_quote_value,
    _State.DOUBLE_QUOTE_VALUE: _EnvFileParser._double_quote_value,
    _State.DOUBLE_QUOTE_VALUE_ESCAPE: _EnvFileParser._double_quote_value_escape,
    _State.COMMENT: _EnvFileParser._comment,
    _State.COMMENT_ESCAPE: _EnvFileParser._comment_escape,
}
