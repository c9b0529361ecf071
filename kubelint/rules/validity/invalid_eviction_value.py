"""An eviction threshold, grace period or minimum reclaim the kubelet cannot use.

Why: the kubelet parses every eviction setting at start and refuses to
start when one is malformed: a threshold must be a positive quantity
(``100Mi``, ``500000`` for inodes or pids) or a percentage from 0% to 100%
(``0%`` and ``100%`` switch the signal off; ``"0"`` is an error), a soft
grace period must be a non-negative Go duration (``1m30s``, no ``d``), and a
minimum reclaim must be a non-negative quantity or a positive percentage.

Fails:
    evictionHard:
      memory.available: "0"
      nodefs.available: 110%
    evictionSoftGracePeriod:
      memory.available: 1d
Passes:
    evictionHard:
      memory.available: 100Mi
      nodefs.available: 10%
    evictionSoftGracePeriod:
      memory.available: 24h
Fix: none automatic.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._eviction_values import SIGNAL_MAPS, entries, value_error
from kubelint.rules.validity._support import REFUSES


def check(view: KubeletView) -> Iterator[Finding]:
    for map_name in SIGNAL_MAPS:
        for entry in entries(view, map_name):
            problem = value_error(map_name, entry.raw)
            if problem is not None:
                yield Finding(view.where(entry.path),
                              f"{REFUSES}: {map_name} {entry.signal}: {problem}")


RULE = define(__doc__, code="KL121", name="invalid-eviction-value", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
