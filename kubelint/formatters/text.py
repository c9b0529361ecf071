"""``path:line:col: CODE [name] message``, a code frame, related locations and the fix."""

from __future__ import annotations

from collections import Counter

from kubelint.analysis import Report
from kubelint.diagnostics import Diagnostic, Severity
from kubelint.formatters import RenderContext
from kubelint.redact import redact

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"
_MAX_FRAME_WIDTH = 160


def render(report: Report, context: RenderContext) -> str:
    texts = {result.display: result.source.text for result in report.files if result.source}
    lines_cache: dict[str, list[str]] = {}
    out: list[str] = []
    diagnostics = report.diagnostics
    for diagnostic in diagnostics:
        out.append(_headline(diagnostic, context.color))
        if context.show_source and diagnostic.path in texts:
            lines = lines_cache.get(diagnostic.path)
            if lines is None:  # not setdefault(): that would split the whole file for every finding
                lines = lines_cache[diagnostic.path] = texts[diagnostic.path].splitlines()
            out.extend(_frame(diagnostic, lines, context.color))
        for related in diagnostic.related:
            out.append(f"  = related: {related.location}: {redact(related.message)}")
        if diagnostic.fix is not None:
            out.append(f"  = fix ({diagnostic.fix.applicability.value}): {redact(diagnostic.fix.description)}")
        elif diagnostic.hint:
            out.append(f"  = help: {redact(diagnostic.hint)}")
        out.append("")
    if context.summaries:
        from kubelint.formatters.fleet import fleet_summary

        out.extend(fleet_summary(report))
    out.extend(_summary(report, diagnostics, context))
    return "\n".join(out).rstrip("\n") + "\n"


def _headline(diagnostic: Diagnostic, color: bool) -> str:
    location = f"{diagnostic.path}:{diagnostic.span.line}:{diagnostic.span.column}:"
    code = f"{diagnostic.code} [{diagnostic.name}]"
    message = redact(diagnostic.message)
    if not color:
        return f"{location} {code} {message}"
    tint = _COLORS[diagnostic.severity]
    return f"{_BOLD}{location}{_RESET} {tint}{_BOLD}{code}{_RESET} {message}"


def _frame(diagnostic: Diagnostic, lines: list[str], color: bool) -> list[str]:
    span = diagnostic.span
    if not 1 <= span.line <= len(lines):
        return []
    text = redact(lines[span.line - 1].expandtabs(1).rstrip("\r"))
    start = max(span.column - 1, 0)
    end = span.end_column - 1 if span.end_line == span.line else len(text)
    end = max(min(end, len(text)), start + 1)
    offset = 0
    if len(text) > _MAX_FRAME_WIDTH:
        offset = max(0, min(start - 20, len(text) - _MAX_FRAME_WIDTH))
        text = ("…" if offset else "") + text[offset: offset + _MAX_FRAME_WIDTH]
        start, end = start - offset + (1 if offset else 0), min(end - offset + (1 if offset else 0), len(text))
    number = str(span.line)
    gutter = " " * len(number)
    caret = " " * start + "^" * max(end - start, 1)
    if color:
        caret = _COLORS[diagnostic.severity] + caret + _RESET
        return [f"{_DIM}{gutter} |{_RESET}", f"{_DIM}{number} |{_RESET} {text}", f"{_DIM}{gutter} |{_RESET} {caret}"]
    return [f"{gutter} |", f"{number} | {text}", f"{gutter} | {caret}"]


def _summary(report: Report, diagnostics: list[Diagnostic], context: RenderContext) -> list[str]:
    out: list[str] = []
    if context.statistics and diagnostics:
        counts = Counter((d.code, d.name, d.severity.label) for d in diagnostics)
        width = max(len(str(n)) for n in counts.values())
        for (code, name, severity), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            out.append(f"{count:>{width}}  {code}  {name} ({severity})")
        out.append("")
    by_severity = Counter(d.severity for d in diagnostics)
    files = report.files_checked
    if not diagnostics:
        out.append(f"All checks passed ({files} file{'s' if files != 1 else ''} checked).")
        return out
    parts = [f"{by_severity[s]} {s.label}{'s' if by_severity[s] != 1 else ''}"
             for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if by_severity[s]]
    fixable = sum(1 for d in diagnostics if d.fix is not None)
    line = f"Found {len(diagnostics)} problem{'s' if len(diagnostics) != 1 else ''} ({', '.join(parts)}) in {files} file{'s' if files != 1 else ''} checked."
    if fixable:
        line += f" {fixable} fixable with --fix (some may need --unsafe-fixes)."
    out.append(line)
    return out
