"""The cgroupfs driver is in force on a node whose init is systemd.

Why: with cgroupfs, the kubelet and the runtime write cgroups directly
while systemd manages the same tree: two managers with two views of the
node's resources, and nodes have been reported unstable under resource
pressure. The Kubernetes docs ("Container Runtimes") recommend the systemd
driver whenever systemd is the init, and always on cgroup v2, where
systemd expects to be the single writer of the hierarchy and may reset
settings it does not know about. A node counts as a systemd host when its
tree has ``etc/systemd``, ``lib/systemd`` or ``usr/lib/systemd``. The
driver judged is the one in force: the runtime's when the kubelet takes it
from the runtime (``KubeletCgroupDriverFromCRI`` with containerd 2.x or
CRI-O), else the kubelet's; a mismatch between the two is KL601's.

Info, or a warning when the kubelet refuses cgroup v1 hosts
(``failCgroupV1``, true by default from 1.35), which means the host runs
cgroup v2.

Fails:
    # var/lib/kubelet/config.yaml on a node with /etc/systemd
    cgroupDriver: cgroupfs
Passes:
    cgroupDriver: systemd
Fix: none automatic: switch the kubelet and the runtime to systemd
together; the docs advise draining (or replacing) a node before changing
its driver, because existing sandboxes cannot be recreated.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.contexts import NodeContext
from kubelint.diagnostics import Finding, Location, Related, Severity
from kubelint.engine import Scope, define
from kubelint.node import NodeView
from kubelint.rules.node._common import related_value, value_site
from kubelint.rules.runtime._cgroup import Authority, cgroup_v2, decide, runtime_fix_words, runtime_site

PATH = "cgroupDriver"
SYSTEMD_DIRS = ("/etc/systemd", "/lib/systemd", "/usr/lib/systemd")


def check(context: NodeContext) -> Iterator[Finding]:
    node = context.node
    if not _systemd_host(node):
        return
    view = node.view
    kubelet = view.get(PATH)
    v2 = cgroup_v2(view)
    runtime = node.runtime if node.runtime is not None and node.runtime.parsed else None
    theirs = runtime.default_driver.resolve(v2) if runtime else None
    by_runtime = runtime is not None and decide(view, runtime).authority is Authority.RUNTIME
    if by_runtime and runtime is not None and theirs is not None:
        if theirs != "cgroupfs":
            return
        location: Location = runtime_site(runtime, runtime.default_driver)
        what = f"{runtime.kind.label} uses cgroupfs ({runtime.default_driver.note}), and the kubelet follows it"
        related = related_value(view, PATH, f"cgroupDriver: {kubelet} (ignored)")
        fix = runtime_fix_words(runtime, "systemd", runtime.default_driver.handler)
    else:
        if kubelet != "cgroupfs" or (theirs is not None and theirs != kubelet):
            return  # systemd already, or a mismatch (KL601)
        location, provenance = value_site(view, PATH)
        what = f"the kubelet uses cgroupfs ({provenance})"
        related = (Related(runtime_site(runtime, runtime.default_driver), f"{runtime.kind.label}: cgroupfs"),) \
            if runtime is not None else ()
        fix = "cgroupDriver: systemd" + (f" and {runtime_fix_words(runtime, 'systemd', runtime.default_driver.handler)}"
                                         if runtime is not None else " (and the runtime's driver to match)")
    if v2:
        why = ("this kubelet refuses cgroup v1 hosts (failCgroupV1), so the host runs cgroup v2, where systemd "
               "expects to be the only writer of the hierarchy and may reset what cgroupfs wrote")
        severity = Severity.WARNING
    else:
        why = "two cgroup managers then hold different views of the node's resources"
        severity = Severity.INFO
    yield Finding(location, f"{what} on a node whose init is systemd: {why}; the Kubernetes docs recommend the "
                            "systemd driver there", severity=severity,
                  hint=f"set {fix}, draining the node first", related=related)


def _systemd_host(node: NodeView) -> bool:
    if node.root is None:
        return False
    return any(node.exists(path) for path in SYSTEMD_DIRS)


RULE = define(__doc__, code="KL602", name="cgroupfs-on-systemd-host", severity=Severity.INFO, scope=Scope.NODE,
              check=check)
