"""Linting a node view: every file the kubelet uses, plus the cross-file rules.

Single-file rules run where they make sense on a node: document rules on
each config file and drop-in, KubeletConfiguration rules once on the
*effective* configuration (so a value is judged after flags and drop-ins,
and reported where it was set), kubeconfig rules with the role the kubelet
gives each file, command-line rules on the resolved ExecStart.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from kubelint.analysis import FileResult, Options, finish_diagnostics
from kubelint.contexts import CommandLineContext, KubeconfigContext, KubeletDocumentContext, NodeContext
from kubelint.diagnostics import FILE_START, Diagnostic, Fix, Location, Related, Severity
from kubelint.discover import FileKind
from kubelint.engine import Rule, Scope, internal_error_diagnostic, problem_diagnostic, run_rules
from kubelint.loaders.problems import Problem
from kubelint.node import NodeView, _is_kubelet
from kubelint.source import SourceFile

_UNIT_SYNTAX = {
    "outside-section", "missing-key", "invalid-section-header", "unknown-section", "section-case",
    "key-case", "lookalike-quote", "invalid-syntax", "invalid-assignment", "unknown-escape",
    "unknown-specifier", "unresolved-specifier", "deprecated-specifier", "bad-path", "bad-exec",
}
_ENV_SYNTAX = {
    "backslash-not-at-line-end", "comment-continuation", "comment-in-quoted-value", "comment-in-value",
    "invalid-name", "no-expansion", "nul-byte", "unterminated-quote", "export",
}
SERVICE_PROBLEM_RULES = {
    "unset-variable": "unset-variable",
    "invalid-variable-name": "unset-variable",
    "environment-file-missing": "environment-file-missing",
    "optional-environment-file-missing": "environment-file-missing",
    "no-exec-start": "exec-start-invalid",
    "multiple-exec-start": "exec-start-invalid",
    "unit-not-found": "kubelet-unit-missing",
    "masked": "kubelet-unit-missing",
    "masked-dropin": "dropin-ignored",
    "ignored-dropin": "dropin-ignored",
    "unreadable-file": "unreadable-file",
    "invalid-utf8": "file-encoding",
}


def service_problem_rule(kind: str, path: str | None, env_paths: set[str]) -> str:
    if path in env_paths or kind in _ENV_SYNTAX:
        return SERVICE_PROBLEM_RULES.get(kind, "env-file-syntax")
    if kind in _UNIT_SYNTAX or kind == "missing-equals":
        return "unit-syntax"
    return SERVICE_PROBLEM_RULES.get(kind, "unit-syntax")


def node_problems(node: NodeView) -> list[Problem]:
    problems = list(node.problems)
    anchor = Location("<kubelet>", FILE_START)
    if node.service is not None:
        env_paths = {loaded.env_file.path for loaded in node.service.env_files}
        for found in node.service.problems:
            location = found.location or anchor
            rule = service_problem_rule(found.kind, found.location.path if found.location else None, env_paths)
            problems.append(Problem(rule, location, found.message, found.severity))
    for missing in node.missing:
        message = f"{missing.what} {missing.node_path} does not exist under the node root"
        if missing.detail:
            message += f": {missing.detail}"
        problems.append(Problem("missing-file", missing.referenced_at or anchor, message, missing.severity))
    if node.runtime is not None:
        for runtime_problem in node.runtime.problems:
            problems.append(Problem("runtime-config", runtime_problem.location, runtime_problem.message,
                                    runtime_problem.severity_hint, runtime_problem.suggestion))
    return problems


def lint_node(node: NodeView, options: Options, rules: list[Rule], *, prefix: str,
              real_root: bool = False) -> list[FileResult]:
    """Diagnostics for one node, grouped per file and shown under ``prefix``."""
    found: list[Diagnostic] = []
    problems = node_problems(node)
    try:
        found.extend(_run_all(node, options, rules, problems, real_root))
    except Exception as error:  # a bug must not hide other nodes' findings
        found.append(internal_error_diagnostic(prefix or ".", error))
    texts = dict(node.texts)
    texts.update(node.runtime_texts)
    diagnostics = [problem_diagnostic(p) for p in problems if p.kind in {r.name for r in rules}] + found
    by_path: dict[str, list[Diagnostic]] = {path: [] for path in texts}
    for diagnostic in diagnostics:
        by_path.setdefault(diagnostic.path, []).append(diagnostic)
    results = []
    for path, items in sorted(by_path.items()):
        display = join_display(prefix, path)
        text = texts.get(path)
        host = Path(node.root, path) if node.root is not None and text is not None and path != "<kubelet>" else None
        source = SourceFile(host, display, text) if text is not None else None
        relocated = [relocate(d, prefix) for d in items]
        result = FileResult(display, None, source=source)
        result.diagnostics = finish_diagnostics([], relocated, source)
        results.append(result)
    return results


def _run_all(node: NodeView, options: Options, rules: list[Rule], problems: list[Problem],
             real_root: bool) -> Iterable[Diagnostic]:
    version = options.version
    for loaded, role in [*([(node.config, "config")] if node.config else []),
                         *((dropin, "dropin") for dropin in node.dropins)]:
        problems.extend(loaded.problems)
        contexts = [KubeletDocumentContext(doc, (), role, version) for doc in loaded.documents
                    if _is_kubelet(doc) or (role == "config" and len(loaded.documents) == 1)]
        yield from run_rules(rules, Scope.KUBELET_DOCUMENT, contexts)
    yield from run_rules(rules, Scope.KUBELET, [node.view])
    existing = _existing_files(node)
    for role, loaded in node.kubeconfigs.items():
        problems.extend(loaded.problems)
        contexts_k = [KubeconfigContext(doc, role, version, existing) for doc in loaded.documents
                      if isinstance(doc.data, dict)]
        yield from run_rules(rules, Scope.KUBECONFIG, contexts_k)
    if node.command_line is not None:
        yield from run_rules(rules, Scope.COMMAND_LINE,
                             [CommandLineContext(node.command_line, version, node.view, "service", texts=node.texts)])
    if node.runtime is not None:
        yield from run_rules(rules, Scope.RUNTIME, [node.runtime])
    yield from run_rules(rules, Scope.NODE, [NodeContext(node, version, real_root)])


def _existing_files(node: NodeView) -> frozenset[str] | None:
    """Absolute node paths that kubeconfigs name and that exist, for KL514."""
    if node.root is None:
        return None
    from kubelint.models.kubeconfig import resolve_reference

    existing = set()
    for role, loaded in node.kubeconfigs.items():
        node_path = node.kubeconfig_paths.get(role, "/")
        for document in loaded.documents:
            for reference in _kubeconfig_references(document.data):
                resolved = resolve_reference(reference, node_path)
                if node.exists(resolved):
                    existing.update({reference, resolved})
    return frozenset(existing)


_FILE_KEYS = {"clusters": ("cluster", ("certificate-authority",)),
              "users": ("user", ("client-certificate", "client-key", "tokenFile"))}


def _kubeconfig_references(data: object) -> Iterable[str]:
    if not isinstance(data, dict):
        return
    for section, (inner, keys) in _FILE_KEYS.items():
        entries = data.get(section)
        for entry in entries if isinstance(entries, list) else []:
            body = entry.get(inner) if isinstance(entry, dict) else None
            for key in keys:
                value = body.get(key) if isinstance(body, dict) else None
                if isinstance(value, str) and value:
                    yield value


def join_display(prefix: str, path: str) -> str:
    if not prefix or path.startswith("<") or os.path.isabs(path):
        return path
    return os.path.join(prefix, path)


def relocate(diagnostic: Diagnostic, prefix: str) -> Diagnostic:
    """Show a node-relative diagnostic under the root the user named."""
    if not prefix:
        return diagnostic

    def moved(location: Location) -> Location:
        return Location(join_display(prefix, location.path), location.span)

    fix = diagnostic.fix
    if fix is not None:
        edits = tuple(edit.with_path(join_display(prefix, edit.path)) for edit in fix.edits)
        fix = Fix(fix.description, fix.applicability, edits)
    return Diagnostic(
        location=moved(diagnostic.location), code=diagnostic.code, name=diagnostic.name,
        severity=diagnostic.severity, message=diagnostic.message, fix=fix, hint=diagnostic.hint,
        related=tuple(Related(moved(r.location), r.message) for r in diagnostic.related),
    )


def severity_floor(diagnostics: list[Diagnostic]) -> Severity | None:
    return max((d.severity for d in diagnostics), default=None)


__all__ = ["FileKind", "lint_node", "node_problems", "relocate"]
