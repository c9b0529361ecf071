"""A user has a client certificate but no key.

Why: client-go needs the private key to use the certificate: ``client-key-data
or client-key must be specified for U to use the clientCert authentication
method.``, and the kubelet refuses the kubeconfig. The kubelet's rotated
``kubelet-client-current.pem`` holds certificate **and** key, so kubeadm's
``kubelet.conf`` names that one file twice; dropping the ``client-key`` line
breaks it. A key without a certificate is not an error. An error for the
user in use, a warning for the others.

Fails:
    users:
    - name: system:node:worker-1
      user:
        client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
Passes:
    users:
    - name: system:node:worker-1
      user:
        client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
        client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
Fix: unsafe, when the certificate is the kubelet's combined
``kubelet-client-current.pem``: ``client-key`` is set to the same file.
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Fix, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import decoded, field_location, set_fix, severity_for, unused_note

COMBINED_PEM_NAME = "kubelet-client-current.pem"


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_users():
        user = entry.value
        if not user.has_client_certificate() or user.has_client_key():
            continue
        fix: Fix | None = None
        hint = "add client-key (a file path) or client-key-data (base64) with the certificate's private key"
        certificate = user.client_certificate or ""
        if certificate.endswith(COMBINED_PEM_NAME) and not user.client_certificate_data:
            fix = set_fix(context, entry.path("client-key"), certificate, f"set client-key to {certificate}")
            hint = f"{COMBINED_PEM_NAME} holds the certificate and the key: name it as client-key too"
        yield Finding(
            field_location(context, entry, "client-certificate", "client-certificate-data"),
            f"client-key-data or client-key must be specified for {entry.name} to use the clientCert "
            f"authentication method{unused_note(context, entry)}",
            severity=severity_for(context, entry),
            fix=fix,
            hint=hint,
        )


RULE = define(__doc__, code="KL518", name="client-key-missing", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check, fixable=True)
