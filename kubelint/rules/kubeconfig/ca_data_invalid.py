"""``certificate-authority-data`` decodes, but holds no PEM certificate.

Why: client-go builds its trust pool from the CA data when it creates the
client and fails (``unable to load root certificates: unable to parse bytes
as PEM block`` or ``no valid certificate authority data seen``), so the
kubelet exits. Typical causes: the base64 of a DER file, a value
base64-encoded twice, or the CA's private key pasted instead of its
certificate. An error for the cluster in use, a warning for the others.

Fails:
    clusters:
    - name: kubernetes
      cluster:
        server: https://10.0.0.10:6443
        certificate-authority-data: TFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2sxSlNVTT0=
Passes:
    clusters:
    - name: kubernetes
      cluster:
        server: https://10.0.0.10:6443
        certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1J...
Fix: none automatic; embed the cluster CA again (``base64 -w0 /etc/kubernetes/pki/ca.crt``).
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.models.kubeconfig import describe_pem_content, has_certificate, pem_blocks
from kubelint.rules.kubeconfig._support import at, decoded, quote, severity_for, unused_note


def upstream_reason(data: bytes) -> str:
    """client-go's wording for CA data that yields no certificate."""
    if not pem_blocks(data):
        return "unable to parse bytes as PEM block"
    return "no valid certificate authority data seen"


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_clusters():
        data = entry.value.certificate_authority_data
        if not data or has_certificate(data):
            continue
        yield Finding(
            at(context, entry.path("certificate-authority-data")),
            f"certificate-authority-data of cluster {quote(entry.name)} holds {describe_pem_content(data)}, "
            f"not a PEM certificate: client-go fails with \"unable to load root certificates: "
            f"{upstream_reason(data)}\"{unused_note(context, entry)}",
            severity=severity_for(context, entry),
            hint="embed the base64 of the CA's PEM certificate: base64 -w0 /etc/kubernetes/pki/ca.crt",
        )


RULE = define(__doc__, code="KL523", name="ca-data-invalid", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check)
