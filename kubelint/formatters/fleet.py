"""A fleet table for ``/configz`` dumps: one row per node, findings by family.

``kubectl get --raw /api/v1/nodes/NODE/proxy/configz > NODE.json`` for every
node of a cluster, then ``kubelint check dumps/``: the diagnostics say what is
wrong where, the table says which nodes differ from the rest. Nodes are named
after their dump's file name; the worst come first.
"""

from __future__ import annotations

from collections import Counter
from pathlib import PurePath
from typing import TYPE_CHECKING

from kubelint.diagnostics import Severity

if TYPE_CHECKING:
    from kubelint.analysis import Report

# the families of engine.FAMILIES, in code order (not imported: the text
# formatter must not load the rule registry)
_FAMILIES = {"0": "input", "1": "validity", "2": "flags", "3": "gc-eviction", "4": "security",
             "5": "kubeconfig", "6": "runtime", "7": "node"}
MIN_NODES = 2  # one dump is a file, not a fleet


def fleet_summary(report: Report) -> list[str]:
    """The table's lines (empty unless the report holds at least two /configz dumps)."""
    from kubelint.discover import FileKind

    dumps = [result for result in report.files if result.kind is FileKind.CONFIGZ]
    if len(dumps) < MIN_NODES:
        return []
    names = _node_names([result.display for result in dumps])
    rows: list[tuple[str, Counter[str], Counter[Severity]]] = []
    for result, name in zip(dumps, names, strict=True):
        families = Counter(_FAMILIES.get(d.code[2:3], "other") for d in result.diagnostics)
        severities = Counter(d.severity for d in result.diagnostics)
        rows.append((name, families, severities))
    columns = [family for family in (*_FAMILIES.values(), "other") if any(row[1][family] for row in rows)]
    rows.sort(key=lambda row: (-row[2][Severity.ERROR], -sum(row[1].values()), row[0]))
    header = ["node", *columns, "total", "errors"]
    body = [[name, *(str(families[c] or "·") for c in columns), str(sum(families.values())),
             str(severities[Severity.ERROR])] for name, families, severities in rows]
    clean = sum(1 for row in rows if not row[1])
    footer = ["all nodes", *(str(sum(row[1][c] for row in rows)) for c in columns),
              str(sum(sum(row[1].values()) for row in rows)), str(sum(row[2][Severity.ERROR] for row in rows))]
    widths = [max(len(line[i]) for line in (header, *body, footer)) for i in range(len(header))]

    def render(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        return "  ".join([first, *(cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))])

    rule = "  ".join("-" * width for width in widths)
    lines = [f"Fleet: {len(rows)} nodes from /configz dumps, {len(rows) - clean} with findings", "",
             render(header), rule, *(render(cells) for cells in body), rule, render(footer), ""]
    return lines


def _node_names(displays: list[str]) -> list[str]:
    """The file names without extension, or the whole path where two nodes would share a name."""
    stems = [PurePath(display).stem for display in displays]
    counts = Counter(stems)
    return [stem if counts[stem] == 1 else display for stem, display in zip(stems, displays, strict=True)]
