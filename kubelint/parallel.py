"""Spread a large scan over worker processes; small scans stay in-process.

Starting workers costs more than linting a handful of files, so only scans
of many files fan out. Results stream back per chunk, in file order, with a
bounded number of chunks in flight, and carry no parsed documents: memory
does not grow with the files still to lint, and the parent keeps only each
file's findings and text (needed for code frames, grouping and --fix).

Progress (files done / total and the rate) goes to standard error, only
when it is a terminal, outside CI, and without ``-q``: a pipe or a CI log
never sees carriage returns.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kubelint.analysis import FileResult, Options, Report, expand_paths, lint_file
from kubelint.engine import Rule, indexed_rules
from kubelint.source import display_path

if TYPE_CHECKING:
    from concurrent.futures import Future

PARALLEL_THRESHOLD = 64
_CHUNK = 32
# chunks submitted ahead of the one being collected, per worker: enough to
# keep workers busy, few enough that finished results do not pile up
_AHEAD_PER_WORKER = 4

Chunk = list[tuple[str, bool]]


def _lint_chunk(chunk: Chunk, options: Options) -> list[tuple[str, FileResult | None]]:
    rules = [rule for rule in indexed_rules() if options.selection.enabled(rule)]
    return [_lint_one(path_text, explicit, options, rules) for path_text, explicit in chunk]


def _lint_one(path_text: str, explicit: bool, options: Options, rules: list[Rule]) -> tuple[str, FileResult | None]:
    path = Path(path_text)
    display = display_path(path)
    result = lint_file(path, display, options, rules, explicit=explicit)
    if result is not None:
        result.views = []  # parsed data is not kept for the report: memory stays flat
    return display, result


def _chunks(items: Chunk, size: int) -> Iterator[Chunk]:
    for start in range(0, len(items), size):
        yield items[start: start + size]


def lint_paths_parallel(paths: list[Path], options: Options, jobs: int | None, *, progress: bool,
                        skip: set[Path] | frozenset[Path] = frozenset()) -> Report:
    report = Report()
    for display, result in iter_lint(plan(paths, options, skip), options, jobs, progress=progress):
        _collect(report, display, result)
    return report


def plan(paths: list[Path], options: Options, skip: set[Path] | frozenset[Path] = frozenset()) -> Chunk:
    """The files a scan lints, in order: (path, named explicitly?)."""
    return [(str(path), explicit) for path, explicit in expand_paths(paths, options.exclude)
            if explicit or not skip or _resolved(path) not in skip]


def worker_count(jobs: int | None) -> int:
    """``--jobs N``, or the number of CPUs when it is not given (or 0)."""
    return jobs if jobs and jobs > 0 else (os.cpu_count() or 1)


def iter_lint(files: Chunk, options: Options, jobs: int | None, *,
              progress: bool) -> Iterator[tuple[str, FileResult | None]]:
    """(display, result or None when skipped) for each planned file, in order, as they are done."""
    workers = worker_count(jobs)
    meter = Progress.for_stderr(len(files)) if progress and len(files) > PARALLEL_THRESHOLD else None
    if workers <= 1 or len(files) <= PARALLEL_THRESHOLD:
        results = _serial(files, options)
    else:
        results = _fanned_out(files, options, workers)
    for item in results:
        yield item
        if meter is not None:
            meter.advance()
    if meter is not None:
        meter.close()


def _serial(files: Chunk, options: Options) -> Iterator[tuple[str, FileResult | None]]:
    rules: list[Rule] = [rule for rule in indexed_rules() if options.selection.enabled(rule)]
    for path_text, explicit in files:
        yield _lint_one(path_text, explicit, options, rules)


def _fanned_out(files: Chunk, options: Options, workers: int) -> Iterator[tuple[str, FileResult | None]]:
    """Results in file order, with at most ``workers * _AHEAD_PER_WORKER`` chunks in flight."""
    from concurrent.futures import ProcessPoolExecutor  # only scans that fan out pay for it

    chunks = deque(_chunks(files, _CHUNK))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[list[tuple[str, FileResult | None]]]] = deque()
        while chunks and len(pending) < workers * _AHEAD_PER_WORKER:
            pending.append(pool.submit(_lint_chunk, chunks.popleft(), options))
        while pending:
            done = pending.popleft()
            if chunks:
                pending.append(pool.submit(_lint_chunk, chunks.popleft(), options))
            yield from done.result()


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop on older Pythons
        return path


def _collect(report: Report, display: str, result: FileResult | None) -> None:
    if result is None:
        report.skipped.append(display)
    else:
        report.files.append(result)


class Progress:
    """``1234/20000 files (850/s)`` on one terminal line, redrawn at most ten times a second."""

    INTERVAL = 0.1

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.done = 0
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.drawn = False

    @classmethod
    def for_stderr(cls, total: int) -> Progress | None:
        """A meter on standard error, or None where one must not appear."""
        return cls(total, sys.stderr) if progress_allowed(sys.stderr) else None

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.drawn_at >= self.INTERVAL or self.done == self.total:
            self.drawn_at = now
            self.draw(now)

    def draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-6)
        self.stream.write(f"\r{self.done}/{self.total} files ({self.done / elapsed:.0f}/s)\033[K")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()


def progress_allowed(stream: TextIO) -> bool:
    """Only an interactive terminal: not a pipe or file, not a CI log, not a dumb terminal."""
    try:
        interactive = stream.isatty()
    except (AttributeError, ValueError):
        return False
    if not interactive:
        return False
    if os.environ.get("CI") or os.environ.get("GITHUB_ACTIONS") or os.environ.get("KUBELINT_NO_PROGRESS"):
        return False
    return os.environ.get("TERM", "") != "dumb"
