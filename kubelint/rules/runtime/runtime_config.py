"""A container runtime config setting the runtime ignores or refuses.

Why: containerd silently ignores unknown keys, so ``systemdCgroup = true``
(wrong case, once shipped by kubespray) or ``SystemdCgroup`` outside the
runc ``options`` table leaves runc on cgroupfs; the legacy
``systemd_cgroup = true`` under the CRI plugin only ever applied to the old
v1 shim; a v2 plugin ID (``io.containerd.grpc.v1.cri``) in a ``version = 3``
file is not read. CRI-O needs ``conmon_cgroup = "pod"`` with cgroupfs, and
Docker refuses duplicate or unknown ``native.cgroupdriver`` options.

Fails:
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
      systemdCgroup = true
Passes:
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
      SystemdCgroup = true
Fix: none automatic; the message names the key or table to use.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL603", name="runtime-config", severity=Severity.WARNING, scope=Scope.LOAD)
