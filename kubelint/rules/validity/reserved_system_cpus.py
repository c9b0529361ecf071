"""reservedSystemCPUs that is not a CPU list, or is combined with reserved cgroups.

Why: the kubelet refuses to start when ``reservedSystemCPUs`` is not a Linux
cpuset list (``0-3,8,10-11``: numbers and ascending ranges, commas, no
spaces), and when it is set together with ``systemReservedCgroup`` or
``kubeReservedCgroup`` (an explicit CPU list replaces cgroup-based CPU
reservation). Whether the CPUs exist on the host is not checked here.

Fails:
    reservedSystemCPUs: 0-1, 4
Passes:
    reservedSystemCPUs: 0-1,4
Fix: none automatic.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.types import ValueSyntaxError, parse_cpuset
from kubelint.rules.validity._support import REFUSES

CPUS = "reservedSystemCPUs"
CGROUPS = ("systemReservedCgroup", "kubeReservedCgroup")


def cpuset_error(text: str) -> str | None:
    """Why ``text`` is not a cpuset list the kubelet can parse, or None."""
    if any(character.isspace() for character in text):
        return "spaces are not allowed"
    try:
        parse_cpuset(text)
    except ValueSyntaxError as error:
        return str(error)
    return None


def _syntax(view: KubeletView, text: str) -> Iterator[Finding]:
    problem = cpuset_error(text)
    if problem is not None:
        yield Finding(view.where(CPUS),
                      f"{REFUSES}: unable to parse reservedSystemCPUs (--reserved-cpus) {text}, error: {problem}; "
                      "write a list such as 0-1 or 0,2-3")


def _with_cgroups(view: KubeletView) -> Iterator[Finding]:
    present = [name for name in CGROUPS if view.get(name)]
    if not present:
        return
    related = tuple(Related(view.where(name), f"{name}: {view.get(name)}") for name in present)
    yield Finding(view.where(CPUS, key=True),
                  f"{REFUSES}: can't use reservedSystemCPUs (--reserved-cpus) with systemReservedCgroup "
                  f"(--system-reserved-cgroup) or kubeReservedCgroup (--kube-reserved-cgroup); remove "
                  f"{' and '.join(present)} or reservedSystemCPUs", related=related)


def check(view: KubeletView) -> Iterator[Finding]:
    text = view.get(CPUS)
    if not isinstance(text, str) or text == "":
        return
    yield from _syntax(view, text)
    yield from _with_cgroups(view)


RULE = define(__doc__, code="KL112", name="reserved-system-cpus", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
