"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` per finding.

GitHub turns these lines into annotations on the pull request's diff. The
escaping follows the runner's own (``toolkit/packages/core/src/command.ts``):
in the message ``%``, CR and LF are percent-encoded; in properties ``:`` and
``,`` are too, because they delimit the command. A message may therefore
span lines: related locations and the fix follow the headline.

Positions follow the runner's checks (actions/runner): ``col`` and
``endColumn`` only on a one-line region, ``endColumn`` (exclusive, like
kubelint's) never below ``col``; a multi-line region gives lines only.
"""

from __future__ import annotations

from kubelint.analysis import Report
from kubelint.diagnostics import Diagnostic, Severity
from kubelint.formatters import RenderContext
from kubelint.redact import redact

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(diagnostic: Diagnostic) -> str:
    span = diagnostic.span
    properties = {"file": diagnostic.path.replace("\\", "/"), "line": str(span.line)}
    one_line = span.end_line == span.line
    # the runner rejects col/endColumn on a multi-line region and an
    # endColumn below col (an empty region still gets one column)
    if one_line:
        properties["col"] = str(span.column)
    properties["endLine"] = str(max(span.end_line, span.line))
    if one_line:
        properties["endColumn"] = str(max(span.end_column, span.column))
    properties["title"] = f"{diagnostic.code} [{diagnostic.name}]"
    body = [redact(diagnostic.message)]
    for related in diagnostic.related:
        body.append(f"related: {related.location}: {redact(related.message)}")
    if diagnostic.fix is not None:
        body.append(f"fix ({diagnostic.fix.applicability.value}): {redact(diagnostic.fix.description)}")
    elif diagnostic.hint:
        body.append(f"help: {redact(diagnostic.hint)}")
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{COMMANDS[diagnostic.severity]} {props}::{escape_data(chr(10).join(body))}"


def render(report: Report, context: RenderContext) -> str:
    lines = [annotation(d) for d in report.diagnostics]
    return "\n".join(lines) + "\n" if lines else ""
