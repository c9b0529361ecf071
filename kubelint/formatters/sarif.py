"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Every rule is listed in ``tool.driver.rules`` (so a viewer can explain a
code that did not fire in this run), results point at rules by id and
index. Columns count Unicode code points (``columnKind``), as kubelint's
spans do. Relative paths are relative to ``%SRCROOT%``, the working
directory, which is what code scanning expects from a checkout.

SARIF has no fix without concrete text replacements, so a structural YAML
fix becomes a replacement only when the fixer can compute the new text;
otherwise its description is kept in the result's properties.
"""

from __future__ import annotations

import importlib
import json
import textwrap
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from kubelint import __version__
from kubelint.analysis import Report
from kubelint.diagnostics import Diagnostic, Fix, Severity, Span, TextEdit, YamlEdit
from kubelint.engine import Rule, all_rules
from kubelint.formatters import RenderContext
from kubelint.redact import redact

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/kubelint/kubelint"
RULES_DOC_URL = "https://github.com/kubelint/kubelint/blob/main/docs/rules.md"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub ranks security alerts by this CVSS-like score on the rule
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.5", Severity.INFO: "2.0"}


def help_uri(code: str) -> str:
    return f"{RULES_DOC_URL}#{code.lower()}"


def artifact_location(path: str) -> dict[str, str]:
    posix = path.replace("\\", "/")
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(str(PurePosixPath(posix)), safe="/-._~"), "uriBaseId": SRCROOT}


def region(span: Span) -> dict[str, int]:
    return {
        "startLine": max(span.line, 1),
        "startColumn": max(span.column, 1),
        "endLine": max(span.end_line, span.line, 1),
        "endColumn": max(span.end_column, 1),
    }


def _help_markdown(rule: Rule, doc: str) -> str:
    from kubelint.ruledocs import _markdown_body

    summary, _, body = doc.partition("\n")
    lines = [f"**{rule.code} `{rule.name}`**: {summary}", "", *_markdown_body(body.strip()), "",
             f"[Documentation]({help_uri(rule.code)})"]
    return "\n".join(lines)


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    # examples in docstrings may look like credentials; output never shows one
    doc = redact(textwrap.dedent(rule.doc).strip())
    _summary, _, body = doc.partition("\n")
    tags = [rule.family, *rule.tags, *(f"CIS-{cis}" for cis in rule.cis)]
    properties: dict[str, Any] = {"tags": list(dict.fromkeys(tags))}
    if rule.family == "security" or rule.cis:
        properties["tags"].append("security")
        properties["security-severity"] = SECURITY_SEVERITY[rule.severity]
    if rule.cis:
        properties["cis"] = list(rule.cis)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": body.strip() or rule.summary},
        "help": {"text": doc, "markdown": _help_markdown(rule, doc)},
        "helpUri": help_uri(rule.code),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": properties,
    }


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, code-point column) of a character offset in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def minimal_replacement(old: str, new: str) -> tuple[Span, str] | None:
    """The single region of ``old`` (and its new text) that turns it into ``new``."""
    if old == new:
        return None
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    line, column = _position(old, start)
    end_line, end_column = _position(old, end_old)
    return Span(line, column, end_line, end_column), new[start:end_new]


def yaml_fix_text(text: str, edits: list[YamlEdit]) -> str | None:
    """``text`` after the fixer applied ``edits``, or None if the fixer cannot (yet)."""
    # the fixer is optional at this layer: without it a YAML fix stays a description
    try:
        fixer = importlib.import_module("kubelint.fix")
    except ImportError:
        return None
    apply = getattr(fixer, "apply_edits_to_text", None)
    if apply is None:
        return None
    try:
        result = apply(text, edits)
    except Exception:  # a fix that cannot be rendered must not lose the finding
        return None
    return result if isinstance(result, str) else None


def _fix(fix: Fix, texts: dict[str, str]) -> dict[str, Any] | None:
    changes: dict[str, list[dict[str, Any]]] = {}
    yaml_edits: dict[str, list[YamlEdit]] = {}
    for edit in fix.edits:
        if isinstance(edit, TextEdit):
            changes.setdefault(edit.path, []).append(
                {"deletedRegion": region(edit.span), "insertedContent": {"text": redact(edit.new_text)}}
            )
        else:
            yaml_edits.setdefault(edit.path, []).append(edit)
    for path, edits in yaml_edits.items():
        new_text = yaml_fix_text(texts[path], edits) if path in texts else None
        replacement = minimal_replacement(texts[path], new_text) if new_text is not None else None
        if replacement is None:
            return None
        span, inserted = replacement
        changes.setdefault(path, []).append(
            {"deletedRegion": region(span), "insertedContent": {"text": redact(inserted)}}
        )
    if not changes:
        return None
    return {
        "description": {"text": redact(fix.description)},
        "artifactChanges": [
            {"artifactLocation": artifact_location(path), "replacements": replacements}
            for path, replacements in changes.items()
        ],
    }


def result(diagnostic: Diagnostic, rule_index: dict[str, int], texts: dict[str, str]) -> dict[str, Any]:
    message = redact(diagnostic.message)
    if diagnostic.hint:
        message += f" (help: {redact(diagnostic.hint)})"
    out: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "level": LEVELS[diagnostic.severity],
        "message": {"text": message},
        "locations": [
            {"physicalLocation": {"artifactLocation": artifact_location(diagnostic.path), "region": region(diagnostic.span)}}
        ],
    }
    if diagnostic.code in rule_index:
        out["ruleIndex"] = rule_index[diagnostic.code]
    if diagnostic.related:
        out["relatedLocations"] = [
            {
                "id": number,
                "physicalLocation": {
                    "artifactLocation": artifact_location(related.location.path),
                    "region": region(related.location.span),
                },
                "message": {"text": redact(related.message)},
            }
            for number, related in enumerate(diagnostic.related, start=1)
        ]
    properties: dict[str, Any] = {"name": diagnostic.name}
    if diagnostic.fix is not None:
        converted = _fix(diagnostic.fix, texts)
        if converted is not None:
            out["fixes"] = [converted]
        properties["fix"] = {
            "description": redact(diagnostic.fix.description),
            "applicability": diagnostic.fix.applicability.value,
        }
    out["properties"] = properties
    return out


def sarif_log(report: Report) -> dict[str, Any]:
    rules = all_rules()
    rule_index = {rule.code: index for index, rule in enumerate(rules)}
    texts = {r.display: r.source.text for r in report.files if r.source is not None}
    diagnostics = report.diagnostics
    internal = [d for d in diagnostics if d.code == "KL099"]
    invocation: dict[str, Any] = {"executionSuccessful": not internal}
    if internal:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": redact(d.message)},
             "locations": [{"physicalLocation": {"artifactLocation": artifact_location(d.path)}}]}
            for d in internal
        ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "kubelint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(rule) for rule in rules],
            }
        },
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [result(d, rule_index, texts) for d in diagnostics],
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: Report, context: RenderContext) -> str:
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False) + "\n"
