"""One JSON object: ``{"version": 1, "diagnostics": [...], "summary": {...}}``.

The schema is documented in the README and kept stable: fields are only
ever added.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from kubelint.analysis import Report
from kubelint.diagnostics import Diagnostic, Fix, TextEdit
from kubelint.formatters import RenderContext
from kubelint.redact import redact

SCHEMA_VERSION = 1


def fix_to_json(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    edits: list[dict[str, Any]] = []
    for edit in fix.edits:
        if isinstance(edit, TextEdit):
            edits.append({
                "kind": "text", "path": edit.path,
                "line": edit.span.line, "column": edit.span.column,
                "end_line": edit.span.end_line, "end_column": edit.span.end_column,
                "new_text": redact(edit.new_text),
            })
        else:
            edits.append({
                "kind": "yaml", "path": edit.path, "document": edit.document,
                "key_path": list(edit.key_path), "op": edit.op,
                "value": edit.value if not isinstance(edit.value, str) else redact(edit.value),
                "new_key": edit.new_key,
            })
    return {"description": redact(fix.description), "applicability": fix.applicability.value, "edits": edits}


def diagnostic_to_json(diagnostic: Diagnostic) -> dict[str, Any]:
    span = diagnostic.span
    return {
        "path": diagnostic.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "code": diagnostic.code,
        "name": diagnostic.name,
        "severity": diagnostic.severity.label,
        "message": redact(diagnostic.message),
        "hint": redact(diagnostic.hint) if diagnostic.hint else None,
        "fix": fix_to_json(diagnostic.fix),
        "related": [
            {
                "path": related.location.path,
                "line": related.location.span.line,
                "column": related.location.span.column,
                "message": redact(related.message),
            }
            for related in diagnostic.related
        ],
    }


def render(report: Report, context: RenderContext) -> str:
    diagnostics = report.diagnostics
    severities = Counter(d.severity.label for d in diagnostics)
    payload = {
        "version": SCHEMA_VERSION,
        "diagnostics": [diagnostic_to_json(d) for d in diagnostics],
        "summary": {
            "files": report.files_checked,
            "diagnostics": len(diagnostics),
            "errors": severities.get("error", 0),
            "warnings": severities.get("warning", 0),
            "infos": severities.get("info", 0),
            "fixable": sum(1 for d in diagnostics if d.fix is not None),
            "by_code": dict(sorted(Counter(d.code for d in diagnostics).items())),
        },
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
