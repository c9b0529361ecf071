"""Which cgroup driver is in force on a node: the kubelet's, or the runtime's.

With the ``KubeletCgroupDriverFromCRI`` gate (beta and on from 1.31, GA in
1.34) the kubelet asks the runtime through the ``RuntimeConfig`` CRI call
and ignores its own ``cgroupDriver``. Only runtimes that implement the call
answer it: containerd 2.x (a ``version = 3`` config can only be 2.x;
versions 1 and 2 are read by 1.x and 2.x alike), CRI-O 1.28 and later (which
every kubelet new enough for the gate is paired with), and cri-dockerd
since its 2025 release (version unknown from ``daemon.json``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kubelint.diagnostics import FILE_START, Location
from kubelint.kubelet_view import KubeletView
from kubelint.models.runtime import CgroupDriverSetting, RuntimeConfig, RuntimeKind

GATE = "KubeletCgroupDriverFromCRI"


class Authority(enum.Enum):
    KUBELET = "kubelet"  # the kubelet uses its own cgroupDriver
    RUNTIME = "runtime"  # the kubelet takes the runtime's answer
    UNKNOWN = "unknown"  # depends on the runtime's version, which the files do not tell


@dataclass(frozen=True)
class Decision:
    authority: Authority
    why: str
    # for UNKNOWN: the runtime releases without and with the RuntimeConfig call
    older: str = ""
    newer: str = ""


def decide(view: KubeletView, runtime: RuntimeConfig) -> Decision:
    major, minor = view.version
    if (major, minor) < (1, 28):
        return Decision(Authority.KUBELET, f"kubelet {major}.{minor} always uses its own cgroupDriver")
    if not view.gate(GATE):
        return Decision(Authority.KUBELET, f"feature gate {GATE} is off, so the kubelet uses its own cgroupDriver")
    if runtime.kind is RuntimeKind.CRIO:
        return Decision(Authority.RUNTIME, f"with {GATE} the kubelet takes the driver CRI-O reports")
    if runtime.kind is RuntimeKind.CONTAINERD and runtime.config_version == 3:
        return Decision(Authority.RUNTIME, f"a version 3 config means containerd 2.x, which reports its driver, "
                                           f"and with {GATE} the kubelet takes it")
    if runtime.kind is RuntimeKind.CONTAINERD:
        return Decision(Authority.UNKNOWN, f"a version {runtime.config_version} config does not tell containerd 1.x "
                                           "from 2.x", "containerd 1.x", "containerd 2.x")
    return Decision(Authority.UNKNOWN, "daemon.json does not tell the cri-dockerd release",
                    "cri-dockerd before its 2025 releases", "newer cri-dockerd")


def cgroup_v2(view: KubeletView) -> bool | None:
    """True when the kubelet only starts on cgroup v2 (``failCgroupV1``), else unknown."""
    return True if view.get("failCgroupV1") is True else None


def runtime_site(runtime: RuntimeConfig, setting: CgroupDriverSetting) -> Location:
    """Where the runtime's driver is written, or where it would be."""
    return setting.location or setting.anchor or Location(runtime.path, FILE_START)


def runtime_words(runtime: RuntimeConfig, setting: CgroupDriverSetting, cgroup_v2: bool | None) -> str:
    """``containerd's systemd (SystemdCgroup = true, handler runc)``."""
    value = setting.resolve(cgroup_v2) or setting.describe()
    handler = f", handler {setting.handler}" if setting.handler and runtime.kind is RuntimeKind.CONTAINERD else ""
    return f"{runtime.kind.label}'s {value} ({setting.note}{handler})"


def runtime_fix_words(runtime: RuntimeConfig, driver: str, handler: str | None) -> str:
    """How to set ``driver`` on the runtime's side."""
    if runtime.kind is RuntimeKind.CONTAINERD:
        value = "true" if driver == "systemd" else "false"
        return f"SystemdCgroup = {value} in the {handler or 'runc'} handler's options table"
    if runtime.kind is RuntimeKind.CRIO:
        return f'cgroup_manager = "{driver}" in [crio.runtime]' + \
            (' (with conmon_cgroup = "pod")' if driver == "cgroupfs" else "")
    return f'"exec-opts": ["native.cgroupdriver={driver}"] in daemon.json'


def is_runc_like(setting: CgroupDriverSetting) -> bool:
    """False for a handler that is not runc and only has containerd's default (kata, gVisor ...)."""
    return setting.explicit or "not runc" not in setting.note
