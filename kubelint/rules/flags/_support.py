"""Shared by the flag rules: naming flags, version words, and text edits of argv words.

A flag-deleting fix must leave the file as the kubelet's other arguments
need it: the quotes of ``KUBELET_EXTRA_ARGS="..."`` stay, one separator goes
with the flag, and nothing is touched unless the words are written in the
file exactly as the kubelet reads them (no quotes or escapes inside them).
Anything else gets no fix: a guess that breaks the quoting would stop the
kubelet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from kubelint import knowledge
from kubelint.diagnostics import FILE_START, Location, Span, TextEdit
from kubelint.knowledge import FlagSpec
from kubelint.loaders.cmdline import FlagOccurrence, Word
from kubelint.loaders.textpos import LineIndex
from kubelint.models.defaults import Version
from kubelint.node import CommandLine

# The kubelet units and env files kubelint reads are Linux artifacts.
NODE_OS = "linux"
KUBELET_DOCS = "https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/"

_SEPARATOR = re.compile(r"[ \t]*\\\r?\n[ \t]*|[ \t]+")
_TRAILING_SEPARATOR = re.compile(r"(?:[ \t]*\\\r?\n[ \t]*|[ \t]+)\Z")


def version_text(version: Version) -> str:
    return knowledge.format_version(version)


def shown(occurrence: FlagOccurrence) -> str:
    """The flag as written: ``--cgroup_driver`` stays ``--cgroup_driver``, ``-v`` stays ``-v``."""
    return ("-" if occurrence.shorthand else "--") + occurrence.written_name


def shown_with_value(occurrence: FlagOccurrence) -> str:
    if occurrence.value is None:
        return shown(occurrence)
    return f"{shown(occurrence)}={occurrence.value}"


def anchor(command_line: CommandLine) -> Location:
    return command_line.anchor or Location("<kubelet>", FILE_START)


def flag_location(occurrence: FlagOccurrence, command_line: CommandLine) -> Location:
    """The whole flag (name and value) when it has a place in a file."""
    return occurrence.whole_location or occurrence.name_location or anchor(command_line)


def value_location(occurrence: FlagOccurrence, command_line: CommandLine) -> Location:
    return occurrence.value_location or flag_location(occurrence, command_line)


def unknown_flag_error(occurrence: FlagOccurrence) -> str:
    """What the kubelet prints before it exits."""
    return f"`unknown flag: {shown(occurrence)}`"


def is_deprecated(spec: FlagSpec, version: Version) -> bool:
    """Accepted at ``version`` but deprecated there.

    The data leaves ``deprecated_in`` empty when the release of the
    deprecation was not verified; such a flag still counts as deprecated
    (its help text says so), unless it is removed at ``version``.
    """
    if not spec.exists_in(version):
        return False
    if spec.deprecated_in is not None:
        return version >= spec.deprecated_in
    return spec.status != "active"


@lru_cache(maxsize=8)
def valid_names(version: Version) -> tuple[str, ...]:
    """Every flag name the Linux kubelet of ``version`` accepts."""
    return tuple(sorted(name for name, spec in knowledge.flag_table().items()
                        if spec.exists_in(version) and spec.available_on(NODE_OS)))


def kubeadm_hint(occurrence: FlagOccurrence) -> str | None:
    """kubeadm writes kubeadm-flags.env itself: an edit there alone does not last."""
    location = occurrence.whole_location
    if location is None or not location.path.endswith("kubeadm-flags.env"):
        return None
    return ("kubeadm rewrites kubeadm-flags.env from nodeRegistration.kubeletExtraArgs on join and upgrade: "
            "remove the flag there too, or it comes back")


def occurrence_word(command_line: CommandLine, index: int | None) -> Word | None:
    if index is None or not 0 <= index < len(command_line.words):
        return None
    return command_line.words[index]


# ---------------------------------------------------------------------------
# raw text of argv words


@dataclass(frozen=True, slots=True)
class Region:
    """Offsets ``start``..``end`` of ``path``'s text that hold argv words exactly as written."""

    path: str
    text: str
    start: int
    end: int

    def span(self, start: int, end: int) -> Span:
        return _index(self.text).span(start, end)

    def edit(self, start: int, end: int, new_text: str = "") -> TextEdit:
        return TextEdit(self.path, self.span(start, end), new_text)


@lru_cache(maxsize=32)
def _index(text: str) -> LineIndex:
    return LineIndex(text)


@lru_cache(maxsize=32)  # asked once per argv word: uncached, 10,000 words read the text 20,000 times
def _usable(text: str) -> bool:
    # a lone CR ends a line for the loaders but not for the fixer: columns would disagree
    return text.count("\r") == text.count("\r\n")


def word_region(word: Word, texts: Mapping[str, str]) -> Region | None:
    """Where a word sits when each of its characters is the next character of the file."""
    mapped, location = word.mapped, word.location
    if mapped is None or location is None or not word.text or len(mapped) != len(word.text):
        return None
    text = texts.get(location.path)
    if text is None or not _usable(text):
        return None
    index = _index(text)
    start = index.offset(*mapped.positions[0])
    for position, (line, column) in enumerate(mapped.positions):
        offset = start + position
        if index.position(offset) != (line, column):
            return None
    end = start + len(word.text)
    if text[start:end] != word.text:
        return None
    return Region(location.path, text, start, end)


def flag_region(occurrence: FlagOccurrence, command_line: CommandLine,
                texts: Mapping[str, str]) -> Region | None:
    """The flag's word, and its value word when the value is the next word of the same file."""
    first = occurrence_word(command_line, occurrence.index)
    if first is None:
        return None
    region = word_region(first, texts)
    if region is None or occurrence.value_index in (None, occurrence.index):
        return region
    second = occurrence_word(command_line, occurrence.value_index)
    value = word_region(second, texts) if second is not None else None
    if value is None or value.path != region.path or value.start < region.end:
        return None
    if not _SEPARATOR.fullmatch(region.text[region.end:value.start]):
        return None
    return Region(region.path, region.text, region.start, value.end)


def delete_flag_edit(occurrence: FlagOccurrence, command_line: CommandLine,
                     texts: Mapping[str, str]) -> TextEdit | None:
    """Delete the flag (and its value word) with one adjacent blank, keeping every quote."""
    region = flag_region(occurrence, command_line, texts)
    if region is None:
        return None
    bounds = _deletion_bounds(region.text, region.start, region.end)
    return region.edit(*bounds) if bounds is not None else None


def _deletion_bounds(text: str, start: int, end: int) -> tuple[int, int] | None:
    before = text[start - 1] if start > 0 else "\n"
    # a word starts after a blank, a line break, '=' (first word of a value) or an opening quote
    if before not in " \t\r\n=\"'":
        return None
    following = _SEPARATOR.match(text, end)
    if following is not None:
        if "\n" not in following.group():
            return start, end + 1
        line_start = text.rfind("\n", 0, start) + 1
        if not text[line_start:start].strip(" \t"):
            # alone on a continued line: the whole line goes
            return line_start, following.start() + following.group().index("\n") + 1
        return start, following.end()
    after = text[end] if end < len(text) else "\n"
    if after not in "\r\n\"'":
        return None
    preceding = _TRAILING_SEPARATOR.search(text, max(0, start - 256), start)
    if preceding is not None:
        return preceding.start(), end
    if before in "=\n":
        return start, end
    # the only word of NAME="--flag": the quotes are the variable's own
    if before == after and start >= 2 and text[start - 2] == "=":
        return start, end
    return None


def replace_value_edit(occurrence: FlagOccurrence, command_line: CommandLine, texts: Mapping[str, str],
                       new_value: str) -> TextEdit | None:
    """Replace the flag's value where it is written plainly."""
    if occurrence.value is None or not occurrence.value:
        return None
    word = occurrence_word(command_line, occurrence.value_index)
    region = word_region(word, texts) if word is not None else None
    if region is None:
        return None
    start = region.end - len(occurrence.value)
    if region.text[start:region.end] != occurrence.value:
        return None
    return region.edit(start, region.end, new_value)


def rename_flag_edit(occurrence: FlagOccurrence, command_line: CommandLine, texts: Mapping[str, str],
                     new_name: str) -> TextEdit | None:
    """Replace ``--written-name`` with ``--new-name``, keeping the value."""
    if occurrence.shorthand:
        return None
    word = occurrence_word(command_line, occurrence.index)
    region = word_region(word, texts) if word is not None else None
    if region is None:
        return None
    end = region.start + 2 + len(occurrence.written_name)
    if region.text[region.start:end] != shown(occurrence):
        return None
    return region.edit(region.start, end, "--" + new_name)


def join_words_edit(flag: FlagOccurrence, stray: Word, command_line: CommandLine,
                    texts: Mapping[str, str]) -> TextEdit | None:
    """Turn ``--flag value`` into ``--flag=value`` (the blank between becomes ``=``)."""
    word = occurrence_word(command_line, flag.index)
    first = word_region(word, texts) if word is not None else None
    second = word_region(stray, texts)
    if first is None or second is None or first.path != second.path or second.start < first.end:
        return None
    gap = first.text[first.end:second.start]
    if not gap or gap.strip(" \t"):
        return None
    return first.edit(first.end, second.start, "=")


# ---------------------------------------------------------------------------
# config values in messages
