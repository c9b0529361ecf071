"""The ``RotateKubeletServerCertificate`` feature gate is turned off.

Why: the gate lets the kubelet request and renew its serving certificate
through the CSR API (``serverTLSBootstrap``). It has been beta and on by
default since 1.12, so only an explicit ``false`` is reported (kube-bench,
kubescape and checkov each once failed an absent gate). With
``serverTLSBootstrap: true`` and the gate off, validation fails and the
kubelet does not start: that combination is an error.

Fails:
    featureGates:
      RotateKubeletServerCertificate: false
Passes:
    featureGates:
      RotateKubeletServerCertificate: true
Fix: none automatic (remove the gate or set it to true).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.security._common import locate, provenance, remedy

GATE = "RotateKubeletServerCertificate"
PATH = f"featureGates.{GATE}"


def check(view: KubeletView) -> Iterator[Finding]:
    if view.raw(PATH) is not False:
        return
    todo = remedy(view, PATH, True, f"--feature-gates={GATE}")
    if view.get("serverTLSBootstrap") is True:
        yield Finding(
            locate(view, PATH),
            f"feature gate {GATE} is false ({provenance(view, PATH)}) while serverTLSBootstrap is true: "
            f"validation fails and the kubelet does not start; {todo}",
            severity=Severity.ERROR,
        )
        return
    yield Finding(
        locate(view, PATH),
        f"feature gate {GATE} is false ({provenance(view, PATH)}): the kubelet cannot obtain or renew its "
        f"serving certificate through the CSR API; {todo}",
    )


RULE = define(__doc__, code="KL412", name="server-cert-rotation-gate-disabled", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check, cis=("4.2.11",),
              tags=("kube-bench:4.2.11", "kubescape:C-0183", "checkov:CKV_K8S_112"))
