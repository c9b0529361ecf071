"""The kubelet has no client CA: client certificates are not accepted.

Why: ``authentication.x509.clientCAFile`` (``--client-ca-file``) names the
CA bundle the kubelet uses to verify client certificates. Without it the API
server's own client certificate (``--kubelet-client-certificate``) cannot be
verified, so its calls for ``kubectl logs``, ``exec`` and ``port-forward``
arrive as anonymous: they fail, or, with anonymous auth and AlwaysAllow,
succeed for everyone. kubeadm sets ``/etc/kubernetes/pki/ca.crt``. A relative
path is resolved against the config file's directory.

Fails:
    authentication:
      x509: {}
Passes:
    authentication:
      x509:
        clientCAFile: /etc/kubernetes/pki/ca.crt
Fix: none automatic (the path to the cluster CA is the owner's to know).
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
    unless_server_off,
)

PATH = "authentication.x509.clientCAFile"
FLAG = "--client-ca-file"
EXAMPLE = "/etc/kubernetes/pki/ca.crt"


def check(view: KubeletView) -> Iterator[Finding]:
    value = view.get(PATH)
    if isinstance(value, str) and value.strip():
        return
    state = "is empty" if view.is_set(PATH) else "is not set"
    yield Finding(
        locate(view, PATH),
        f"{PATH} {state} ({provenance(view, PATH)}): the kubelet cannot verify client certificates, "
        "so the API server's calls (logs, exec, port-forward) are treated as anonymous"
        f"{SERVER_OFF_NOTE if server_disabled(view) else ''}; {remedy(view, PATH, EXAMPLE, FLAG)}",
        severity=unless_server_off(view),
        hint="point it at the CA that signed the API server's kubelet client certificate "
             "(kubeadm: /etc/kubernetes/pki/ca.crt)",
    )


RULE = define(__doc__, code="KL404", name="client-ca-missing", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check, cis=("4.2.3",),
              tags=("kube-bench:4.2.3", "kubescape:C-0174", "kubescape:C-0070", "checkov:CKV_K8S_140"))
