"""Pods may create unlimited processes (``podPidsLimit`` unset, -1 or 0).

Why: without a per-pod PID limit one fork bomb can use up the node's PID
space and take down the kubelet, the runtime and every other pod. The
default is -1 (unlimited); any value <= 0 means no limit (negative values
are defaulted to -1). kubescape passes an explicit -1; kubelint judges the
effective value. Pick a limit well above what the largest workload needs
(a few thousand is common) and below the node's ``kernel.pid_max``.

Fails:
    podPidsLimit: -1
Passes:
    podPidsLimit: 4096
Fix: none automatic (the right limit depends on the workloads).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.security._common import locate, provenance, remedy

PATH = "podPidsLimit"
FLAG = "--pod-max-pids"
EXAMPLE = 4096


def check(view: KubeletView) -> Iterator[Finding]:
    limit = view.get(PATH)
    if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
        return
    if view.is_set(PATH):
        what = f"{PATH} is {view.raw(PATH)}, which means unlimited"
    else:
        what = f"{PATH} is not set, so pods get an unlimited number of PIDs"
    yield Finding(
        locate(view, PATH),
        f"{what} ({provenance(view, PATH)}): a fork bomb in one pod can exhaust the node's PIDs; "
        f"{remedy(view, PATH, EXAMPLE, FLAG)} (or a limit that fits your workloads)",
    )


RULE = define(__doc__, code="KL415", name="pod-pids-limit-unset", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check, cis=("4.2.13",),
              tags=("kube-bench:4.2.13", "kubescape:C-0284"))
