"""A soft eviction threshold without a grace period.

Why: a soft threshold only evicts after the signal has stayed below it for
its grace period, so every ``evictionSoft`` signal needs an entry in
``evictionSoftGracePeriod``; without one the kubelet refuses to start
("grace period must be specified for the soft eviction threshold").

Fails:
    evictionSoft:
      memory.available: 500Mi
Passes:
    evictionSoft:
      memory.available: 500Mi
    evictionSoftGracePeriod:
      memory.available: 1m30s
Fix: none automatic (how long to wait is the owner's call).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint import knowledge
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._eviction_values import GRACE, SOFT, entries, switches_off, threshold_error
from kubelint.rules.validity._support import REFUSES


def check(view: KubeletView) -> Iterator[Finding]:
    periods = view.get(GRACE)
    periods = periods if isinstance(periods, dict) else {}
    for entry in entries(view, SOFT):
        if entry.signal not in knowledge.eviction_signals() or not isinstance(entry.raw, str):
            continue
        if threshold_error(entry.raw) is not None or switches_off(entry.raw) or entry.signal in periods:
            continue
        yield Finding(view.where(entry.path, key=True),
                      f"{REFUSES}: grace period must be specified for the soft eviction threshold {entry.signal}; "
                      f"add {GRACE}: {{{entry.signal}: 1m30s}} (or how long the signal may stay below the threshold)")


RULE = define(__doc__, code="KL122", name="soft-eviction-without-grace-period", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
