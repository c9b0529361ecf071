"""Anonymous requests to the kubelet API are allowed.

Why: with ``authentication.anonymous.enabled: true`` every request without
credentials reaches the kubelet's API on port 10250 as ``system:anonymous``.
With ``authorization.mode: AlwaysAllow`` that user can read pods, logs and
secrets mounted into pods, and run commands in any container. A config file
defaults to false, but a kubelet started **without** ``--config`` uses the
legacy flag default, true: kubescape (no ``--config`` ⇒ PASS) and kube-bench
(first existing file, not the real ``--config``) both miss that case.
kubeadm always writes false.

Fails:
    authentication:
      anonymous:
        enabled: true
Passes:
    authentication:
      anonymous:
        enabled: false
      x509:
        clientCAFile: /etc/kubernetes/pki/ca.crt
Fix: unsafe (it changes who may call the kubelet): sets
``authentication.anonymous.enabled: false`` where the value is written in
YAML; a flag (``--anonymous-auth``) must be changed by hand.
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.security._common import (
    SERVER_OFF_NOTE,
    locate,
    provenance,
    remedy,
    server_disabled,
    set_fix,
    unless_server_off,
)

PATH = "authentication.anonymous.enabled"
FLAG = "--anonymous-auth"


def check(view: KubeletView) -> Iterator[Finding]:
    if view.get(PATH) is not True:
        return
    consequence = (
        "with authorization AlwaysAllow too, anyone who reaches port 10250 can exec into pods"
        if view.get("authorization.mode") == "AlwaysAllow"
        else "unauthenticated requests reach the kubelet API as system:anonymous"
    )
    yield Finding(
        locate(view, PATH),
        f"anonymous authentication is enabled ({provenance(view, PATH)}); {consequence}"
        f"{SERVER_OFF_NOTE if server_disabled(view) else ''}; {remedy(view, PATH, False, FLAG)}",
        severity=unless_server_off(view),
        fix=set_fix(view, PATH, False, f"set {PATH}: false"),
        hint="requests from the API server and from monitoring need client certificates or "
             "webhook-checked tokens instead",
    )


RULE = define(__doc__, code="KL401", name="anonymous-auth-enabled", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check, fixable=True, cis=("4.2.1",),
              tags=("kube-bench:4.2.1", "kubescape:C-0172", "kubescape:C-0069", "checkov:CKV_K8S_138",
                    "trivy:KCV0079"))
