"""The kubelet is told not to manage its iptables utility chains.

Why: with ``makeIPTablesUtilChains: false`` the kubelet stops creating and
maintaining its iptables utility chains, leaving the node's packet-filtering
rules to whatever else touches iptables; CIS asks to keep it true. The
default is already true (kubelint judges the effective value, unlike
checkov and older kubescape, which fail a config that merely omits it).

Fails:
    makeIPTablesUtilChains: false
Passes:
    makeIPTablesUtilChains: true
Fix: none automatic (remove the setting or set it to true).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.security._common import locate, provenance, remedy

PATH = "makeIPTablesUtilChains"
FLAG = "--make-iptables-util-chains"


def check(view: KubeletView) -> Iterator[Finding]:
    if view.get(PATH) is not False:
        return
    yield Finding(
        locate(view, PATH),
        f"{PATH} is false ({provenance(view, PATH)}): the kubelet does not maintain its iptables "
        f"utility chains; {remedy(view, PATH, True, FLAG)}",
    )


RULE = define(__doc__, code="KL407", name="iptables-util-chains-disabled", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check, cis=("4.2.6",),
              tags=("kube-bench:4.2.6", "kubescape:C-0178", "checkov:CKV_K8S_145"))
