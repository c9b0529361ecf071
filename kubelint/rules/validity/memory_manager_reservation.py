"""With memoryManagerPolicy: Static, reservedMemory must add up to the node's memory reservation.

Why: the Static memory manager policy refuses to start unless the memory
reserved per NUMA node in ``reservedMemory`` adds up exactly to
``kubeReserved.memory`` + ``systemReserved.memory`` + the hard eviction
threshold ``memory.available`` (100Mi by default). Forgetting
``reservedMemory`` entirely fails too: 0 is not 100Mi. A percentage
``memory.available`` depends on the node's memory and is not checked here.

Fails:
    memoryManagerPolicy: Static
    kubeReserved:
      memory: 1Gi
Passes:
    memoryManagerPolicy: Static
    kubeReserved:
      memory: 1Gi
    reservedMemory:
    - numaNode: 0
      limits:
        memory: 1124Mi
Fix: none automatic (how to split the memory across NUMA nodes is the
owner's call); the message gives the total to reserve.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.types import Quantity, ValueSyntaxError
from kubelint.rules.validity._support import REFUSES, effective_list

POLICY, RESERVED = "memoryManagerPolicy", "reservedMemory"
BINARY_SUFFIXES = (("Ei", 2**60), ("Pi", 2**50), ("Ti", 2**40), ("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10))


def format_bytes(amount: Fraction) -> str:
    """``1124Mi``, ``1Gi``, ``1500000``: the shortest exact binary spelling."""
    if amount.denominator != 1:
        return str(float(amount))
    whole = amount.numerator
    for suffix, size in BINARY_SUFFIXES:
        if whole and whole % size == 0:
            return f"{whole // size}{suffix}"
    return str(whole)


def _map_quantity(view: KubeletView, field: str, key: str) -> Fraction | None:
    """A quantity from a string map; 0 when absent, None when it cannot be known."""
    entries = view.get(field)
    raw = entries.get(key) if isinstance(entries, dict) else None
    if raw is None:
        return Fraction(0)
    if not isinstance(raw, str) or raw.strip().endswith("%"):
        return None
    try:
        return Quantity.parse(raw.strip()).value
    except ValueSyntaxError:
        return None


def _reserved_total(view: KubeletView) -> Fraction:
    total = Fraction(0)
    for entry in effective_list(view, RESERVED):
        limits = entry.get("limits") if isinstance(entry, dict) else None
        amount = limits.get("memory") if isinstance(limits, dict) else None
        if isinstance(amount, Quantity):
            total += amount.value
    return total


def check(view: KubeletView) -> Iterator[Finding]:
    if view.get(POLICY) != "Static":
        return
    parts = {
        "kubeReserved.memory": _map_quantity(view, "kubeReserved", "memory"),
        "systemReserved.memory": _map_quantity(view, "systemReserved", "memory"),
        "evictionHard memory.available": _map_quantity(view, "evictionHard", "memory.available"),
    }
    known = {name: amount for name, amount in parts.items() if amount is not None}
    if len(known) != len(parts):
        return
    expected, reserved = sum(known.values(), Fraction(0)), _reserved_total(view)
    if expected == reserved:
        return
    breakdown = " + ".join(f"{name} {format_bytes(amount)}" for name, amount in known.items())
    where = view.where(RESERVED, key=True) if view.is_set(RESERVED) else view.where(POLICY)
    yield Finding(where,
                  f'{REFUSES}: the total amount "{format_bytes(reserved)}" of type "memory" is not equal to the '
                  f'value "{format_bytes(expected)}" determined by Node Allocatable feature ({breakdown}); '
                  f"make the reservedMemory memory entries add up to {format_bytes(expected)}")


RULE = define(__doc__, code="KL119", name="memory-manager-reservation-mismatch", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
