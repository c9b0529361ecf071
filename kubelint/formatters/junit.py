"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure).

One ``testsuite`` per file, one ``testcase`` per (file, rule) that fired,
with one ``failure`` per finding. A clean file still gets one passing
testcase, so the report shows what was checked rather than nothing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from kubelint.analysis import Report
from kubelint.diagnostics import Diagnostic
from kubelint.formatters import RenderContext
from kubelint.redact import redact

CLEAN_CASE = "kubelint"
# XML 1.0 cannot carry most C0 controls even escaped; a message quoting a
# corrupt file must not make the whole report unparsable
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", redact(text))


def _failure_text(diagnostic: Diagnostic) -> str:
    span = diagnostic.span
    lines = [f"{diagnostic.path}:{span.line}:{span.column}: {diagnostic.code} [{diagnostic.name}] "
             f"({diagnostic.severity.label}) {_xml(diagnostic.message)}"]
    for related in diagnostic.related:
        lines.append(f"related: {related.location}: {_xml(related.message)}")
    if diagnostic.fix is not None:
        lines.append(f"fix ({diagnostic.fix.applicability.value}): {_xml(diagnostic.fix.description)}")
    elif diagnostic.hint:
        lines.append(f"help: {_xml(diagnostic.hint)}")
    return "\n".join(lines)


def render(report: Report, context: RenderContext) -> str:
    root = ET.Element("testsuites", name="kubelint")
    total_tests = total_failures = 0
    by_path: dict[str, list[Diagnostic]] = {result.display: [] for result in report.files}
    for diagnostic in report.diagnostics:
        by_path.setdefault(diagnostic.path, []).append(diagnostic)
    for path, diagnostics in by_path.items():
        suite = ET.SubElement(root, "testsuite", name=_xml(path))
        tests = failures = 0
        ordered = sorted(diagnostics, key=lambda d: (d.code, d.span))
        for (code, name), group in groupby(ordered, key=lambda d: (d.code, d.name)):
            case = ET.SubElement(suite, "testcase", classname=_xml(path), name=f"{code} [{name}]", time="0")
            tests += 1
            failures += 1
            for diagnostic in group:
                span = diagnostic.span
                failure = ET.SubElement(
                    case, "failure",
                    message=f"{span.line}:{span.column}: {_xml(diagnostic.message)}",
                    type=f"{diagnostic.code} {diagnostic.severity.label}",
                )
                failure.text = _NOT_XML.sub("\ufffd", _failure_text(diagnostic))
        if not diagnostics:
            ET.SubElement(suite, "testcase", classname=_xml(path), name=CLEAN_CASE, time="0")
            tests += 1
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        suite.set("time", "0")
        total_tests += tests
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
