"""qosReserved entries the kubelet cannot parse, or a qosReserved without its gate.

Why: ``qosReserved`` takes only ``memory`` with an integer percentage from
0% to 100%; anything else makes the kubelet refuse to start ("cannot
reserve ... resource", "percentage expected"). The reservation itself is
applied only with the alpha gate ``QOSReserved`` on: without it a valid
``qosReserved`` has no effect (a warning).

Fails:
    qosReserved:
      memory: "50"
Passes:
    qosReserved:
      memory: 50%
    featureGates:
      QOSReserved: true
Fix: none automatic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import REFUSES, gate_enabled, gate_state

FIELD = "qosReserved"
INTEGER = re.compile(r"^[+-]?[0-9]+$")


def percentage_error(raw: str) -> str | None:
    if not raw.endswith("%"):
        return f"percentage expected, got '{raw}'"
    number = raw[:-1]
    if not INTEGER.match(number):
        return f"invalid number in percentage '{raw}' (whole percent only)"
    if not 0 <= int(number) <= 100:
        return "percentage must be between 0 and 100"
    return None


def check(view: KubeletView) -> Iterator[Finding]:
    reserved = view.get(FIELD)
    if not isinstance(reserved, dict) or not reserved:
        return
    valid = True
    for key, raw in reserved.items():
        if key != "memory":
            valid = False
            yield Finding(view.where((FIELD, key), key=True),
                          f'{REFUSES}: qosReserved: cannot reserve "{key}" resource (only memory)')
        elif isinstance(raw, str) and (problem := percentage_error(raw)) is not None:
            valid = False
            yield Finding(view.where((FIELD, key)),
                          f'{REFUSES}: qosReserved: failed to parse percentage "{raw}" for "memory" resource: {problem}')
    if valid and not gate_enabled(view, "QOSReserved"):
        yield Finding(view.where(FIELD, key=True),
                      f"qosReserved has no effect: {gate_state(view, 'QOSReserved')}; enable the alpha gate or "
                      "remove qosReserved", severity=Severity.WARNING)


RULE = define(__doc__, code="KL130", name="invalid-qos-reserved", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
