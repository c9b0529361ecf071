"""enforceNodeAllocatable entries that contradict each other or their cgroups.

Why: the kubelet refuses to start when ``enforceNodeAllocatable``:
- lists ``none`` together with anything else;
- lists ``system-reserved`` (or ``-compressible``) without a
  ``systemReservedCgroup``, or ``kube-reserved`` (or ``-compressible``)
  without a ``kubeReservedCgroup``;
- lists both ``system-reserved`` and ``system-reserved-compressible`` (or
  the kube pair), or one value twice (1.32 and later);
- enforces anything while ``cgroupsPerQOS: false``. The list defaults to
  ``[pods]``, so ``cgroupsPerQOS: false`` alone fails: write
  ``enforceNodeAllocatable: []`` (or ``[none]`` from 1.32 on) with it.

Fails:
    cgroupsPerQOS: false
Passes:
    cgroupsPerQOS: false
    enforceNodeAllocatable: []
Fix: none automatic (which enforcement is wanted is the owner's call).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import REFUSES, effective_list, item

ENFORCE = "enforceNodeAllocatable"
FLAG = "enforceNodeAllocatable (--enforce-node-allocatable)"
KNOWN = frozenset({"pods", "system-reserved", "system-reserved-compressible", "kube-reserved",
                   "kube-reserved-compressible", "none"})
# (plain, compressible, cgroup field, its flag)
RESERVATIONS = (
    ("system-reserved", "system-reserved-compressible", "systemReservedCgroup", "system-reserved-cgroup"),
    ("kube-reserved", "kube-reserved-compressible", "kubeReservedCgroup", "kube-reserved-cgroup"),
)
REWRITTEN_IN = (1, 32)  # compressible values, duplicate check and per-entry cgroupsPerQOS check


def _entry_path(entries: list[str], value: str, occurrence: int = 0) -> tuple[str, ...]:
    positions = [index for index, entry in enumerate(entries) if entry == value]
    return item(ENFORCE, positions[min(occurrence, len(positions) - 1)])


def _none_with_others(view: KubeletView, entries: list[str]) -> Iterator[Finding]:
    if "none" in entries and len(set(entries)) > 1:
        yield Finding(view.where(_entry_path(entries, "none")),
                      f'{REFUSES}: {FLAG} may not contain additional enforcements when "none" is specified; '
                      'remove "none" or the other entries')


def _both_variants(view: KubeletView, entries: list[str]) -> Iterator[Finding]:
    for plain, compressible, _cgroup, _flag in RESERVATIONS:
        if plain in entries and compressible in entries:
            yield Finding(view.where(_entry_path(entries, compressible)),
                          f'{REFUSES}: both "{plain}" and "{compressible}" cannot be specified together in '
                          f"{ENFORCE}; keep one of them")


def _duplicates(view: KubeletView, entries: list[str]) -> Iterator[Finding]:
    for value in sorted({entry for entry in entries if entries.count(entry) > 1}):
        yield Finding(view.where(_entry_path(entries, value, occurrence=1)),
                      f'{REFUSES}: duplicated enforcements "{value}" in {ENFORCE}; list it once')


def _missing_cgroups(view: KubeletView, entries: list[str]) -> Iterator[Finding]:
    for plain, compressible, cgroup, flag in RESERVATIONS:
        present = [value for value in (plain, compressible) if value in entries]
        if not present or view.get(cgroup):
            continue
        yield Finding(view.where(_entry_path(entries, present[0])),
                      f'{REFUSES}: {cgroup} (--{flag}) must be specified when "{plain}" or "{compressible}" '
                      f"included in {ENFORCE}; set {cgroup} to the cgroup of those daemons "
                      f"(e.g. /system.slice{'/kubelet.service' if plain == 'kube-reserved' else ''})")


def _without_qos_cgroups(view: KubeletView, entries: list[str]) -> Iterator[Finding]:
    if view.get("cgroupsPerQOS") is not False:
        return
    related = (Related(view.where("cgroupsPerQOS"), "cgroupsPerQOS: false"),)
    if not view.is_set(ENFORCE):
        yield Finding(view.where("cgroupsPerQOS"),
                      f'{REFUSES}: cgroupsPerQOS (--cgroups-per-qos) must be set to true when "pods" contained in '
                      f"{ENFORCE} ({ENFORCE} is not written and defaults to [pods]); add {ENFORCE}: [] "
                      "next to cgroupsPerQOS: false")
        return
    if view.version < REWRITTEN_IN:
        if entries:
            yield Finding(view.where(ENFORCE),
                          f"{REFUSES}: {FLAG} is not supported unless cgroupsPerQOS (--cgroups-per-qos) is set to "
                          f"true; use {ENFORCE}: [] with cgroupsPerQOS: false", related=related)
        return
    for index, entry in enumerate(entries):
        if entry in KNOWN and entry != "none":
            yield Finding(view.where(item(ENFORCE, index)),
                          f'{REFUSES}: cgroupsPerQOS (--cgroups-per-qos) must be set to true when "{entry}" '
                          f"contained in {ENFORCE}; use {ENFORCE}: [] (or [none]) with cgroupsPerQOS: false",
                          related=related)


def check(view: KubeletView) -> Iterator[Finding]:
    entries = [entry for entry in effective_list(view, ENFORCE) if isinstance(entry, str)]
    yield from _without_qos_cgroups(view, entries)
    yield from _none_with_others(view, entries)
    yield from _missing_cgroups(view, entries)
    if view.version >= REWRITTEN_IN:
        yield from _both_variants(view, entries)
        yield from _duplicates(view, entries)


RULE = define(__doc__, code="KL110", name="node-allocatable-enforcement", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
