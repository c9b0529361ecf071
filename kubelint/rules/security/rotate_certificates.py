"""Client certificate rotation is off (``rotateCertificates``).

Why: with rotation off the kubelet keeps using the client certificate it got
at TLS bootstrap until it expires (one year with kubeadm's CA); then the node
loses contact with the API server and goes NotReady. CIS 4.2.10 asks that it
is not false. The v1beta1 default **is** false, which kube-bench accepts as
"unset"; kubeadm always writes true. An explicit false (or
``--rotate-certificates=false``) is a warning; an unset value, which leaves
the default false in force, is reported as info.

Fails:
    rotateCertificates: false
Passes:
    rotateCertificates: true
Fix: none automatic (rotation needs a bootstrap or rotating client
credential and the CSR approver for kubelet client certificates).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.security._common import locate, provenance, remedy

PATH = "rotateCertificates"
FLAG = "--rotate-certificates"


def check(view: KubeletView) -> Iterator[Finding]:
    if view.get(PATH) is not False:
        return
    explicit = view.is_set(PATH)
    what = f"{PATH} is false" if explicit else f"{PATH} is not set, so the default false applies"
    yield Finding(
        locate(view, PATH),
        f"{what} ({provenance(view, PATH)}): the kubelet's client certificate is never renewed and the node "
        f"goes NotReady when it expires; {remedy(view, PATH, True, FLAG)}",
        severity=None if explicit else Severity.INFO,
        hint="kubeadm sets rotateCertificates: true; the certificate lives in "
             "/var/lib/kubelet/pki/kubelet-client-current.pem",
    )


RULE = define(__doc__, code="KL411", name="rotate-certificates-disabled", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check, cis=("4.2.10",),
              tags=("kube-bench:4.2.10", "kubescape:C-0182", "checkov:CKV_K8S_149"))
