"""The unauthenticated read-only port is open.

Why: ``readOnlyPort`` serves a subset of the kubelet API (pod specs with
their environment, node stats, ``/metrics``) over plain HTTP with neither
authentication nor authorization, on every address the kubelet binds. The
config-file default is 0 (closed); a kubelet without ``--config`` opens
10255, which kubescape and kube-bench miss when no config file is found.
Monitoring should scrape the secure port (10250) with a token instead.

Fails:
    readOnlyPort: 10255
Passes:
    readOnlyPort: 0
Fix: unsafe (scrapers still using port 10255 stop working): sets
``readOnlyPort: 0`` where it is written in YAML.
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.security._common import locate, provenance, remedy, set_fix

PATH = "readOnlyPort"
FLAG = "--read-only-port"


def check(view: KubeletView) -> Iterator[Finding]:
    port = view.get(PATH)
    if not isinstance(port, int) or port <= 0:
        return
    address = view.get("address") or "0.0.0.0"
    yield Finding(
        locate(view, PATH),
        f"the read-only port {port} is open on {address} ({provenance(view, PATH)}): it serves pod specs "
        f"and metrics over HTTP without authentication; {remedy(view, PATH, 0, FLAG)}",
        fix=set_fix(view, PATH, 0, f"set {PATH}: 0"),
        hint="scrape metrics from the secure port 10250 with a service-account token instead",
    )


RULE = define(__doc__, code="KL405", name="read-only-port-enabled", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check, fixable=True, cis=("4.2.4",),
              tags=("kube-bench:4.2.4", "kubescape:C-0175", "checkov:CKV_K8S_141", "trivy:KCV0082"))
