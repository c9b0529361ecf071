"""systemd unit files and drop-ins, read the way systemd's own parser reads them.

What systemd does, and this module mirrors (conf-parser.c, load-fragment.c,
extract-word.c and specifier.c in systemd's sources; behaviour cross-checked
with ``systemd-analyze verify`` of systemd 252):

* A line whose first non-blank character is ``#`` or ``;`` is a comment, even
  in the middle of a continuation: it is skipped and the continuation goes on.
* A line ending in an odd number of backslashes continues on the next line;
  the final backslash becomes a space.
* ``[Name]`` opens a section. Names are case-sensitive; an unknown section is
  ignored with a warning together with every directive in it, except names
  starting with ``X-``, which are ignored silently. A malformed header stops
  the parse of the file: a unit file then fails to load, a drop-in loses the
  rest of its lines.
* Errors that make the unit fail to load in the unit file itself (a bad
  ``ExecStart=``) only make systemd ignore the line in a drop-in.
* ``Key = value``: whitespace around both is stripped; an empty value resets
  list settings such as ``ExecStart=`` and ``Environment=``.
* ``Environment=`` and ``ExecStart=`` values are split into words with
  C-style escapes and ``"``/``'`` quotes that may start anywhere in a word.
  ``%`` specifiers are expanded (``%%`` is a literal ``%``); an unknown
  alphanumeric specifier makes systemd ignore the setting.
"""

from __future__ import annotations

import enum
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass

from kubelint.diagnostics import Severity, Span
from kubelint.loaders.envfile import EnvAssignment, is_valid_env_name
from kubelint.loaders.textpos import LineIndex, MappedText, MappedTextBuilder

WHITESPACE = " \t\n\r"
COMMENT_STARTERS = "#;"
BYTE_ORDER_MARK = "\ufeff"

UNIT_SECTIONS = frozenset({"Unit", "Install"})
SECTION_OF_UNIT_TYPE: Mapping[str, str | None] = {
    "service": "Service",
    "socket": "Socket",
    "mount": "Mount",
    "automount": "Automount",
    "swap": "Swap",
    "timer": "Timer",
    "path": "Path",
    "slice": "Slice",
    "scope": "Scope",
    "target": None,
    "device": None,
}
ALL_SECTIONS = UNIT_SECTIONS | {name for name in SECTION_OF_UNIT_TYPE.values() if name}

# Only used to tell a wrongly-cased key from an unknown one; not a full key table.
COMMON_KEYS = frozenset(
    {
        "Description",
        "Documentation",
        "After",
        "Before",
        "Wants",
        "Requires",
        "BindsTo",
        "PartOf",
        "Conflicts",
        "ConditionPathExists",
        "StartLimitIntervalSec",
        "StartLimitBurst",
        "Type",
        "ExecStart",
        "ExecStartPre",
        "ExecStartPost",
        "ExecStop",
        "ExecReload",
        "Environment",
        "EnvironmentFile",
        "UnsetEnvironment",
        "PassEnvironment",
        "Restart",
        "RestartSec",
        "User",
        "Group",
        "WorkingDirectory",
        "KillMode",
        "LimitNOFILE",
        "LimitNPROC",
        "LimitCORE",
        "TasksMax",
        "Delegate",
        "CPUAccounting",
        "MemoryAccounting",
        "Slice",
        "OOMScoreAdjust",
        "TimeoutStartSec",
        "TimeoutStopSec",
        "WantedBy",
        "RequiredBy",
        "Alias",
        "Also",
    }
)
_COMMON_KEYS_BY_LOWER = {key.lower(): key for key in COMMON_KEYS}

# Quote look-alikes that arrive by copy-paste from documents and chat; systemd treats them as text.
LOOKALIKE_QUOTES = frozenset(
    "\u201c\u201d\u201e\u201f\u2018\u2019\u201a\u201b\u00ab\u00bb\uff02\uff07\u2032\u2033\u301d\u301e\u300c\u300d\u300e\u300f"
)

KNOWN_SPECIFIERS = frozenset("aAbBcCdDEfgGhHiIjJlLmMnNopPqrRsStTuUvVwWyY")
DEPRECATED_SPECIFIERS = frozenset("crR")


class ProblemKind(enum.StrEnum):
    OUTSIDE_SECTION = "outside-section"
    MISSING_EQUALS = "missing-equals"
    MISSING_KEY = "missing-key"
    INVALID_SECTION_HEADER = "invalid-section-header"
    UNKNOWN_SECTION = "unknown-section"
    SECTION_CASE = "section-case"
    KEY_CASE = "key-case"
    LOOKALIKE_QUOTE = "lookalike-quote"
    INVALID_SYNTAX = "invalid-syntax"
    INVALID_ASSIGNMENT = "invalid-assignment"
    UNKNOWN_ESCAPE = "unknown-escape"
    UNKNOWN_SPECIFIER = "unknown-specifier"
    UNRESOLVED_SPECIFIER = "unresolved-specifier"
    DEPRECATED_SPECIFIER = "deprecated-specifier"
    BAD_PATH = "bad-path"
    BAD_EXEC = "bad-exec"


@dataclass(frozen=True, slots=True)
class UnitProblem:
    """A finding about a unit file; ``fatal`` when systemd refuses to load the whole unit because of it."""

    span: Span
    message: str
    kind: str
    severity: Severity = Severity.WARNING
    fatal: bool = False


@dataclass(frozen=True, slots=True)
class Directive:
    """One ``Key=value`` line (after joining continuations).

    ``line`` is the first physical line; ``statement_span`` covers key through
    value as written, for edits that replace or delete the directive.
    """

    section: str
    key: str
    value: MappedText
    key_span: Span
    value_span: Span
    line: int
    statement_span: Span | None = None


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    span: Span
    line: int
    known: bool


@dataclass(frozen=True, slots=True)
class UnitFile:
    """A parsed unit file or drop-in.

    ``directives`` keeps file order, including directives of unknown sections
    (their ``section`` is the name as written; systemd ignores them).
    ``aborted_at_line`` is set when a malformed section header made systemd
    stop reading: no directive after it is listed.
    """

    path: str
    unit_type: str | None
    sections: tuple[Section, ...]
    directives: tuple[Directive, ...]
    problems: tuple[UnitProblem, ...]
    aborted_at_line: int | None = None

    def get(self, section: str, key: str) -> list[Directive]:
        return [d for d in self.directives if d.section == section and d.key == key]

    def section_is_known(self, name: str) -> bool:
        return any(section.name == name and section.known for section in self.sections)


def is_dropin_path(path: str) -> bool:
    """``kubelet.service.d/10-kubeadm.conf`` is a drop-in; ``kubelet.service`` is not."""
    return path.endswith(".conf") and posixpath.dirname(path).endswith(".d")


def unit_type_of(path: str) -> str | None:
    """``service`` for ``kubelet.service`` and for ``kubelet.service.d/10-kubeadm.conf``."""
    base = posixpath.basename(path)
    if base.endswith(".conf"):
        base = posixpath.basename(posixpath.dirname(path)).removesuffix(".d")
    suffix = base.rpartition(".")[2]
    return suffix if suffix in SECTION_OF_UNIT_TYPE else None


def sections_for(unit_type: str | None) -> frozenset[str]:
    if unit_type is None:
        return ALL_SECTIONS
    own = SECTION_OF_UNIT_TYPE.get(unit_type)
    return UNIT_SECTIONS | {own} if own else UNIT_SECTIONS


# ---------------------------------------------------------------------------
# parse_unit
# ---------------------------------------------------------------------------


def parse_unit(text: str, path: str, *, unit_type: str | None = None) -> UnitFile:
    """Parse a unit file or drop-in as systemd does; problems are collected, never raised."""
    return _UnitParser(text, path, unit_type or unit_type_of(path)).run()


def _ends_in_escaping_backslash(text: str) -> bool:
    trailing = len(text) - len(text.rstrip("\\"))
    return trailing % 2 == 1


def _is_safe_section_name(name: str) -> bool:
    # systemd's string_is_safe(): no control characters, quotes or backslashes.
    return not any(ord(char) < 0x20 or char in "\"'\\\x7f" for char in name)


class _UnitParser:
    def __init__(self, text: str, path: str, unit_type: str | None) -> None:
        self.path = path
        self.unit_type = unit_type
        self.is_dropin = is_dropin_path(path)
        self.allowed_sections = sections_for(unit_type)
        self.index = LineIndex(text)
        self.current_section: str | None = None
        self.section_ignored = False
        self.sections: list[Section] = []
        self.directives: list[Directive] = []
        self.problems: list[UnitProblem] = []
        self.aborted_at_line: int | None = None
        self.ignored_section_name = ""

    def run(self) -> UnitFile:
        # A logical line continued over many lines is accumulated in lists (as
        # _backslash_to_space(continuation + mapped) would build it, each
        # trailing backslash turned into a space): concatenating MappedTexts
        # line by line made 20,000 continuation lines take minutes.
        continuation: _Continuation | None = None
        for number, start, content in self.index.lines():
            if number == 1 and content.startswith(BYTE_ORDER_MARK):
                start, content = start + 1, content[1:]
            if content.lstrip(WHITESPACE)[:1] in tuple(COMMENT_STARTERS):
                continue
            mapped = MappedText.from_source(self.index, start, start + len(content))
            if continuation is None:
                if _ends_in_escaping_backslash(mapped.text):
                    continuation = _Continuation(number, mapped)
                    continue
                logical, first_line = mapped, number
            else:
                if continuation.extend(mapped):
                    continue
                logical, first_line = continuation.text(), continuation.line
                continuation = None
            if not self._parse_line(logical, first_line):
                break
        else:
            if continuation is not None:
                self._parse_line(continuation.text(), continuation.line)
        return UnitFile(
            self.path,
            self.unit_type,
            tuple(self.sections),
            tuple(self.directives),
            tuple(self.problems),
            self.aborted_at_line,
        )

    def _parse_line(self, logical: MappedText, line: int) -> bool:
        """Handle one logical line; False when systemd would stop reading the file."""
        content = logical.strip(WHITESPACE)
        if not content:
            return True
        if content.text.startswith("["):
            return self._parse_section_header(content, line)
        if self.current_section is None:
            self._handle_line_outside_section(content, line)
            return True
        self._parse_assignment(content, line, self.current_section)
        return True

    def _parse_section_header(self, content: MappedText, line: int) -> bool:
        if not content.text.endswith("]"):
            self._abort(content, line, f"invalid section header {content.text!r}: no closing ']'")
            return False
        name = content[1 : len(content) - 1]
        if not _is_safe_section_name(name.text):
            self._abort(content, line, f"bad characters in section header {content.text!r}")
            return False
        known = name.text in self.allowed_sections
        self.sections.append(Section(name.text, content.span(), line, known))
        if known:
            self.current_section, self.section_ignored = name.text, False
        else:
            self.current_section, self.section_ignored = None, True
            self.ignored_section_name = name.text
            self._report_unknown_section(name, content)
        return True

    def _abort(self, content: MappedText, line: int, what: str) -> None:
        self.aborted_at_line = line
        if self.is_dropin:
            outcome = "systemd ignores this line and every line after it in this drop-in"
        else:
            outcome = "systemd refuses to load the unit"
        message = f"{what}: {outcome}"
        kind = ProblemKind.INVALID_SECTION_HEADER.value
        self.problems.append(UnitProblem(content.span(), message, kind, Severity.ERROR, fatal=not self.is_dropin))

    def _report_unknown_section(self, name: MappedText, header: MappedText) -> None:
        if name.text.startswith("X-"):
            return
        expected = sorted(self.allowed_sections)
        by_lower = {section.lower(): section for section in expected}
        proper = by_lower.get(name.text.lower())
        if proper is not None:
            message = (
                f"section [{name.text}] is not [{proper}]: section names are case-sensitive, "
                "so systemd ignores this section and every directive in it"
            )
            kind = ProblemKind.SECTION_CASE
        else:
            hint = " (section names are never translated)" if not name.text.isascii() else ""
            message = (
                f"unknown section [{name.text}]{hint}: systemd ignores it and every directive in it; "
                f"expected one of {', '.join(f'[{section}]' for section in expected)}"
            )
            kind = ProblemKind.UNKNOWN_SECTION
        self._problem(header.span(), message, kind, Severity.ERROR)

    def _handle_line_outside_section(self, content: MappedText, line: int) -> None:
        if self.section_ignored:
            # systemd drops these silently; keep them so rules can see what was meant.
            self._parse_assignment(content, line, self.ignored_section_name, quiet=True)
            return
        message = "line outside any section: systemd ignores it"
        self._problem(content.span(), message, ProblemKind.OUTSIDE_SECTION, Severity.WARNING)

    def _parse_assignment(self, content: MappedText, line: int, section: str, *, quiet: bool = False) -> None:
        equals = content.find("=")
        if equals < 0 or equals == 0:
            if not quiet:
                self._report_missing_parts(content, equals)
            return
        key = content[:equals].strip(WHITESPACE)
        value = content[equals + 1 :].strip(WHITESPACE)
        directive = Directive(
            section=section,
            key=key.text,
            value=value,
            key_span=key.span(),
            value_span=value.span(),
            line=line,
            statement_span=content.span(),
        )
        self.directives.append(directive)
        if not quiet:
            self._check_key_case(key)
            self._check_lookalike_quotes(value)

    def _report_missing_parts(self, content: MappedText, equals: int) -> None:
        if equals == 0:
            message = "missing key name before '=': systemd ignores this line"
            self._problem(content.span(), message, ProblemKind.MISSING_KEY, Severity.WARNING)
        else:
            message = f"missing '=' in {content.text!r}: systemd ignores this line"
            self._problem(content.span(), message, ProblemKind.MISSING_EQUALS, Severity.WARNING)

    def _check_key_case(self, key: MappedText) -> None:
        proper = _COMMON_KEYS_BY_LOWER.get(key.text.lower())
        if proper is not None and proper != key.text:
            message = f"unknown key {key.text!r}: keys are case-sensitive, systemd ignores it (did you mean {proper}=?)"
            self._problem(key.span(), message, ProblemKind.KEY_CASE, Severity.ERROR)

    def _check_lookalike_quotes(self, value: MappedText) -> None:
        for index, char in enumerate(value.text):
            if char in LOOKALIKE_QUOTES:
                message = (
                    f"{char!r} (U+{ord(char):04X}) is not a quote to systemd: only ASCII \" and ' "
                    "quote, so this character becomes part of the value"
                )
                self._problem(value.span(index, index + 1), message, ProblemKind.LOOKALIKE_QUOTE, Severity.ERROR)

    def _problem(self, span: Span, message: str, kind: ProblemKind, severity: Severity) -> None:
        self.problems.append(UnitProblem(span, message, kind.value, severity))


class _Continuation:
    """A logical line being continued: its characters and their positions so far."""

    __slots__ = ("chars", "end", "line", "positions")

    def __init__(self, line: int, first: MappedText) -> None:
        self.line = line
        self.chars = list(first.text)
        self.positions = list(first.positions)
        self.chars[-1] = " "  # the escaping backslash
        self.end = first.end

    def extend(self, mapped: MappedText) -> bool:
        """Append the next physical line; True when it continues too."""
        self.chars.extend(mapped.text)
        self.positions.extend(mapped.positions)
        self.end = mapped.end
        trailing = 0
        for char in reversed(self.chars):
            if char != "\\":
                break
            trailing += 1
        if trailing % 2 == 1:
            self.chars[-1] = " "
            return True
        return False

    def text(self) -> MappedText:
        return MappedText("".join(self.chars), tuple(self.positions), self.end)


def _backslash_to_space(logical: MappedText) -> MappedText:
    last = len(logical) - 1
    space = MappedText(" ", (logical.positions[last],), logical.end)
    return logical[:last] + space


# ---------------------------------------------------------------------------
# Words: systemd's extract_first_word() over mapped text
# ---------------------------------------------------------------------------


class Extract(enum.Flag):
    NONE = 0
    UNQUOTE = enum.auto()
    CUNESCAPE = enum.auto()
    RELAX = enum.auto()
    UNESCAPE_RELAX = enum.auto()


@dataclass(frozen=True, slots=True)
class ExtractedWord:
    """One word, or the reason it could not be read.

    ``word`` is the unquoted, unescaped text; ``raw`` is the slice of the input
    it was read from (quotes included); ``next_index`` is where the next word
    starts. ``unknown_escape`` is set when ``UNESCAPE_RELAX`` had to keep a
    backslash sequence verbatim.
    """

    word: MappedText | None
    raw: MappedText
    next_index: int
    error: str | None = None
    unknown_escape: bool = False


_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    '"': '"',
    "'": "'",
    "s": " ",
}
_HEX = "0123456789abcdefABCDEF"


def cunescape_one(text: str, start: int) -> tuple[str, int] | None:
    """Decode the escape whose letter is at ``start`` (after the backslash).

    Returns the decoded character and how many characters after the backslash
    it used, or None where systemd's cunescape_one() fails.
    """
    if start >= len(text):
        return None
    letter = text[start]
    if letter in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[letter], 1
    if letter == "x":
        return _numeric_escape(text, start + 1, 2, 16, 1)
    if letter == "u":
        return _numeric_escape(text, start + 1, 4, 16, 1)
    if letter == "U":
        return _numeric_escape(text, start + 1, 8, 16, 1)
    if letter in "01234567":
        decoded = _numeric_escape(text, start, 3, 8, 0)
        return decoded if decoded and ord(decoded[0]) <= 0xFF else None
    return None


def _numeric_escape(text: str, start: int, digits: int, base: int, extra: int) -> tuple[str, int] | None:
    chunk = text[start : start + digits]
    allowed = _HEX if base == 16 else "01234567"
    if len(chunk) != digits or any(char not in allowed for char in chunk):
        return None
    code = int(chunk, base)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), digits + extra


def extract_first_word(text: MappedText, start: int, flags: Extract) -> ExtractedWord:
    """Read the word of ``text`` that starts at or after ``start`` (whitespace separates)."""
    source = text.text
    index = start
    while index < len(source) and source[index] in WHITESPACE:
        index += 1
    if index >= len(source):
        return ExtractedWord(None, text[index:index], len(source))
    return _WordReader(text, index, flags).read()


class _WordReader:
    def __init__(self, text: MappedText, start: int, flags: Extract) -> None:
        self.text = text
        self.source = text.text
        self.start = start
        self.index = start
        self.flags = flags
        self.builder = MappedTextBuilder(text.position_at(start))
        self.quote = ""
        self.unknown_escape = False

    def read(self) -> ExtractedWord:
        while self.index < len(self.source):
            char = self.source[self.index]
            if char == "\\":
                error = self._escape()
                if error is not None:
                    return self._failed(error)
            elif self.quote:
                self._in_quotes(char)
            elif char in "'\"" and Extract.UNQUOTE in self.flags:
                self.quote = char
                self.index += 1
            elif char in WHITESPACE:
                return self._done(self._skip_separators())
            else:
                self._take(char, self.index)
                self.index += 1
        if self.quote and Extract.RELAX not in self.flags:
            return self._failed("unbalanced quoting")
        return self._done(len(self.source))

    def _in_quotes(self, char: str) -> None:
        if char == self.quote:
            self.quote = ""
        else:
            self._take(char, self.index)
        self.index += 1

    def _escape(self) -> str | None:
        backslash = self.index
        if backslash + 1 >= len(self.source):
            return self._trailing_backslash(backslash)
        if Extract.CUNESCAPE not in self.flags:
            self._take(self.source[backslash + 1], backslash + 1)
            self.index += 2
            return None
        decoded = cunescape_one(self.source, backslash + 1)
        if decoded is not None:
            char, used = decoded
            self._take(char, backslash)
            self.index = backslash + 1 + used
            return None
        if Extract.UNESCAPE_RELAX in self.flags:
            self.unknown_escape = True
            self._take("\\", backslash)
            self._take(self.source[backslash + 1], backslash + 1)
            self.index += 2
            return None
        return f"unknown escape sequence '\\{self.source[backslash + 1]}'"

    def _trailing_backslash(self, backslash: int) -> str | None:
        self.index = len(self.source)
        if Extract.UNESCAPE_RELAX in self.flags and (not self.quote or Extract.RELAX in self.flags):
            self._take("\\", backslash)
            self.quote = ""
            return None
        if Extract.RELAX in self.flags:
            self.quote = ""
            return None
        return "trailing backslash"

    def _take(self, char: str, at: int) -> None:
        self.builder.append(char, self.text.position_at(at))

    def _skip_separators(self) -> int:
        end = self.index
        while self.index < len(self.source) and self.source[self.index] in WHITESPACE:
            self.index += 1
        return end

    def _done(self, raw_end: int) -> ExtractedWord:
        raw = self.text[self.start : raw_end]
        word = self.builder.build(raw.end) if len(self.builder) else MappedText.empty(raw.end)
        return ExtractedWord(word, raw, self.index, None, self.unknown_escape)

    def _failed(self, error: str) -> ExtractedWord:
        return ExtractedWord(None, self.text[self.start :], self.start, error)


def split_words(text: MappedText, flags: Extract) -> tuple[list[MappedText], str | None]:
    """All words of ``text``; stops at the first error and returns it with the words read so far."""
    words: list[MappedText] = []
    index = 0
    while True:
        extracted = extract_first_word(text, index, flags)
        if extracted.error is not None:
            return words, extracted.error
        if extracted.word is None:
            return words, None
        words.append(extracted.word)
        index = extracted.next_index


# ---------------------------------------------------------------------------
# Specifiers
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpecifierResult:
    text: MappedText
    unknown: tuple[int, ...] = ()
    unresolved: tuple[int, ...] = ()
    deprecated: tuple[int, ...] = ()

    @property
    def failed(self) -> bool:
        return bool(self.unknown)


def specifiers_for_unit(unit_name: str, fragment_path: str | None = None) -> dict[str, str]:
    """The specifiers that need only the unit's name and the system manager's fixed paths.

    Host facts (hostname %H, machine id %m, kernel %v, ...) are left out: a
    caller that knows them from a node tree can add them.
    """
    prefix_and_instance = unit_name.rpartition(".")[0] if "." in unit_name else unit_name
    prefix, _, instance = prefix_and_instance.partition("@")
    values = {
        "n": unit_name,
        "N": prefix_and_instance,
        "p": prefix,
        "P": prefix,
        "i": instance,
        "I": instance,
        "j": prefix.rpartition("-")[2],
        "J": prefix.rpartition("-")[2],
        "f": "/" + (instance or prefix),
        "t": "/run",
        "T": "/tmp",
        "V": "/var/tmp",
        "S": "/var/lib",
        "C": "/var/cache",
        "L": "/var/log",
        "E": "/etc",
        "h": "/root",
        "u": "root",
        "U": "0",
        "g": "root",
        "G": "0",
        "s": "/bin/sh",
        "d": f"/run/credentials/{unit_name}",
    }
    if fragment_path is not None:
        values["y"] = fragment_path
        values["Y"] = posixpath.dirname(fragment_path)
    return values


def expand_specifiers(text: MappedText, values: Mapping[str, str]) -> SpecifierResult:
    """Apply systemd's specifier_printf(): ``%%``, known ``%x``, and errors for unknown letters."""
    builder = MappedTextBuilder(text.position_at(0))
    unknown: list[int] = []
    unresolved: list[int] = []
    deprecated: list[int] = []
    source = text.text
    index = 0
    while index < len(source):
        char = source[index]
        if char != "%" or index + 1 >= len(source):
            builder.append(char, text.positions[index])
            index += 1
            continue
        letter = source[index + 1]
        at = text.positions[index]
        if letter == "%":
            builder.append("%", at)
        elif letter in values:
            for offset, replacement_char in enumerate(values[letter]):
                builder.append(replacement_char, at if offset == 0 else text.positions[index + 1])
            if letter in DEPRECATED_SPECIFIERS:
                deprecated.append(index)
        elif letter in KNOWN_SPECIFIERS:
            unresolved.append(index)
            builder.append("%", at)
            builder.append(letter, text.positions[index + 1])
        elif letter.isascii() and letter.isalnum():
            unknown.append(index)
        else:
            builder.append("%", at)
            builder.append(letter, text.positions[index + 1])
        index += 2
    return SpecifierResult(builder.build(text.end), tuple(unknown), tuple(unresolved), tuple(deprecated))


def _report_specifiers(
    result: SpecifierResult, original: MappedText, setting: str, problems: list[UnitProblem] | None
) -> None:
    if problems is None:
        return
    for index in result.unknown:
        letter = original.text[index + 1]
        message = f"unknown specifier %{letter}: systemd ignores this {setting} (write %% for a literal %)"
        problems.append(
            UnitProblem(original.span(index, index + 2), message, ProblemKind.UNKNOWN_SPECIFIER.value, Severity.ERROR)
        )
    for index in result.unresolved:
        letter = original.text[index + 1]
        message = (
            f"specifier %{letter} depends on the host: systemd replaces it at load time, kubelint keeps it as written"
        )
        problems.append(
            UnitProblem(original.span(index, index + 2), message, ProblemKind.UNRESOLVED_SPECIFIER.value, Severity.INFO)
        )
    for index in result.deprecated:
        letter = original.text[index + 1]
        message = f"specifier %{letter} is deprecated in systemd and does not work as intended"
        problems.append(
            UnitProblem(
                original.span(index, index + 2), message, ProblemKind.DEPRECATED_SPECIFIER.value, Severity.WARNING
            )
        )


# ---------------------------------------------------------------------------
# Environment=
# ---------------------------------------------------------------------------


def split_environment_assignments(
    directive: Directive,
    *,
    specifiers: Mapping[str, str] | None = None,
    problems: list[UnitProblem] | None = None,
) -> list[EnvAssignment]:
    """The assignments of one ``Environment=`` line, as systemd keeps them.

    Words are read with quotes and C escapes; each must be ``NAME=value``
    with a valid name, or systemd ignores it. A syntax error (unbalanced
    quote, unknown escape) makes systemd ignore the rest of the line; the
    assignments before it stay. Problems go to ``problems`` when given.
    """
    values = specifiers if specifiers is not None else {}
    assignments: list[EnvAssignment] = []
    index = 0
    previous_was_assignment = False
    while True:
        extracted = extract_first_word(directive.value, index, Extract.UNQUOTE | Extract.CUNESCAPE)
        if extracted.error is not None:
            _report_environment_syntax(directive, extracted, problems)
            return assignments
        if extracted.word is None:
            return assignments
        index = extracted.next_index
        expanded = expand_specifiers(extracted.word, values)
        _report_specifiers(expanded, extracted.word, "assignment", problems)
        if expanded.failed:
            previous_was_assignment = False
            continue
        assignment = _assignment_from_word(expanded.text, extracted.raw, directive.line)
        if assignment is None:
            _report_invalid_assignment(expanded.text, extracted.raw, previous_was_assignment, problems)
            previous_was_assignment = False
            continue
        assignments.append(assignment)
        previous_was_assignment = True


def _assignment_from_word(word: MappedText, raw: MappedText, line: int) -> EnvAssignment | None:
    equals = word.find("=")
    if equals <= 0:
        return None
    name, value = word[:equals], word[equals + 1 :]
    if not is_valid_env_name(name.text) or not _is_valid_env_value(value.text):
        return None
    return EnvAssignment(name.text, value, name.span(), value.span(), line, raw.span())


def _is_valid_env_value(value: str) -> bool:
    return not any((ord(char) < 0x20 and char not in "\t\n") or char == "\x7f" for char in value)


def _report_environment_syntax(
    directive: Directive, extracted: ExtractedWord, problems: list[UnitProblem] | None
) -> None:
    if problems is None:
        return
    message = (
        f"invalid syntax ({extracted.error}): systemd ignores the rest of this Environment= line, "
        f"from {extracted.raw.text[:40]!r}"
    )
    problems.append(UnitProblem(extracted.raw.span(), message, ProblemKind.INVALID_SYNTAX.value, Severity.ERROR))


def _report_invalid_assignment(
    word: MappedText, raw: MappedText, previous_was_assignment: bool, problems: list[UnitProblem] | None
) -> None:
    if problems is None:
        return
    text = word.text
    name = text.partition("=")[0]
    if "=" not in text and previous_was_assignment:
        reason = "no '=': an unquoted space split the previous value here; quote the whole assignment"
    elif "=" not in text:
        reason = "no '=' in it"
    elif any(char in LOOKALIKE_QUOTES for char in name):
        reason = f"the name {name!r} contains a look-alike quote, which systemd does not treat as a quote"
    elif not name:
        reason = "the name is empty"
    elif not is_valid_env_name(name):
        reason = f"{name!r} is not a valid variable name"
    else:
        reason = "the value contains control characters"
    message = f"invalid environment assignment {text!r}: {reason}; systemd ignores it"
    problems.append(UnitProblem(raw.span(), message, ProblemKind.INVALID_ASSIGNMENT.value, Severity.ERROR))


# ---------------------------------------------------------------------------
# EnvironmentFile=
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EnvironmentFileEntry:
    """One ``EnvironmentFile=`` path; ``optional`` when written with a leading ``-``."""

    path: str
    optional: bool
    span: Span


def environment_file_entries(
    directive: Directive,
    *,
    specifiers: Mapping[str, str] | None = None,
    problems: list[UnitProblem] | None = None,
) -> list[EnvironmentFileEntry]:
    """The file named by one ``EnvironmentFile=`` line (none when the value is empty or rejected).

    systemd takes the whole value as one path: no quotes, no word splitting.
    It must be absolute and normalized, or the line is ignored.
    """
    value = directive.value
    if not value:
        return []
    expanded = expand_specifiers(value, specifiers if specifiers is not None else {})
    _report_specifiers(expanded, value, "EnvironmentFile= line", problems)
    if expanded.failed:
        return []
    text = expanded.text
    optional = text.text.startswith("-")
    path_text = text[1:] if optional else text
    reason = _path_problem(path_text.text)
    if reason is not None:
        if problems is not None:
            message = f"EnvironmentFile= path {path_text.text!r} {reason}: systemd ignores this line"
            problems.append(UnitProblem(path_text.span(), message, ProblemKind.BAD_PATH.value, Severity.ERROR))
        return []
    return [EnvironmentFileEntry(_simplify_path(path_text.text), optional, path_text.span())]


def _path_problem(path: str) -> str | None:
    if not path.startswith("/"):
        hint = " (quotes are not allowed here)" if path[:1] in "\"'" or path[:1] in LOOKALIKE_QUOTES else ""
        return f"is not absolute{hint}"
    if any(part == ".." for part in path.split("/")):
        return "is not normalized (contains '..')"
    return None


def _simplify_path(path: str) -> str:
    parts = [part for part in path.split("/") if part not in ("", ".")]
    return "/" + "/".join(parts)


# ---------------------------------------------------------------------------
# ExecStart=
# ---------------------------------------------------------------------------


EXEC_PREFIX_CHARS = "-@:+!|"


@dataclass(frozen=True, slots=True)
class ExecCommand:
    """One command of an ``ExecStart=`` line.

    ``path`` is the executable (prefixes removed); ``argv`` is what the
    process receives before ``$VAR`` expansion: ``argv[0]`` is the path,
    or, with the ``@`` prefix, the word after it.
    """

    prefixes: str
    path: MappedText
    argv: tuple[MappedText, ...]
    line: int

    @property
    def ignore_failure(self) -> bool:
        return "-" in self.prefixes

    @property
    def separate_argv0(self) -> bool:
        return "@" in self.prefixes

    @property
    def expands_environment(self) -> bool:
        return ":" not in self.prefixes


def exec_start_words(
    directive: Directive,
    *,
    specifiers: Mapping[str, str] | None = None,
    problems: list[UnitProblem] | None = None,
    in_dropin: bool = False,
) -> list[ExecCommand]:
    """Split an ``ExecStart=`` value into commands as systemd's config_parse_exec() does.

    An empty list means the line resets the list (empty value) or that
    systemd rejected it; rejections are reported to ``problems``. Whether a
    rejection is fatal depends on where the line is: in the unit file itself
    (``in_dropin`` false) an unreadable argument, a bad executable or an
    unknown specifier stops the unit from loading unless the command has the
    ``-`` prefix; in a drop-in systemd only ignores the line.
    """
    if not directive.value:
        return []
    values = specifiers if specifiers is not None else {}
    return _ExecReader(directive.value, directive.line, values, problems, rejection_is_fatal=not in_dropin).read()


class _ExecReader:
    flags = Extract.UNQUOTE | Extract.CUNESCAPE

    def __init__(
        self,
        text: MappedText,
        line: int,
        specifiers: Mapping[str, str],
        problems: list[UnitProblem] | None,
        *,
        rejection_is_fatal: bool,
    ) -> None:
        self.text = text
        self.line = line
        self.specifiers = specifiers
        self.problems = problems
        self.rejection_is_fatal = rejection_is_fatal
        self.index = 0
        self.commands: list[ExecCommand] = []

    def read(self) -> list[ExecCommand]:
        more = True
        while more:
            # An unreadable first word only makes systemd ignore the line, wherever it is.
            first = self._word(fatal=False)
            if first is None or first.word is None:
                return self.commands
            self.index = first.next_index
            if first.word.text == ";":
                continue
            command, more = self._command(first.word)
            if command is None:
                return self.commands
            self.commands.append(command)
        return self.commands

    def _word(self, *, fatal: bool) -> ExtractedWord | None:
        """The next word; None after reporting a word systemd cannot read."""
        extracted = extract_first_word(self.text, self.index, self.flags)
        if extracted.error is None:
            return extracted
        relaxed = extract_first_word(self.text, self.index, self.flags | Extract.UNESCAPE_RELAX)
        if relaxed.error is None:
            message = f"unknown escape sequence in {relaxed.raw.text!r}: systemd keeps the backslash"
            self._report(relaxed.raw.span(), message, ProblemKind.UNKNOWN_ESCAPE, Severity.WARNING)
            return relaxed
        self._reject(extracted.raw.span(), "unbalanced quoting", ProblemKind.INVALID_SYNTAX, fatal=fatal)
        return None

    def _command(self, first: MappedText) -> tuple[ExecCommand | None, bool]:
        prefixes = _leading_prefixes(first.text)
        fatal = self.rejection_is_fatal and "-" not in prefixes
        path = self._expand(first[len(prefixes) :], fatal=fatal)
        if path is None:
            return None, False
        reason = _executable_problem(path.text)
        if reason is not None:
            self._reject(first.span(), reason, ProblemKind.BAD_EXEC, fatal=fatal)
            return None, False
        argv: list[MappedText] = [] if "@" in prefixes else [path]
        more = self._arguments(argv, fatal=fatal)
        if more is None:
            return None, False
        if not argv:
            self._reject(first.span(), "empty argv[0] after '@'", ProblemKind.BAD_EXEC, fatal=fatal)
            return None, False
        return ExecCommand(prefixes, path, tuple(argv), self.line), more

    def _arguments(self, argv: list[MappedText], *, fatal: bool) -> bool | None:
        """Read words up to a lone ';'; True when another command follows, None on error."""
        source = self.text.text
        while self.index < len(source):
            rest = source[self.index :]
            if rest[0] == ";" and (len(rest) == 1 or rest[1] in WHITESPACE):
                self.index = _skip_whitespace(source, self.index + 1)
                return True
            if rest.startswith("\\;") and (len(rest) == 2 or rest[2] in WHITESPACE):
                argv.append(self.text[self.index + 1 : self.index + 2])
                self.index = _skip_whitespace(source, self.index + 2)
                continue
            extracted = self._word(fatal=fatal)
            if extracted is None:
                return None
            if extracted.word is None:
                break
            argument = self._expand(extracted.word, fatal=fatal)
            if argument is None:
                return None
            argv.append(argument)
            self.index = extracted.next_index
        return False

    def _expand(self, word: MappedText, *, fatal: bool) -> MappedText | None:
        """Specifiers are resolved word by word, after quotes and escapes."""
        expanded = expand_specifiers(word, self.specifiers)
        if not expanded.failed:
            _report_specifiers(expanded, word, "ExecStart= line", self.problems)
            return expanded.text
        for index in expanded.unknown:
            reason = f"unknown specifier %{word.text[index + 1]} (write %% for a literal %)"
            self._reject(word.span(index, index + 2), reason, ProblemKind.UNKNOWN_SPECIFIER, fatal=fatal)
        return None

    def _reject(self, span: Span, reason: str, kind: ProblemKind, *, fatal: bool) -> None:
        outcome = "systemd refuses to load the unit" if fatal else "systemd ignores this ExecStart= line"
        if self.problems is not None:
            self.problems.append(UnitProblem(span, f"{reason}: {outcome}", kind.value, Severity.ERROR, fatal))

    def _report(self, span: Span, message: str, kind: ProblemKind, severity: Severity) -> None:
        if self.problems is not None:
            self.problems.append(UnitProblem(span, message, kind.value, severity))


def _leading_prefixes(word: str) -> str:
    taken = ""
    for char in word:
        if char not in EXEC_PREFIX_CHARS:
            break
        allowed_twice = char == "!" and taken.count("!") == 1
        if char in taken and not allowed_twice:
            break
        taken += char
    return taken


def _executable_problem(path: str) -> str | None:
    if not path:
        return "empty executable path"
    if not _is_safe_section_name(path):
        return f"executable {path!r} contains special characters"
    if path.endswith("/"):
        return f"executable {path!r} is a directory"
    if not path.startswith("/") and "/" in path:
        return f"executable {path!r} is neither an absolute path nor a plain file name"
    return None


def _skip_whitespace(source: str, index: int) -> int:
    while index < len(source) and source[index] in WHITESPACE:
        index += 1
    return index
