"""systemCgroups is set but cgroupRoot is not.

Why: the kubelet refuses to start when ``systemCgroups`` names a cgroup for
the non-kernel system processes but ``cgroupRoot`` is empty.

Fails:
    systemCgroups: /system.slice
Passes:
    systemCgroups: /system.slice
    cgroupRoot: /
Fix: none automatic: set ``cgroupRoot`` (usually ``/``) or remove
``systemCgroups``.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import REFUSES


def check(view: KubeletView) -> Iterator[Finding]:
    if view.get("systemCgroups") and not view.get("cgroupRoot"):
        yield Finding(view.where("systemCgroups"),
                      f"{REFUSES}: systemCgroups (--system-cgroups) was specified and cgroupRoot (--cgroup-root) "
                      "was not specified; add cgroupRoot: / or remove systemCgroups")


RULE = define(__doc__, code="KL111", name="system-cgroups-without-root", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
