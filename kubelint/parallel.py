"""Spread a large scan over worker processes; small scans stay in-process.

Starting workers costs more than linting a handful of files, so only scans
of many files fan out. Results stream back per file and carry no parsed
documents, which keeps memory flat however many files there are.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from kubelint.analysis import FileResult, Options, Report, expand_paths, lint_file
from kubelint.engine import Rule, indexed_rules
from kubelint.source import display_path

PARALLEL_THRESHOLD = 64
_CHUNK = 32


def _lint_chunk(chunk: list[tuple[str, bool]], options: Options) -> list[tuple[str, FileResult | None]]:
    rules = [rule for rule in indexed_rules() if options.selection.enabled(rule)]
    results = []
    for path_text, explicit in chunk:
        path = Path(path_text)
        display = display_path(path)
        result = lint_file(path, display, options, rules, explicit=explicit)
        if result is not None:
            result.views = []  # parsed data stays in the worker
        results.append((display, result))
    return results


def _chunks(items: list[tuple[str, bool]], size: int) -> Iterator[list[tuple[str, bool]]]:
    for start in range(0, len(items), size):
        yield items[start: start + size]


def lint_paths_parallel(paths: list[Path], options: Options, jobs: int | None, *, progress: bool,
                        skip: set[Path] | frozenset[Path] = frozenset()) -> Report:
    files = [(str(path), explicit) for path, explicit in expand_paths(paths, options.exclude)
             if explicit or not skip or _resolved(path) not in skip]
    workers = jobs if jobs and jobs > 0 else (os.cpu_count() or 1)
    report = Report()
    show_progress = progress and sys.stderr.isatty() and not os.environ.get("CI") and len(files) > PARALLEL_THRESHOLD
    started = time.monotonic()
    if workers <= 1 or len(files) <= PARALLEL_THRESHOLD:
        rules: list[Rule] = [rule for rule in indexed_rules() if options.selection.enabled(rule)]
        for done, (path_text, explicit) in enumerate(files, start=1):
            path = Path(path_text)
            display = display_path(path)
            result = lint_file(path, display, options, rules, explicit=explicit)
            _collect(report, display, result)
            if show_progress and done % 100 == 0:
                _progress(done, len(files), started)
    else:
        from concurrent.futures import ProcessPoolExecutor  # only scans that fan out pay for it

        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_lint_chunk, chunk, options) for chunk in _chunks(files, _CHUNK)]
            done = 0
            for future in futures:
                for display, result in future.result():
                    _collect(report, display, result)
                done += _CHUNK
                if show_progress:
                    _progress(min(done, len(files)), len(files), started)
    if show_progress:
        sys.stderr.write("\r\033[K")
    return report


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path


def _collect(report: Report, display: str, result: FileResult | None) -> None:
    if result is None:
        report.skipped.append(display)
    else:
        report.files.append(result)


def _progress(done: int, total: int, started: float) -> None:
    elapsed = max(time.monotonic() - started, 1e-6)
    sys.stderr.write(f"\r{done}/{total} files ({done / elapsed:.0f}/s)")
    sys.stderr.flush()
