"""What ``kubelint check PATH...`` does with directories.

Three layers, so that a repository of node images gets the same verdicts as
the nodes themselves:

1. a directory that holds a node's filesystem (a ``kubelet.service`` in a
   unit directory below it) is linted as a node, with the cross-file rules;
2. every other file is linted on its own;
3. loose files of one directory that belong together (a kubelet config
   beside a ``kubeadm-flags.env`` or a ``config.toml``, as in an Ansible
   role's ``files/``) also get the cross-file rules among themselves.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import repeat
from pathlib import Path

from kubelint.analysis import FileResult, Options, Report, finish_diagnostics, gate_defaults
from kubelint.contexts import NodeContext
from kubelint.discover import FileKind
from kubelint.engine import Rule, Scope, indexed_rules, run_rules
from kubelint.parallel import Planned, Workers, enabled_rules, iter_lint, plan, worker_count
from kubelint.source import display_path

# kubelint.node (units, flags, runtimes) is imported only when a scan meets a
# node tree or a group of loose files: linting one file stays cheap to start


def scan(paths: list[Path], options: Options, jobs: int | None, *, progress: bool,
         list_clean_files: bool = True) -> Report:
    """Lint ``paths``; with ``list_clean_files=False`` a loose file without
    findings is counted (``Report.unlisted_clean_files``) instead of listed,
    so that memory does not grow with the number of clean files scanned."""
    rules = [rule for rule in indexed_rules() if options.selection.enabled(rule)]
    report = Report()
    covered: set[str] = set()  # real paths of the files the node pass read, and of links out of node roots
    with Workers(worker_count(jobs)) as workers:
        roots = [root for path in paths if path.is_dir() and not path.is_symlink() for root in _node_roots(path)]
        for results, host_paths in _lint_roots(roots, options, rules, workers):
            report.files.extend(results)
            covered.update(host_paths)
        planned: Iterable[Planned] = plan(paths, options, covered)
        last: dict[str, int] | None = None
        if len(paths) > 1:
            # a directory's files may come from several arguments (``a a/b``,
            # or files named one by one): it is complete at its last one
            planned = list(planned)
            last = {_directory(path_text): index for index, (path_text, _) in enumerate(planned)}
        # a directory's loose files are grouped as soon as its last one is
        # linted; then its clean files are let go (see _finish_directory).
        # One argument's files come directory by directory: a directory is
        # complete when the next file is in another one.
        pending: dict[str, list[FileResult]] = defaultdict(list)

        def finish(directory: str) -> None:
            _finish_directory(report, pending.pop(directory, []), options, rules, list_clean_files=list_clean_files)

        current: str | None = None
        linted = iter_lint(planned, options, workers, progress=progress)
        for index, (path_text, display, result) in enumerate(linted):
            directory = _directory(path_text)
            if last is None and current is not None and directory != current:
                finish(current)
            current = directory
            if result is None:
                report.skipped.append(display)
            else:
                pending[directory].append(result)
            if last is not None and last[directory] == index:
                finish(directory)
        for directory in list(pending):  # the last directory of a streamed plan
            finish(directory)
    return _merge_same_files(report)


def _directory(path_text: str) -> str:
    """The directory of a planned file, as the loose-file groups know it."""
    return os.path.dirname(os.path.normpath(path_text))


def _finish_directory(report: Report, results: list[FileResult], options: Options, rules: list[Rule], *,
                      list_clean_files: bool) -> None:
    """Add one directory's loose files and their cross-file findings to ``report``.

    When no group formed there (so no fix can reach across its files), its
    files without findings lose their text, or are only counted without
    ``list_clean_files``: the report needs a file's text only for code
    frames and fixes, and a result per clean file would grow memory with the
    size of the scan. /configz dumps stay listed, clean or not: each is a
    row of the fleet table."""
    extra = lint_groups(results, options, rules)
    if extra:
        report.files.extend(results)
        report.files.extend(extra)
        return
    for result in results:
        if result.diagnostics:
            report.files.append(result)
            continue
        result.source = None
        if list_clean_files or result.kind is FileKind.CONFIGZ:
            report.files.append(result)
        else:
            report.unlisted_clean_files += 1


def _node_roots(directory: Path) -> list[Path]:
    from kubelint.node import find_node_roots

    return list(find_node_roots(directory))


# Node trees take ~30 ms each to lint; spreading fewer than this many over
# new worker processes costs more than it saves
PARALLEL_ROOTS = 8

# what linting a node root gives: its results, and the real paths of the
# host files that the loose-file pass must not lint again
RootOutcome = tuple[list[FileResult], set[str]]


def _lint_roots(roots: list[Path], options: Options, rules: list[Rule], workers: Workers) -> Iterator[RootOutcome]:
    """Each node root's outcome, in order; many roots are linted in worker processes."""
    if workers.count <= 1 or len(roots) < PARALLEL_ROOTS:
        for root in roots:
            yield _root_outcome(root, options, rules)
        return
    yield from workers.executor().map(_root_outcome_in_worker, roots, repeat(options))


def _root_outcome_in_worker(root: Path, options: Options) -> RootOutcome:
    results, covered = _root_outcome(root, options, enabled_rules(options))
    for result in results:
        result.views = []  # as for loose files: a report keeps findings, not parsed views
    return results, covered


def _root_outcome(root: Path, options: Options, rules: list[Rule]) -> RootOutcome:
    """A node root's results, and what the loose-file pass skips: the files the
    node pass read and the targets of links out of the root (resolved where
    the root is linted, in a worker when there are many)."""
    results = lint_root(root, options, rules)
    return results, _host_paths(results) | _links_out_of(root, options.exclude)


def lint_root(root: Path, options: Options, rules: list[Rule], *, prefix: str | None = None,
              real_root: bool = False) -> list[FileResult]:
    from kubelint.node import build_from_root
    from kubelint.node_analysis import lint_node

    node = build_from_root(root, options.version, gate_defaults(options.version))
    return lint_node(node, options, rules, prefix=display_path(root) if prefix is None else prefix,
                     real_root=real_root)


def _links_out_of(root: Path, exclude: tuple[str, ...]) -> set[str]:
    """Real paths of the symlinks under a node root that lead out of it.

    On the node they resolve inside the root (the node analysis reports one
    that climbs above it); linting them as loose files would follow them on
    this host instead, to files that are not the node's (``/etc/passwd``).
    The loose-file pass skips them, as it skips what the node pass read."""
    from kubelint.discover import walk_files

    inside = _resolved(root)
    found: set[str] = set()
    for path_text, is_symlink in walk_files(root, exclude):
        if is_symlink:
            target = _resolved(Path(path_text))
            if not target.is_relative_to(inside):
                found.add(str(target))
    return found


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


def _host_paths(results: list[FileResult]) -> set[str]:
    return {str(result.source.path.resolve()) for result in results
            if result.source is not None and result.source.path is not None}


def lint_groups(results: list[FileResult], options: Options, rules: list[Rule]) -> list[FileResult]:
    """Cross-file rules among the loose files of each directory."""
    node_rules = [rule for rule in rules if rule.scope is Scope.NODE]
    if not node_rules:
        return []
    by_directory: dict[str, dict[str, tuple[FileKind, str]]] = defaultdict(dict)
    for result in results:
        if result.kind is None or result.source is None:
            continue
        # the displays' directory, only to group them: os.path.dirname names
        # the same groups as Path.parent (displays are normalised paths)
        by_directory[os.path.dirname(result.display)][result.display] = (result.kind, result.source.text)
    extra: list[FileResult] = []
    groups = [files for files in by_directory.values() if len(files) > 1]  # a group needs a config and a partner
    if not groups:
        return extra
    from kubelint.node import group_node

    gates = gate_defaults(options.version)
    for files in groups:
        node = group_node(files, options.version, gates)
        if node is None:
            continue
        diagnostics = list(run_rules(node_rules, Scope.NODE, [NodeContext(node, options.version, False)]))
        by_path: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
        for diagnostic in diagnostics:
            by_path[diagnostic.path].append(diagnostic)
        for path, items in by_path.items():
            source = next((r.source for r in results if r.display == path), None)
            result = FileResult(path, files.get(path, (None, ""))[0], source=source)
            result.diagnostics = finish_diagnostics([], items, source)
            extra.append(result)
    return extra


def _merge_same_files(report: Report) -> Report:
    """One result per file, whichever layers found something in it."""
    merged: dict[str, FileResult] = {}
    for result in report.files:
        known = merged.get(result.display)
        if known is None:
            merged[result.display] = result
            continue
        seen = {(d.sort_key(), d.message) for d in known.diagnostics}
        known.diagnostics.extend(d for d in result.diagnostics if (d.sort_key(), d.message) not in seen)
        known.diagnostics.sort(key=lambda d: d.sort_key())
        if known.source is None:
            known.source = result.source
    merged_report = Report(files=list(merged.values()), skipped=report.skipped,
                           unlisted_clean_files=report.unlisted_clean_files)
    return merged_report
