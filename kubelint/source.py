"""Reading files safely: every failure becomes a problem, never an exception."""

from __future__ import annotations

import codecs
import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Final

from kubelint.diagnostics import FILE_START, Location, Severity, Span
from kubelint.loaders.problems import Problem
from kubelint.records import Record

MAX_FILE_BYTES = 32 * 1024 * 1024


class SourceFile(Record):
    __slots__ = ("display", "path", "text")
    path: Final[Path | None]  # None for standard input
    display: Final[str]
    text: Final[str]

    def __init__(self, path: Path | None, display: str, text: str) -> None:
        self.path = path
        self.display = display
        self.text = text

    def __reduce__(self) -> tuple[Callable[[str | None, str, str], SourceFile], tuple[str | None, str, str]]:
        # A Path pickles as its parts, each parsed again when loaded: that was
        # most of what the parent of a --jobs scan spent loading the workers'
        # results. As one string it is parsed once.
        return _source_file, (None if self.path is None else str(self.path), self.display, self.text)


def _source_file(path_text: str | None, display: str, text: str) -> SourceFile:
    return SourceFile(None if path_text is None else Path(path_text), display, text)


def decode(data: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """Bytes → text as the kubelet would accept it, with problems for the rest."""
    problems: list[Problem] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None, [Problem("file-encoding", Location(display, FILE_START), "invalid UTF-16 text")]
        problems.append(
            Problem(
                "file-encoding",
                Location(display, Span(1, 1, 1, 2)),
                "file is UTF-16 (with a byte order mark); the kubelet and systemd expect UTF-8",
                severity=Severity.WARNING,
            )
        )
        return text.lstrip("\ufeff"), problems
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line = data.count(b"\n", 0, offset) + 1
        column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        return None, [
            Problem("binary-file", Location(display, Span(line, column, line, column + 1)),
                    f"file contains a NUL byte at line {line}, column {column}: binary or corrupt")
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [
            Problem("file-encoding", Location(display, Span(line, column, line, column + 1)),
                    f"file is not valid UTF-8 (byte 0x{data[error.start]:02x} at line {line}, column {column})")
        ]
    return text.removeprefix("\ufeff"), problems


def read_source(path: Path, display: str) -> tuple[SourceFile | None, list[Problem]]:
    where = Location(display, FILE_START)
    try:
        info = path.stat()
    except OSError as error:
        return None, [Problem("unreadable-file", where, _os_message(error))]
    if stat.S_ISDIR(info.st_mode):
        return None, [Problem("unreadable-file", where, "is a directory, not a file")]
    if not stat.S_ISREG(info.st_mode):
        return None, [Problem("unreadable-file", where, "is not a regular file (device, socket or FIFO)")]
    if info.st_size > MAX_FILE_BYTES:
        return None, [
            Problem("file-too-large", where,
                    f"file is {info.st_size / 1048576:.1f} MiB; node configuration files are far smaller "
                    f"(limit {MAX_FILE_BYTES // 1048576} MiB)")
        ]
    try:
        with open(path, "rb") as handle:
            # Ask for the size stat gave (and a byte more): asking for the limit
            # makes every read allocate, and the kernel map, 32 MiB for a 2 KiB
            # file (~3x the time of reading it). A file that grew since stat is
            # read on, up to the same limit as before.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as error:
        return None, [Problem("unreadable-file", where, _os_message(error))]
    text, problems = decode(data, display)
    if text is None:
        return None, problems
    return SourceFile(path, display, text), problems


def _os_message(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symlink loop: the path never resolves to a file"
    if error.errno == errno.ENOENT:
        return "no such file (a dangling symlink or a missing path)"
    if error.errno == errno.EACCES:
        return "permission denied"
    return error.strerror or str(error)


def display_path(path: Path) -> str:
    """Paths as the user gave them; absolute ones under the cwd made relative."""
    if not path.is_absolute():
        return os.path.normpath(str(path))
    text, cwd = str(path), os.getcwd()
    if os.name == "posix" and not text.startswith(cwd):
        # relative_to(cwd) fails for sure (POSIX compares parts exactly): skip
        # its exception, which costs as much as reading a small file
        return text
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return text
