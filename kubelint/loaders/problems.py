"""What a loader reports when input is broken.

Loaders never know rule codes: they name the rule (``kind``) whose
documentation describes the problem, and the engine turns a problem into a
diagnostic of that rule. That keeps the data flow one way.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubelint.diagnostics import Location, Severity


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str
    location: Location
    message: str
    severity: Severity | None = None
    hint: str | None = None
