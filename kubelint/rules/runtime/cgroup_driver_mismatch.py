"""The kubelet's cgroup driver differs from the container runtime's.

Why: the kubelet and the runtime must agree on who manages pod cgroups.
With the kubelet on cgroupfs and runc on systemd, sandboxes fail with
``expected cgroupsPath to be of format "slice:prefix:name"``; the other way
round CRI-O refuses ("received systemd slice as parent") and other runtimes
put cgroups where the kubelet does not look. The kubelet side is the
effective ``cgroupDriver`` (``--cgroup-driver`` beats the config file); the
runtime side is containerd's ``SystemdCgroup`` of the default handler,
CRI-O's ``cgroup_manager`` after its drop-ins, or Docker's
``native.cgroupdriver``.

Severity follows the kubelet version and the runtime (security-and-peers
§4.2): an error when the kubelet uses its own setting (before 1.28, or with
``KubeletCgroupDriverFromCRI`` off); from 1.31, with containerd 2.x
(``version = 3``) or CRI-O, the kubelet takes the runtime's driver and
ignores ``cgroupDriver``: a warning that the file says something that is
not in force. When the runtime's version cannot be told (containerd
``version = 2``, cri-dockerd), a warning that explains both outcomes. A
non-default containerd handler with another driver is info: only pods
whose RuntimeClass selects it fail.

Fails:
    # var/lib/kubelet/config.yaml
    cgroupDriver: cgroupfs
    # etc/containerd/config.toml (version = 2)
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
      SystemdCgroup = true
Passes:
    # var/lib/kubelet/config.yaml
    cgroupDriver: systemd
    # etc/containerd/config.toml (version = 2)
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
      SystemdCgroup = true
Fix: none automatic: choose one driver (systemd wherever systemd is the
init) and set it on both sides; a node with running pods should be
drained first.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.contexts import NodeContext
from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.runtime import CgroupDriverSetting, RuntimeConfig
from kubelint.rules.node._common import related_value, value_site
from kubelint.rules.runtime._cgroup import (
    Authority,
    Decision,
    cgroup_v2,
    decide,
    is_runc_like,
    runtime_fix_words,
    runtime_site,
    runtime_words,
)

PATH = "cgroupDriver"
SYMPTOM = {
    "cgroupfs": 'runc refuses the sandboxes\' cgroup paths (expected cgroupsPath to be of format "slice:prefix:name" '
                "for systemd cgroups) and pods never start",
    "systemd": "the runtime is handed systemd slices it does not manage (CRI-O refuses them; others put pod cgroups "
               "where the kubelet does not look) and pods fail",
}


def check(context: NodeContext) -> Iterator[Finding]:
    runtime = context.node.runtime
    view = context.node.view
    kubelet = view.get(PATH)
    if runtime is None or not runtime.parsed or kubelet not in ("systemd", "cgroupfs"):
        return
    decision = decide(view, runtime)
    v2 = cgroup_v2(view)
    default = runtime.default_driver
    theirs = default.resolve(v2)
    if theirs is None:
        yield from _host_dependent(view, runtime, default, kubelet, decision)
    elif theirs != kubelet:
        finding = _default_mismatch(view, runtime, default, kubelet, theirs, decision, v2)
        if finding is not None:
            yield finding
    in_force = theirs if decision.authority is Authority.RUNTIME and theirs else kubelet
    yield from _other_handlers(view, runtime, in_force, v2, decision)


def _default_mismatch(view: KubeletView, runtime: RuntimeConfig, setting: CgroupDriverSetting, kubelet: str,
                      theirs: str, decision: Decision, v2: bool | None) -> Finding | None:
    location, provenance = value_site(view, PATH)
    related = (Related(runtime_site(runtime, setting), f"{runtime.kind.label}: {theirs} ({setting.note})"),)
    runtime_text = runtime_words(runtime, setting, v2)
    head = f"the kubelet's cgroupDriver {kubelet} ({provenance}) does not match {runtime_text}"
    hint = (f"use one driver on both sides: cgroupDriver: {theirs} for the kubelet, or "
            f"{runtime_fix_words(runtime, kubelet, setting.handler)}; systemd is the choice wherever systemd is "
            "the init (drain the node before changing it)")
    if decision.authority is Authority.KUBELET:
        return Finding(location, f"{head}: {SYMPTOM[kubelet]} ({decision.why})", severity=Severity.ERROR,
                       hint=hint, related=related)
    if decision.authority is Authority.RUNTIME:
        if not view.is_set(PATH):
            return None  # nothing written that disagrees; the kubelet just follows the runtime
        return Finding(location, f"{head}, but {decision.why}: {theirs} is in force and this setting is ignored; "
                                 "make it say what runs",
                       severity=Severity.WARNING, hint=f"set cgroupDriver: {theirs} (or remove it)", related=related)
    return Finding(location, f"{head}: with {decision.older} (no RuntimeConfig call, the kubelet keeps its own "
                             f"driver) {SYMPTOM[kubelet]}; with {decision.newer} the kubelet follows the runtime and "
                             f"this setting is ignored ({decision.why})",
                   severity=Severity.WARNING, hint=hint, related=related)


def _host_dependent(view: KubeletView, runtime: RuntimeConfig, setting: CgroupDriverSetting, kubelet: str,
                    decision: Decision) -> Iterator[Finding]:
    if setting.host_default is None:
        return
    v1, v2 = setting.host_default
    if v1 == kubelet and v2 == kubelet:
        return
    matching = "cgroup v1" if v1 == kubelet else "cgroup v2"
    location, provenance = value_site(view, PATH)
    yield Finding(
        location,
        f"the kubelet's cgroupDriver {kubelet} ({provenance}) matches {runtime.kind.label} only on {matching} hosts: "
        f"{setting.note}; on the other cgroup version the drivers differ"
        + ("" if decision.authority is Authority.KUBELET else f" ({decision.why})"),
        severity=Severity.WARNING,
        hint=f"state the driver: {runtime_fix_words(runtime, kubelet, None)}",
        related=(Related(runtime_site(runtime, setting), f"{runtime.kind.label}: {setting.describe()}"),),
    )


def _other_handlers(view: KubeletView, runtime: RuntimeConfig, in_force: str, v2: bool | None,
                    decision: Decision) -> Iterator[Finding]:
    reference = "the default handler's" if decision.authority is Authority.RUNTIME else "the kubelet's"
    default = runtime.default_driver.resolve(v2)
    for name, setting in runtime.drivers.items():
        value = setting.resolve(v2)
        # a handler on the default's driver is the default finding's business (CRI-O and Docker have one driver)
        if value in (None, in_force, default) or not is_runc_like(setting):
            continue
        yield Finding(
            runtime_site(runtime, setting),
            f"runtime handler {name!r} uses {value} ({setting.note}) while {reference} driver is {in_force}: pods "
            f"whose RuntimeClass selects {name!r} fail to start their sandbox",
            severity=Severity.INFO,
            hint=f"set {runtime_fix_words(runtime, in_force, name)}",
            related=related_value(view, PATH, f"cgroupDriver: {view.get(PATH)}"),
        )


RULE = define(__doc__, code="KL601", name="cgroup-driver-mismatch", severity=Severity.ERROR, scope=Scope.NODE,
              check=check)
