"""The kubelet rewrites kernel tunables instead of refusing a mismatch (``protectKernelDefaults``).

Why: the kubelet expects some sysctls (for example ``vm.overcommit_memory=1``,
``vm.panic_on_oom=0``, ``kernel.panic=10``, ``kernel.panic_on_oops=1``).
With ``protectKernelDefaults: false`` (the default) it silently changes them;
with true it fails instead, so the node's hardening (sysctl.d files) stays
authoritative and drift is noticed. CIS up to 1.24 scored this (4.2.6);
later benchmarks dropped it, checkov still checks it. Advice only: set the
sysctls first, or the kubelet will refuse to start.

Fails:
    protectKernelDefaults: false
Passes:
    protectKernelDefaults: true
Fix: none automatic (the sysctls must be in place before the kubelet restarts).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.security._common import locate, provenance, remedy

PATH = "protectKernelDefaults"
FLAG = "--protect-kernel-defaults"


def check(view: KubeletView) -> Iterator[Finding]:
    if view.get(PATH) is not False:
        return
    what = f"{PATH} is false" if view.is_set(PATH) else f"{PATH} is not set"
    yield Finding(
        locate(view, PATH),
        f"{what} ({provenance(view, PATH)}): the kubelet overwrites kernel tunables that differ from its "
        f"expectations instead of failing; {remedy(view, PATH, True, FLAG)} once the sysctls are set on the host",
        hint="set vm.overcommit_memory=1, vm.panic_on_oom=0, kernel.panic=10, kernel.panic_on_oops=1 "
             "in /etc/sysctl.d/ first",
    )


RULE = define(__doc__, code="KL417", name="protect-kernel-defaults-disabled", severity=Severity.INFO,
              scope=Scope.KUBELET, check=check,
              tags=("cis-1.24:4.2.6", "kube-bench:cis-1.24:4.2.6", "kubescape:C-0177", "checkov:CKV_K8S_144"))
