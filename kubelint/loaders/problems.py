"""What a loader reports when input is broken.

Loaders never know rule codes: they name the rule (``kind``) whose
documentation describes the problem, and the engine turns a problem into a
diagnostic of that rule. That keeps the data flow one way.
"""

from __future__ import annotations

from typing import Final

from kubelint.diagnostics import Location, Severity
from kubelint.records import Record


class Problem(Record):
    __slots__ = ("hint", "kind", "location", "message", "severity")
    kind: Final[str]
    location: Final[Location]
    message: Final[str]
    severity: Final[Severity | None]
    hint: Final[str | None]

    def __init__(self, kind: str, location: Location, message: str, severity: Severity | None = None,
                 hint: str | None = None) -> None:
        self.kind = kind
        self.location = location
        self.message = message
        self.severity = severity
        self.hint = hint
