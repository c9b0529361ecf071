"""Command lines: argv words that remember where they came from, and kubelet flag parsing.

A kubelet's argv is assembled from several files: the ``ExecStart=`` line of
a unit or drop-in, and variables set by ``Environment=`` or loaded from an
``EnvironmentFile=``. Each ``Word`` keeps the file and span of the text its
characters were taken from, and ``via`` names the chain that brought it into
argv (innermost first), so a finding about ``--cgroup-driver=cgroupfs`` can
point into kubeadm-flags.env and say it arrived through ``$KUBELET_KUBEADM_ARGS``.

``expand_exec_start`` follows systemd's replace_env_argv(): a word that is
exactly ``$NAME`` is replaced by the variable's value split into words
(quotes in the value group words); ``${NAME}`` is replaced inside a word
without splitting; ``$$`` is a literal ``$``; a ``$NAME`` inside a longer
word is left as written. ``parse_kubelet_flags`` follows spf13/pflag as the
kubelet configures it (``_`` and ``-`` are the same in flag names).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from kubelint.diagnostics import Location, Severity, Span
from kubelint.loaders.envfile import is_valid_env_name
from kubelint.loaders.systemd import Extract, extract_first_word
from kubelint.loaders.textpos import LineIndex, MappedText, MappedTextBuilder

# ---------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Word:
    """One argv word.

    ``location`` is where its text sits (None when it has no file, such as
    an unmapped test string); ``mapped`` maps each character of ``text`` to
    its place in that file, so parts of the word can be located too.
    """

    text: str
    location: Location | None
    via: tuple[str, ...] = ()
    mapped: MappedText | None = field(default=None, compare=False, repr=False)

    def sub_location(self, start: int, end: int) -> Location | None:
        """The location of ``text[start:end]``, or of the whole word when parts cannot be told apart."""
        if self.location is None:
            return None
        if self.mapped is None or len(self.mapped) != len(self.text):
            return self.location
        return Location(self.location.path, self.mapped.span(start, end))


def word_from_mapped(mapped: MappedText, path: str | None, via: tuple[str, ...] = ()) -> Word:
    location = Location(path, mapped.span()) if path is not None else None
    return Word(mapped.text, location, via, mapped)


@dataclass(frozen=True, slots=True)
class EnvValue:
    """A variable's value with its provenance.

    ``path`` is the file the value text sits in; ``origin`` describes it for
    ``Word.via``, e.g. ``KUBELET_KUBEADM_ARGS in var/lib/kubelet/kubeadm-flags.env:1``.
    """

    value: MappedText
    path: str | None = None
    origin: str | None = None

    @classmethod
    def plain(cls, text: str) -> EnvValue:
        return cls(MappedText.unmapped(text))


@dataclass(frozen=True, slots=True)
class UnsetVariable:
    """A ``$NAME`` or ``${NAME}`` that expanded to nothing.

    ``invalid_name`` marks references systemd calls bad variables (``$A.b``):
    they can never be set.
    """

    name: str
    span: Span | None
    path: str | None = None
    invalid_name: bool = False

    @property
    def location(self) -> Location | None:
        if self.span is None or self.path is None:
            return None
        return Location(self.path, self.span)


# ---------------------------------------------------------------------------
# $VAR expansion
# ---------------------------------------------------------------------------


def expand_exec_start(
    words: Sequence[Word],
    environment: Mapping[str, EnvValue | str],
    *,
    unset: list[UnsetVariable] | None = None,
) -> list[Word]:
    """Expand variables in argv words as systemd does when it starts the command.

    Unset and invalid references are appended to ``unset`` when given.
    """
    sink: list[UnsetVariable] = [] if unset is None else unset
    expanded: list[Word] = []
    for word in words:
        if _is_whole_word_reference(word.text):
            expanded.extend(_split_variable(word, environment, sink))
        else:
            expanded.append(_ReferenceReplacer(word, environment, sink).run())
    return expanded


def _is_whole_word_reference(text: str) -> bool:
    return text.startswith("$") and text[1:2] not in ("{", "$")


def _lookup(environment: Mapping[str, EnvValue | str], name: str) -> EnvValue | None:
    value = environment.get(name)
    if isinstance(value, str):
        return EnvValue.plain(value)
    return value


def _split_variable(word: Word, environment: Mapping[str, EnvValue | str], unset: list[UnsetVariable]) -> list[Word]:
    name = word.text[1:]
    value = _lookup(environment, name) if is_valid_env_name(name) else None
    if value is None:
        path = word.location.path if word.location else None
        unset.append(UnsetVariable(name, _span_of(word), path, not is_valid_env_name(name)))
        return []
    via = ((value.origin,) if value.origin else ()) + word.via
    pieces: list[Word] = []
    index = 0
    while True:
        extracted = extract_first_word(value.value, index, Extract.UNQUOTE | Extract.RELAX)
        if extracted.word is None:
            return pieces
        pieces.append(word_from_mapped(extracted.word, value.path, via))
        index = extracted.next_index


def _span_of(word: Word) -> Span | None:
    return word.location.span if word.location else None


class _ReferenceReplacer:
    """systemd's replace_env() over one word: ``${NAME}`` and ``$$``, keeping positions."""

    def __init__(self, word: Word, environment: Mapping[str, EnvValue | str], unset: list[UnsetVariable]) -> None:
        self.word = word
        self.mapped = word.mapped if word.mapped is not None and len(word.mapped) == len(word.text) else None
        self.environment = environment
        self.unset = unset
        self.builder = MappedTextBuilder(self._position(0))
        self.origins: list[str] = []
        self.used: list[EnvValue] = []
        self.literal_chars = 0

    def run(self) -> Word:
        text = self.word.text
        index = 0
        while index < len(text):
            index = self._step(text, index)
        return self._result()

    def _step(self, text: str, index: int) -> int:
        if text[index] != "$" or index + 1 >= len(text):
            self._literal(index)
            return index + 1
        following = text[index + 1]
        if following == "$":
            self._literal(index)
            return index + 2
        if following != "{":
            self._literal(index)
            return index + 1
        close = _reference_end(text, index + 2)
        if close < 0 or text[close] == ":":
            # Not a reference systemd replaces: the text up to here stays, scanning goes on after it.
            stop = len(text) if close < 0 else close + 1
            for position in range(index, stop):
                self._literal(position)
            return stop
        self._substitute(text[index + 2 : close], index, close + 1)
        return close + 1

    def _literal(self, index: int) -> None:
        self.builder.append(self.word.text[index], self._position(index))
        self.literal_chars += 1

    def _substitute(self, name: str, start: int, end: int) -> None:
        value = _lookup(self.environment, name) if is_valid_env_name(name) else None
        if value is None:
            path = self.word.location.path if self.word.location else None
            span = self.mapped.span(start, end) if self.mapped is not None else _span_of(self.word)
            self.unset.append(UnsetVariable(name, span, path, not is_valid_env_name(name)))
            return
        self.used.append(value)
        if value.origin:
            self.origins.append(value.origin)
        _append_spread(self.builder, value.value.text, self._position(start), self._position(end - 1))

    def _position(self, index: int) -> tuple[int, int]:
        if self.mapped is not None:
            return self.mapped.position_at(index)
        if self.word.location is not None:
            return self.word.location.span.line, self.word.location.span.column
        return 1, 1

    def _result(self) -> Word:
        mapped = self.builder.build(self._position(len(self.word.text)))
        if not self.used and mapped.text == self.word.text:
            return self.word
        via = tuple(self.origins) + self.word.via
        if self.literal_chars == 0 and len(self.used) == 1 and self.used[0].path is not None:
            # The whole word is one variable's value: point into the file that value came from.
            value = self.used[0]
            return word_from_mapped(value.value, value.path, via)
        if self.mapped is None:
            return Word(mapped.text, self.word.location, via)
        location = self.word.location
        if location is not None and len(mapped):
            location = Location(location.path, mapped.span())
        return Word(mapped.text, location, via, mapped)


def _append_spread(builder: MappedTextBuilder, text: str, first: tuple[int, int], last: tuple[int, int]) -> None:
    """Map substituted text onto the reference it replaced: first character to its start, the rest to its end."""
    for index, char in enumerate(text):
        builder.append(char, first if index == 0 else last)


def _reference_end(text: str, start: int) -> int:
    """The ``}`` closing a ``${``, or a ``:`` where systemd gives up on it (no ``${A:-b}`` in ExecStart), or -1."""
    for index in range(start, len(text)):
        if text[index] in "}:":
            return index
    return -1


# ---------------------------------------------------------------------------
# Plain command lines
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CmdlineProblem:
    span: Span
    message: str
    kind: str


def split_cmdline(text: str, path: str | None = None) -> list[Word]:
    """Split a shell-style command line (``kubelet --config "/a b"``) without expanding anything."""
    return split_cmdline_with_problems(text, path)[0]


def split_cmdline_with_problems(text: str, path: str | None = None) -> tuple[list[Word], list[CmdlineProblem]]:
    """Like ``split_cmdline``, also reporting unterminated quotes; never raises."""
    return _ShellSplitter(text, path).run()


class _ShellSplitter:
    """POSIX shell quoting: '...' literal, "..." with \\ before $ ` " \\ newline, \\ outside quotes."""

    def __init__(self, text: str, path: str | None) -> None:
        self.index_of_lines = LineIndex(text)
        self.source = MappedText.from_source(self.index_of_lines, 0, len(text))
        self.text = text
        self.path = path
        self.position = 0
        self.words: list[Word] = []
        self.problems: list[CmdlineProblem] = []

    def run(self) -> tuple[list[Word], list[CmdlineProblem]]:
        while self._skip_blanks_and_comments():
            self._word()
        return self.words, self.problems

    def _skip_blanks_and_comments(self) -> bool:
        text = self.text
        while self.position < len(text):
            char = text[self.position]
            if char in " \t\n\r":
                self.position += 1
            elif char == "\\" and text[self.position + 1 : self.position + 2] == "\n":
                self.position += 2
            elif char == "#":
                newline = text.find("\n", self.position)
                self.position = len(text) if newline < 0 else newline
            else:
                return True
        return False

    def _word(self) -> None:
        builder = MappedTextBuilder(self.source.position_at(self.position))
        start = self.position
        text = self.text
        while self.position < len(text) and text[self.position] not in " \t\n\r":
            char = text[self.position]
            if char == "'":
                self._single_quoted(builder)
            elif char == '"':
                self._double_quoted(builder)
            elif char == "\\":
                self._escaped(builder)
            else:
                builder.append(char, self.source.positions[self.position])
                self.position += 1
        raw = self.source[start : self.position]
        mapped = builder.build(raw.end) if len(builder) else MappedText.empty(raw.end)
        location = Location(self.path, mapped.span() if len(mapped) else raw.span()) if self.path else None
        self.words.append(Word(mapped.text, location, (), mapped))

    def _single_quoted(self, builder: MappedTextBuilder) -> None:
        opening = self.position
        close = self.text.find("'", opening + 1)
        end = len(self.text) if close < 0 else close
        for index in range(opening + 1, end):
            builder.append(self.text[index], self.source.positions[index])
        self.position = end + 1 if close >= 0 else end
        if close < 0:
            self._unterminated(opening)

    def _double_quoted(self, builder: MappedTextBuilder) -> None:
        opening = self.position
        index = opening + 1
        text = self.text
        while index < len(text) and text[index] != '"':
            if text[index] == "\\" and index + 1 < len(text) and text[index + 1] in '$`"\\\n':
                if text[index + 1] != "\n":
                    builder.append(text[index + 1], self.source.positions[index + 1])
                index += 2
                continue
            builder.append(text[index], self.source.positions[index])
            index += 1
        if index >= len(text):
            self._unterminated(opening)
            self.position = len(text)
        else:
            self.position = index + 1

    def _escaped(self, builder: MappedTextBuilder) -> None:
        following = self.position + 1
        if following < len(self.text) and self.text[following] != "\n":
            builder.append(self.text[following], self.source.positions[following])
        self.position = min(following + 1, len(self.text))

    def _unterminated(self, opening: int) -> None:
        message = "unterminated quote: the rest of the line is taken as one word"
        self.problems.append(
            CmdlineProblem(self.index_of_lines.span(opening, opening + 1), message, "unterminated-quote")
        )


def split_proc_cmdline(data: bytes, path: str | None = None) -> list[Word]:
    """Split ``/proc/PID/cmdline`` (NUL-separated, usually NUL-terminated); never raises.

    Positions are line 1 and the character offset in the decoded data, since
    the file has no lines of its own.
    """
    text = data.decode("utf-8", errors="replace")
    if text.endswith("\0"):
        text = text[:-1]
    if not text:
        return []
    words: list[Word] = []
    start = 0
    for argument in text.split("\0"):
        mapped = MappedText(
            argument, tuple((1, start + offset + 1) for offset in range(len(argument))), (1, start + len(argument) + 1)
        )
        words.append(word_from_mapped(mapped, path) if path else Word(argument, None, (), mapped))
        start += len(argument) + 1
    return words


# ---------------------------------------------------------------------------
# Kubelet flags (pflag semantics)
# ---------------------------------------------------------------------------

KUBELET_SHORTHANDS: Mapping[str, str] = {"v": "v", "h": "help"}


@dataclass(frozen=True, slots=True)
class FlagOccurrence:
    """One flag as pflag reads it.

    ``name`` is normalized (``_`` becomes ``-``), ``written_name`` is as
    written, both without dashes. ``value`` is None for a bare flag (a
    boolean set to true, or a flag whose value is missing).
    """

    name: str
    written_name: str
    value: str | None
    name_location: Location | None
    value_location: Location | None
    whole_location: Location | None
    via: tuple[str, ...]
    index: int
    is_bool: bool = False
    value_index: int | None = None
    shorthand: bool = False

    @property
    def effective_value(self) -> str | None:
        """The value pflag sets: ``true`` for a bare boolean."""
        if self.value is None and self.is_bool:
            return "true"
        return self.value


@dataclass(frozen=True, slots=True)
class FlagProblem:
    message: str
    location: Location | None
    kind: str
    index: int
    severity: Severity = Severity.ERROR


@dataclass(frozen=True, slots=True)
class ParsedFlags:
    occurrences: tuple[FlagOccurrence, ...]
    positional: tuple[Word, ...]
    problems: tuple[FlagProblem, ...]

    def all(self, name: str) -> list[FlagOccurrence]:
        normalized = normalize_flag_name(name)
        return [occurrence for occurrence in self.occurrences if occurrence.name == normalized]

    def last(self, name: str) -> FlagOccurrence | None:
        found = self.all(name)
        return found[-1] if found else None

    def values(self) -> dict[str, str | None]:
        """Every flag's effective value, the last occurrence winning (right for scalars only)."""
        return {occurrence.name: occurrence.effective_value for occurrence in self.occurrences}


def normalize_flag_name(name: str) -> str:
    """The kubelet's WordSepNormalizeFunc: ``--cluster_dns`` is ``--cluster-dns``."""
    return name.lstrip("-").replace("_", "-")


def parse_kubelet_flags(
    words: Sequence[Word],
    is_bool_flag: Callable[[str], bool],
    *,
    shorthands: Mapping[str, str] = KUBELET_SHORTHANDS,
) -> ParsedFlags:
    """Parse kubelet arguments (argv without argv[0]) like pflag; every occurrence is kept in order.

    pflag stops at its first error; this goes on so that every problem is
    reported, which is what a linter wants.
    """
    return _FlagParser(words, is_bool_flag, shorthands).run()


class _FlagParser:
    def __init__(
        self, words: Sequence[Word], is_bool_flag: Callable[[str], bool], shorthands: Mapping[str, str]
    ) -> None:
        self.words = words
        self.is_bool_flag = is_bool_flag
        self.shorthands = shorthands
        self.index = 0
        self.occurrences: list[FlagOccurrence] = []
        self.positional: list[Word] = []
        self.problems: list[FlagProblem] = []

    def run(self) -> ParsedFlags:
        while self.index < len(self.words):
            word = self.words[self.index]
            text = word.text
            self.index += 1
            if len(text) < 2 or not text.startswith("-"):
                self._stray(word, self.index - 1)
            elif text == "--":
                self._after_double_dash()
            elif text.startswith("--"):
                self._long(word, self.index - 1)
            else:
                self._short(word, self.index - 1)
        return ParsedFlags(tuple(self.occurrences), tuple(self.positional), tuple(self.problems))

    def _stray(self, word: Word, index: int, *, after_dash: bool = False) -> None:
        self.positional.append(word)
        if not word.text:
            message = (
                'empty argument (an unset ${VAR} leaves one): the kubelet refuses to start with unknown command ""'
            )
        elif after_dash:
            message = (
                f"argument {word.text!r} after '--': the kubelet refuses to start with unknown command {word.text!r}"
            )
        else:
            message = f"stray argument {word.text!r}: the kubelet takes no positional arguments and refuses to start"
        self.problems.append(FlagProblem(message, word.location, "positional", index))

    def _after_double_dash(self) -> None:
        while self.index < len(self.words):
            self._stray(self.words[self.index], self.index, after_dash=True)
            self.index += 1

    def _long(self, word: Word, index: int) -> None:
        body = word.text[2:]
        if body[:1] in ("-", "="):
            self.problems.append(FlagProblem(f"bad flag syntax: {word.text}", word.location, "bad-syntax", index))
            return
        written, equals, value = body.partition("=")
        name = normalize_flag_name(written)
        name_end = 2 + len(written)
        if equals:
            self._record(word, index, name, written, value, name_end, shorthand=False)
        elif self.is_bool_flag(name):
            self._record(word, index, name, written, None, name_end, shorthand=False)
        else:
            self._take_next_word(word, index, name, written, name_end, shorthand=False)

    def _short(self, word: Word, index: int) -> None:
        letters = word.text[1:]
        position = 0
        while position < len(letters):
            letter = letters[position]
            name = self.shorthands.get(letter)
            if name is None:
                message = f"unknown shorthand flag {letter!r} in {word.text}"
                hint = (
                    f" (long flags need two dashes: -{letters.partition('=')[0]} is not --{letters.partition('=')[0]})"
                )
                self.problems.append(
                    FlagProblem(message + (hint if len(letters) > 1 else ""), word.location, "unknown-shorthand", index)
                )
                return
            name_end = 1 + position + 1
            rest = letters[position + 1 :]
            if len(rest) > 1 and rest[0] == "=":
                self._record(word, index, name, letter, rest[1:], name_end, shorthand=True)
                return
            if self.is_bool_flag(name):
                self._record(word, index, name, letter, None, name_end, shorthand=True)
                position += 1
                continue
            if rest:
                self._record_attached(word, index, name, letter, rest, name_end)
                return
            self._take_next_word(word, index, name, letter, name_end, shorthand=True)
            return

    def _record(
        self, word: Word, index: int, name: str, written: str, value: str | None, name_end: int, *, shorthand: bool
    ) -> None:
        value_start = name_end + 1
        self.occurrences.append(
            FlagOccurrence(
                name=name,
                written_name=written,
                value=value,
                name_location=word.sub_location(0, name_end),
                value_location=word.sub_location(value_start, len(word.text)) if value is not None else None,
                whole_location=word.location,
                via=word.via,
                index=index,
                is_bool=self.is_bool_flag(name),
                value_index=index if value is not None else None,
                shorthand=shorthand,
            )
        )

    def _record_attached(self, word: Word, index: int, name: str, written: str, value: str, name_end: int) -> None:
        # '-v2': the value follows the letter directly, with no '='.
        self.occurrences.append(
            FlagOccurrence(
                name=name,
                written_name=written,
                value=value,
                name_location=word.sub_location(0, name_end),
                value_location=word.sub_location(name_end, len(word.text)),
                whole_location=word.location,
                via=word.via,
                index=index,
                is_bool=False,
                value_index=index,
                shorthand=True,
            )
        )

    def _take_next_word(
        self, word: Word, index: int, name: str, written: str, name_end: int, *, shorthand: bool
    ) -> None:
        if self.index >= len(self.words):
            message = (
                f"flag needs an argument: {word.text} is last on the command line and the kubelet refuses to start"
            )
            self.problems.append(FlagProblem(message, word.location, "missing-value", index))
            self._record(word, index, name, written, None, name_end, shorthand=shorthand)
            return
        value_word = self.words[self.index]
        value_index = self.index
        self.index += 1
        if value_word.text.startswith("-") and len(value_word.text) > 1:
            message = f"{word.text} takes the next word {value_word.text!r} as its value: a value is probably missing"
            self.problems.append(
                FlagProblem(message, value_word.location, "value-looks-like-flag", value_index, Severity.WARNING)
            )
        self.occurrences.append(
            FlagOccurrence(
                name=name,
                written_name=written,
                value=value_word.text,
                name_location=word.sub_location(0, name_end),
                value_location=value_word.location,
                whole_location=_joined_location(word.location, value_word.location),
                via=word.via,
                index=index,
                is_bool=False,
                value_index=value_index,
                shorthand=shorthand,
            )
        )


def _joined_location(first: Location | None, second: Location | None) -> Location | None:
    """One location covering two words when they sit in order in the same file."""
    if first is None or second is None or first.path != second.path:
        return first
    if (second.span.end_line, second.span.end_column) < (first.span.line, first.span.column):
        return first
    span = Span(first.span.line, first.span.column, second.span.end_line, second.span.end_column)
    return Location(first.path, span)
