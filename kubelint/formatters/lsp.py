"""Language Server Protocol diagnostics as JSON: ``[{"uri": ..., "diagnostics": [...]}]``.

One entry per linted file (an empty list too, so an editor integration can
clear stale findings). The same conversion feeds ``kubelint lsp``, which is
why it builds plain dicts: the server turns them into ``lsprotocol`` objects
and this module stays free of pygls for the CLI's cold start.

LSP positions are 0-based and, unless the client negotiated otherwise,
count UTF-16 code units; kubelint's spans count code points, so columns are
converted with the line's text wherever kubelint has it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kubelint.analysis import Report
from kubelint.diagnostics import Diagnostic, Severity, Span
from kubelint.formatters import RenderContext
from kubelint.formatters.json import fix_to_json
from kubelint.formatters.sarif import help_uri
from kubelint.redact import redact

SOURCE = "kubelint"
# lsprotocol.types.DiagnosticSeverity values (Error 1, Warning 2, Information 3, Hint 4)
LSP_SEVERITY = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}
DEPRECATED_TAG = 2  # lsprotocol.types.DiagnosticTag.Deprecated

Lines = Callable[[str], list[str] | None]


def file_uri(path: str) -> str:
    """The ``file://`` URI of a displayed path (relative ones are under the cwd)."""
    return Path(path).absolute().as_uri()


def character(line_text: str | None, column: int, encoding: str = "utf-16") -> int:
    """0-based LSP character of the 1-based code-point ``column`` of a line."""
    index = max(column - 1, 0)
    if line_text is None or encoding == "utf-32":
        return index
    prefix = line_text[:index]
    if encoding == "utf-8":
        return len(prefix.encode("utf-8")) + max(index - len(prefix), 0)
    # astral characters take two UTF-16 code units
    return index + sum(1 for char in prefix if ord(char) > 0xFFFF)


def span_to_range(span: Span, lines: list[str] | None, encoding: str = "utf-16") -> dict[str, Any]:
    def position(line: int, column: int) -> dict[str, int]:
        text = lines[line - 1] if lines is not None and 1 <= line <= len(lines) else None
        return {"line": max(line - 1, 0), "character": character(text, column, encoding)}

    return {"start": position(span.line, span.column), "end": position(span.end_line, span.end_column)}


def diagnostic_to_lsp(diagnostic: Diagnostic, lines_of: Lines, encoding: str = "utf-16",
                      uri_of: Callable[[str], str] = file_uri) -> dict[str, Any]:
    """One kubelint diagnostic as an LSP ``Diagnostic`` (plain JSON)."""
    message = redact(diagnostic.message)
    if diagnostic.hint and diagnostic.fix is None:
        message += f"\nhelp: {redact(diagnostic.hint)}"
    data: dict[str, Any] = {"name": diagnostic.name}
    fix = fix_to_json(diagnostic.fix)
    if fix is not None:
        data["fix"] = fix
    out: dict[str, Any] = {
        "range": span_to_range(diagnostic.span, lines_of(diagnostic.path), encoding),
        "severity": LSP_SEVERITY[diagnostic.severity],
        "code": diagnostic.code,
        "codeDescription": {"href": help_uri(diagnostic.code)},
        "source": SOURCE,
        "message": message,
        "data": data,
    }
    if "deprecated" in diagnostic.name:
        out["tags"] = [DEPRECATED_TAG]
    if diagnostic.related:
        out["relatedInformation"] = [
            {
                "location": {
                    "uri": uri_of(related.location.path),
                    "range": span_to_range(related.location.span, lines_of(related.location.path), encoding),
                },
                "message": redact(related.message),
            }
            for related in diagnostic.related
        ]
    return out


def report_lines(report: Report) -> Lines:
    """Line lookup over the texts the report carries (None for files it lacks)."""
    texts = {result.display: result.source.text for result in report.files if result.source is not None}
    cache: dict[str, list[str]] = {}

    def lines_of(path: str) -> list[str] | None:
        if path not in texts:
            return None
        if path not in cache:
            cache[path] = texts[path].splitlines()
        return cache[path]

    return lines_of


def render(report: Report, context: RenderContext) -> str:
    lines_of = report_lines(report)
    by_path: dict[str, list[Diagnostic]] = {result.display: [] for result in report.files}
    for diagnostic in report.diagnostics:
        by_path.setdefault(diagnostic.path, []).append(diagnostic)
    payload = [
        {"uri": file_uri(path), "diagnostics": [diagnostic_to_lsp(d, lines_of) for d in found]}
        for path, found in by_path.items()
    ]
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
