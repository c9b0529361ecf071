"""Files in, diagnostics out: the pipeline behind ``kubelint check``.

paths → read (bytes → text, with problems) → classify → load (positions)
→ contexts (documents, effective views) → rules → suppressions → sorted
diagnostics. Nothing here knows a rule's internals.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, Final

from kubelint.contexts import KubeconfigContext, KubeletDocumentContext
from kubelint.diagnostics import FILE_START, Diagnostic, Location, Severity
from kubelint.discover import FileKind, classify, is_config_dropin, walk
from kubelint.engine import (
    Rule,
    Scope,
    Selection,
    Suppressions,
    indexed_rules,
    internal_error_diagnostic,
    problem_diagnostic,
    run_rules,
)
from kubelint.kubelet_view import KubeletView, single_document_view
from kubelint.loaders.problems import Problem
from kubelint.loaders.yaml import YamlDocument, load_yaml
from kubelint.models.defaults import Version
from kubelint.records import MutableRecord, Record
from kubelint.source import SourceFile, display_path, read_source

KUBELET_KIND = "KubeletConfiguration"
_EVERY_RULE = Selection()  # immutable: one default serves every Options


class Options(Record):
    __slots__ = ("exclude", "selection", "version")
    version: Final[Version]
    selection: Final[Selection]
    exclude: Final[tuple[str, ...]]

    def __init__(self, version: Version, selection: Selection = _EVERY_RULE, exclude: tuple[str, ...] = ()) -> None:
        self.version = version
        self.selection = selection
        self.exclude = exclude


class FileResult(MutableRecord):
    __slots__ = ("diagnostics", "display", "kind", "source", "views")
    display: str
    kind: FileKind | None
    diagnostics: list[Diagnostic]
    views: list[KubeletView]
    source: SourceFile | None

    def __init__(self, display: str, kind: FileKind | None, diagnostics: list[Diagnostic] | None = None,
                 views: list[KubeletView] | None = None, source: SourceFile | None = None) -> None:
        self.display = display
        self.kind = kind
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.views = [] if views is None else views
        self.source = source


class Report(MutableRecord):
    __slots__ = ("files", "skipped", "unlisted_clean_files")
    files: list[FileResult]
    skipped: list[str]
    # files checked and found clean that ``files`` does not list: a large scan
    # counts them instead of keeping a result each (see kubelint.scan)
    unlisted_clean_files: int

    def __init__(self, files: list[FileResult] | None = None, skipped: list[str] | None = None,
                 unlisted_clean_files: int = 0) -> None:
        self.files = [] if files is None else files
        self.skipped = [] if skipped is None else skipped
        self.unlisted_clean_files = unlisted_clean_files

    @property
    def files_checked(self) -> int:
        return len(self.files) + self.unlisted_clean_files

    @property
    def diagnostics(self) -> list[Diagnostic]:
        found = [d for result in self.files for d in result.diagnostics]
        return sorted(found, key=Diagnostic.sort_key)


def gate_defaults(version: Version) -> dict[str, bool]:
    # a fresh dict per call (callers may change it), computed once per version
    return dict(_gate_defaults(version))


@cache
def _gate_defaults(version: Version) -> dict[str, bool]:
    from kubelint import knowledge

    defaults: dict[str, bool] = {}
    for name, gate in knowledge.feature_gates().items():
        value = gate.default_for(version)
        if value is not None:
            defaults[name] = value
    return defaults


def expand_paths(paths: Iterable[Path], exclude: tuple[str, ...]) -> Iterator[tuple[Path, bool]]:
    """(file, named explicitly?) for every path, walking directories."""
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            for found in walk(path, exclude):
                yield found, False
        else:
            yield path, True


def lint_paths(paths: Iterable[Path], options: Options) -> Report:
    report = Report()
    rules = [rule for rule in indexed_rules() if options.selection.enabled(rule)]
    for path, explicit in expand_paths(paths, options.exclude):
        display = display_path(path)
        result = lint_file(path, display, options, rules, explicit=explicit)
        if result is None:
            report.skipped.append(display)
        else:
            result.views = []  # as in kubelint.parallel: a report keeps findings, not parsed views
            report.files.append(result)
    return report


def lint_file(path: Path, display: str, options: Options, rules: list[Rule], *,
              explicit: bool) -> FileResult | None:
    source, problems = read_source(path, display)
    if source is None:
        result = FileResult(display, None)
        result.diagnostics = _finish(problems, [], rules, None)
        return result
    return lint_source(source, options, rules, explicit=explicit, read_problems=problems)


def lint_source(source: SourceFile, options: Options, rules: list[Rule], *, explicit: bool,
                read_problems: list[Problem] | None = None) -> FileResult | None:
    problems = list(read_problems or [])
    kind = classify(source.text, source.display)
    if kind is None:
        if not explicit:
            return None
        problems.append(
            Problem("unknown-file-kind", Location(source.display, FILE_START),
                    "not a KubeletConfiguration, kubeconfig, systemd unit, kubelet env file or "
                    "container runtime config")
        )
        result = FileResult(source.display, None, source=source)
        result.diagnostics = _finish(problems, [], rules, source)
        return result
    result = FileResult(source.display, kind, source=source)
    try:
        found = list(_analyse(source, kind, options, rules, problems, result))
    except Exception as error:  # a bug must not hide other files' findings
        found = [internal_error_diagnostic(source.display, error)]
    result.diagnostics = _finish(problems, found, rules, source)
    return result


# Units, drop-ins and env files are parsed character by character with a
# position per character (~100 bytes of memory and ~2 µs per input byte).
# Real ones are a few KiB; systemd itself refuses a line over 1 MiB.
MAX_UNIT_TEXT = 1024 * 1024


def _analyse(source: SourceFile, kind: FileKind, options: Options, rules: list[Rule],
             problems: list[Problem], result: FileResult) -> Iterator[Diagnostic]:
    if kind in (FileKind.ENV_FILE, FileKind.SYSTEMD_UNIT) and len(source.text) > MAX_UNIT_TEXT:
        problems.append(Problem("file-too-large", Location(source.display, FILE_START),
                                f"{len(source.text) / 1048576:.1f} MiB is far too large for a systemd unit or "
                                f"environment file; kubelint reads up to {MAX_UNIT_TEXT // 1048576} MiB of them"))
        return
    if kind in (FileKind.ENV_FILE, FileKind.SYSTEMD_UNIT, FileKind.CONTAINERD, FileKind.CRIO, FileKind.DOCKER):
        from kubelint import standalone

        if kind is FileKind.ENV_FILE:
            yield from standalone.lint_env_file(source.text, source.display, options.version, rules, problems)
        elif kind is FileKind.SYSTEMD_UNIT:
            yield from standalone.lint_unit_file(source.text, source.display, options.version, rules, problems)
        else:
            yield from standalone.lint_runtime_file(source.text, source.display, rules, problems)
        return
    if kind in (FileKind.KUBELET_CONFIG, FileKind.CONFIGZ, FileKind.KUBECONFIG):
        if not source.text.strip():
            if kind is FileKind.KUBELET_CONFIG:
                problems.append(Problem("empty-config", Location(source.display, FILE_START),
                                        "kubelet config file is empty; the kubelet refuses to start"))
            return
        stream = load_yaml(source.text, source.display)
        problems.extend(Problem(p.kind, Location(source.display, p.span), p.message) for p in stream.problems)
        for document in stream.documents:
            problems.extend(Problem(p.kind, Location(source.display, p.span), p.message) for p in document.problems)
        if kind is FileKind.KUBECONFIG:
            contexts = [KubeconfigContext(doc, None, options.version) for doc in stream.documents
                        if isinstance(doc.data, dict)]
            yield from run_rules(rules, Scope.KUBECONFIG, contexts)
            return
        yield from _kubelet_documents(stream.documents, kind, options, rules, problems, result)


def _kubelet_documents(documents: list[YamlDocument], kind: FileKind, options: Options,
                       rules: list[Rule], problems: list[Problem], result: FileResult) -> Iterator[Diagnostic]:
    gates = gate_defaults(options.version)
    for document in documents:
        root: tuple[str, ...] = ("kubeletconfig",) if kind is FileKind.CONFIGZ else ()
        data: Any = document.data
        if kind is FileKind.CONFIGZ:
            data = data.get("kubeletconfig") if isinstance(data, dict) else None
        elif not _is_kubelet_document(data, documents):
            continue
        if not isinstance(data, dict):
            continue
        role = "configz" if kind is FileKind.CONFIGZ else "dropin" if is_config_dropin(document.path) else "config"
        context = KubeletDocumentContext(document, root, role, options.version)
        yield from run_rules(rules, Scope.KUBELET_DOCUMENT, [context])
        if role == "dropin":
            # a drop-in is partial by design: only the merged node view has defaults to judge
            continue
        view = single_document_view(document, options.version, gates, root=root,
                                    kind="configz" if kind is FileKind.CONFIGZ else "config")
        problems.extend(view.problems)
        result.views.append(view)
        yield from run_rules(rules, Scope.KUBELET, [view])


def _is_kubelet_document(data: Any, documents: list[YamlDocument]) -> bool:
    if not isinstance(data, dict):
        return False
    if data.get("kind") == KUBELET_KIND:
        return True
    api = data.get("apiVersion")
    if isinstance(api, str) and api.startswith("kubelet.config.k8s.io/"):
        return True
    # a lone document without apiVersion/kind in a file classified as a
    # kubelet config: lint it, the api-version rule says what is missing
    return len(documents) == 1 and "kind" not in data and "apiVersion" not in data


def _finish(problems: list[Problem], found: list[Diagnostic], rules: list[Rule],
            source: SourceFile | None) -> list[Diagnostic]:
    converted: list[Diagnostic] = []
    if problems:  # most files have none: skip the set of enabled names
        enabled = {rule.name for rule in rules}
        converted = [problem_diagnostic(p) for p in problems if p.kind in enabled]
    return finish_diagnostics(converted, found, source)


def finish_diagnostics(converted: list[Diagnostic], found: list[Diagnostic],
                       source: SourceFile | None) -> list[Diagnostic]:
    """Drop suppressed and duplicate diagnostics of one file; sort the rest."""
    diagnostics = [*converted, *found]
    if not diagnostics:
        return diagnostics  # a clean file: nothing to suppress, deduplicate or sort
    if source is not None and "kubelint:" in source.text:  # what every suppression comment contains
        suppressions = Suppressions.parse(source.text)
        diagnostics = [d for d in diagnostics if not suppressions.suppresses(d)]
    unique = {(d.sort_key(), d.message): d for d in diagnostics}
    return sorted(unique.values(), key=Diagnostic.sort_key)


def worst(diagnostics: Iterable[Diagnostic]) -> Severity | None:
    severities = [d.severity for d in diagnostics]
    return max(severities) if severities else None
