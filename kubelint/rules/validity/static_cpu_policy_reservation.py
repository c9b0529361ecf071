"""The static CPU manager policy without any reserved CPU.

Why: ``cpuManagerPolicy: static`` hands whole CPUs to Guaranteed pods and
needs at least one CPU kept back for the system. The CPU manager refuses to
start ("the static policy requires systemreserved.cpu + kubereserved.cpu to
be greater than zero") when ``kubeReserved.cpu`` and ``systemReserved.cpu``
add up to zero and ``reservedSystemCPUs`` is empty.

Fails:
    cpuManagerPolicy: static
Passes:
    cpuManagerPolicy: static
    kubeReserved:
      cpu: 500m
Fix: none automatic (how much CPU to reserve is the owner's call).
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.types import Quantity, ValueSyntaxError
from kubelint.rules.validity._support import REFUSES

POLICY = "cpuManagerPolicy"


def reserved_cpu(view: KubeletView, field: str) -> Fraction | None:
    """The cpu quantity of kubeReserved/systemReserved; None if it does not parse."""
    reserved = view.get(field)
    raw = reserved.get("cpu") if isinstance(reserved, dict) else None
    if raw is None:
        return Fraction(0)
    try:
        return Quantity.parse(raw).value
    except ValueSyntaxError:
        return None


def check(view: KubeletView) -> Iterator[Finding]:
    if view.get(POLICY) != "static" or view.get("reservedSystemCPUs"):
        return
    amounts = [reserved_cpu(view, field) for field in ("kubeReserved", "systemReserved")]
    if any(amount is None for amount in amounts) or sum(a for a in amounts if a is not None) > 0:
        return
    yield Finding(view.where(POLICY),
                  f"{REFUSES}: [cpumanager] the static policy requires systemreserved.cpu + kubereserved.cpu "
                  "to be greater than zero; reserve CPU with kubeReserved.cpu, systemReserved.cpu or "
                  "reservedSystemCPUs")


RULE = define(__doc__, code="KL113", name="static-cpu-policy-without-reservation", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
