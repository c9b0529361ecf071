"""reservedMemory entries the kubelet rejects.

Why: each ``reservedMemory`` entry reserves memory on one NUMA node for the
memory manager. The kubelet refuses to start when a ``limits`` key is
neither ``memory`` nor ``hugepages-<size>``, when a reserved amount is zero,
or when the same NUMA node and resource appear twice.

Fails:
    reservedMemory:
    - numaNode: 0
      limits:
        memory: 0
        cpu: "1"
Passes:
    reservedMemory:
    - numaNode: 0
      limits:
        memory: 1100Mi
Fix: none automatic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.types import Quantity
from kubelint.rules.validity._support import REFUSES, as_int, effective_list, item

FIELD = "reservedMemory"
HUGEPAGES = re.compile(r"^hugepages-[0-9]+(\.[0-9]+)?([KMGTPE]i|[kMGTPE])?$")


def supported_resource(name: str) -> bool:
    return name == "memory" or bool(HUGEPAGES.match(name))


def _entry_findings(view: KubeletView, index: int, entry: dict[str, Any],
                    seen: dict[tuple[int, str], tuple[str, ...]]) -> Iterator[Finding]:
    node = as_int(entry.get("numaNode")) or 0
    limits = entry.get("limits")
    if not isinstance(limits, dict):
        return
    for resource, amount in limits.items():
        path = (*item(FIELD, index), "limits", resource)
        if not supported_resource(resource):
            yield Finding(view.where(path, key=True),
                          f'{REFUSES}: the limit type "{resource}" for NUMA node {node} is not supported, only '
                          "[memory hugepages-<HugePageSize>] is accepted")
            continue
        if isinstance(amount, Quantity) and amount.value == 0:
            yield Finding(view.where(path),
                          f'{REFUSES}: reserved memory may not be zero for NUMA node {node} and resource "{resource}"; '
                          "remove the entry or reserve a positive amount")
        first = seen.setdefault((node, resource), path)
        if first != path:
            yield Finding(view.where(path, key=True),
                          f"{REFUSES}: the reserved memory has a duplicate value for NUMA node {node} and resource "
                          f'"{resource}"; merge the two entries',
                          related=(Related(view.where(first, key=True), "first reservation"),))


def check(view: KubeletView) -> Iterator[Finding]:
    seen: dict[tuple[int, str], tuple[str, ...]] = {}
    for index, entry in enumerate(effective_list(view, FIELD)):
        if isinstance(entry, dict):
            yield from _entry_findings(view, index, entry, seen)


RULE = define(__doc__, code="KL118", name="invalid-reserved-memory", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
