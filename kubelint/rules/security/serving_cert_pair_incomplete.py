"""Only one of ``tlsCertFile`` and ``tlsPrivateKeyFile`` is set.

Why: the kubelet loads the serving key pair from both files whenever either
is non-empty; with one of them missing, loading fails and the kubelet's
server exits at start. Validation does not catch it, so the node only
breaks when the kubelet restarts. This holds with ``serverTLSBootstrap``
too.

Fails:
    tlsCertFile: /var/lib/kubelet/pki/kubelet.crt
Passes:
    tlsCertFile: /var/lib/kubelet/pki/kubelet.crt
    tlsPrivateKeyFile: /var/lib/kubelet/pki/kubelet.key
Fix: none automatic (the missing path is the owner's to know).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.security._common import locate, provenance, remedy, set_by_flag
from kubelint.rules.security.serving_cert_self_signed import CERT, KEY, has_value

FLAGS = {CERT: "--tls-cert-file", KEY: "--tls-private-key-file"}


def check(view: KubeletView) -> Iterator[Finding]:
    cert, key = has_value(view, CERT), has_value(view, KEY)
    if cert == key:
        return
    present, missing = (CERT, KEY) if cert else (KEY, CERT)
    example = str(view.get(present)).rsplit(".", 1)[0] + (".key" if missing == KEY else ".crt")
    if set_by_flag(view, present):
        todo = f"add {FLAGS[missing]}={example} next to {FLAGS[present]}"
    else:
        todo = remedy(view, missing, example, FLAGS[missing])
    yield Finding(
        locate(view, present),
        f"{present} has a value ({provenance(view, present)}) but {missing} has none: the kubelet cannot "
        f"load its serving key pair and its server fails at start; {todo}",
        hint="or remove both and set serverTLSBootstrap: true to get the certificate from the cluster CA",
    )


RULE = define(__doc__, code="KL410", name="serving-cert-pair-incomplete", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check, cis=("4.2.9",),
              tags=("kube-bench:4.2.9", "kubescape:C-0181", "checkov:CKV_K8S_148"))
