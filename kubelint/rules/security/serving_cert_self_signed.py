"""The kubelet serves its API with a self-signed certificate.

Why: with neither ``tlsCertFile``/``tlsPrivateKeyFile`` nor
``serverTLSBootstrap: true`` the kubelet generates a self-signed serving
certificate in ``--cert-dir``. Nobody can verify it: the API server cannot
use ``--kubelet-certificate-authority``, and metrics-server needs
``--kubelet-insecure-tls``, so traffic to port 10250 is open to
interception. ``serverTLSBootstrap: true`` satisfies CIS 4.2.9 as well as
static files do (kube-bench since PR #767; kubescape still fails it): the
kubelet then requests its serving certificate from the cluster CA. Those
CSRs (signer ``kubernetes.io/kubelet-serving``) are never auto-approved by
the built-in approver: run an approver or approve them by hand, or
``kubectl logs``/``exec`` break.

Fails:
    apiVersion: kubelet.config.k8s.io/v1beta1
    kind: KubeletConfiguration
    rotateCertificates: true
Passes:
    serverTLSBootstrap: true
    rotateCertificates: true
Fix: none automatic (needs certificates or a CSR approver).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.security._common import (
    SERVER_OFF_NOTE,
    config_file,
    locate,
    provenance,
    server_disabled,
    unless_server_off,
)

CERT, KEY, BOOTSTRAP = "tlsCertFile", "tlsPrivateKeyFile", "serverTLSBootstrap"


def has_value(view: KubeletView, path: str) -> bool:
    value = view.get(path)
    return isinstance(value, str) and bool(value.strip())


def check(view: KubeletView) -> Iterator[Finding]:
    if has_value(view, CERT) or has_value(view, KEY) or view.get(BOOTSTRAP) is True:
        return
    target = config_file(view)
    where = f"in {target}" if target else "in a KubeletConfiguration passed with --config"
    yield Finding(
        locate(view, BOOTSTRAP),
        f"no serving certificate: {CERT}/{KEY} are not set and {BOOTSTRAP} is "
        f"{'false' if view.is_set(BOOTSTRAP) else 'not set'} ({provenance(view, BOOTSTRAP)}), so the kubelet "
        f"serves a self-signed certificate nobody can verify{SERVER_OFF_NOTE if server_disabled(view) else ''}; "
        f"set {BOOTSTRAP}: true {where} (and approve kubelet-serving CSRs), "
        f"or set {CERT} and {KEY}",
        severity=unless_server_off(view),
        hint="with serverTLSBootstrap the API server can verify the kubelet through "
             "--kubelet-certificate-authority",
    )


RULE = define(__doc__, code="KL409", name="serving-cert-self-signed", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check, cis=("4.2.9",),
              tags=("kube-bench:4.2.9", "kubescape:C-0181", "checkov:CKV_K8S_148"))
