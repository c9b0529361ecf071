"""``client-certificate-data`` holds no certificate, or ``client-key-data`` no private key.

Why: client-go builds the client's key pair when it creates the client; Go's
``tls.X509KeyPair`` then fails (``tls: failed to find any PEM data in
certificate input``, ``... in key input``, ``tls: found a certificate
rather than a key in the PEM for the private key``) and the kubelet exits.
The two fields swapped, or a value base64-encoded twice, are the usual
causes. Whether certificate and key belong together needs cryptography and
is not checked. An error for the user in use, a warning for the others.

Fails:
    users:
    - name: system:node:worker-1
      user:
        client-certificate-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo...
        client-key-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1J...
Passes:
    users:
    - name: system:node:worker-1
      user:
        client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1J...
        client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo...
Fix: none automatic.
"""

from collections.abc import Iterator
from typing import Any

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.models.kubeconfig import (
    AuthInfo,
    Named,
    describe_pem_content,
    has_certificate,
    has_private_key,
    pem_blocks,
)
from kubelint.rules.kubeconfig._support import at, decoded, quote, severity_for, unused_note


def _certificate_problem(data: bytes) -> str | None:
    if has_certificate(data):
        return None
    if not pem_blocks(data):
        return "tls: failed to find any PEM data in certificate input"
    return "tls: failed to find \"CERTIFICATE\" PEM block in certificate input"


def _key_problem(data: bytes) -> str | None:
    if has_private_key(data):
        return None
    blocks = pem_blocks(data)
    if not blocks:
        return "tls: failed to find any PEM data in key input"
    if any(block.type == "CERTIFICATE" for block in blocks):
        return "tls: found a certificate rather than a key in the PEM for the private key"
    return "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input"


def _problems(entry: Named[AuthInfo]) -> Iterator[tuple[tuple[Any, ...], str, bytes]]:
    user = entry.value
    if user.client_certificate_data:
        reason = _certificate_problem(user.client_certificate_data)
        if reason:
            yield entry.path("client-certificate-data"), reason, user.client_certificate_data
    # client-go only reads the key along with a certificate
    if user.client_key_data and user.has_client_certificate():
        reason = _key_problem(user.client_key_data)
        if reason:
            yield entry.path("client-key-data"), reason, user.client_key_data


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_users():
        for path, reason, data in _problems(entry):
            field = str(path[-1])
            yield Finding(
                at(context, path, key=True),
                f"{field} of user {quote(entry.name)} holds {describe_pem_content(data)}: client-go fails with "
                f"\"{reason}\"{unused_note(context, entry)}",
                severity=severity_for(context, entry),
                hint="client-certificate-data takes the base64 of the certificate PEM, client-key-data that of the key PEM",
            )


RULE = define(__doc__, code="KL524", name="client-data-invalid", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check)
