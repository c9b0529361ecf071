"""A bootstrap kubeconfig carries a client certificate and key instead of a token.

Why: the bootstrap kubeconfig exists to obtain the kubelet's certificate
with a short-lived, low-privilege token. A client certificate there is a
long-lived credential that no one can revoke before it expires (the API
server has no certificate revocation), it stays on disk after the
bootstrap, and whoever copies the file can keep requesting node
certificates. Checked on the file given to ``--bootstrap-kubeconfig`` (or
named ``bootstrap-kubelet.conf`` or ``bootstrap.kubeconfig``).

Fails:
    users:
    - name: kubelet-bootstrap
      user:
        client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1J...
        client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo...
Passes:
    users:
    - name: kubelet-bootstrap
      user:
        token: 07401b.f395accd246ae52d
Fix: none automatic: replace the certificate with a bootstrap token
(``kubectl config set-credentials kubelet-bootstrap --token=ID.SECRET``).
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import decoded, field_location, quote, role

CREDENTIAL_KEYS = ("client-certificate-data", "client-certificate", "client-key-data", "client-key")


def check(context: KubeconfigContext) -> Iterator[Finding]:
    if role(context) != "bootstrap":
        return
    for entry in decoded(context).config.named_users():
        user = entry.value
        if not (user.has_client_certificate() or user.has_client_key()):
            continue
        embedded = bool(user.client_certificate_data or user.client_key_data)
        what = "an embedded client certificate and key" if embedded else "a client certificate and key file"
        yield Finding(
            field_location(context, entry, *CREDENTIAL_KEYS),
            f"bootstrap kubeconfig user {quote(entry.name)} authenticates with {what}: a long-lived credential "
            "where a short-lived bootstrap token should be",
            hint="create a bootstrap token (kubeadm token create), make it the user's token with kubectl config set-credentials, and remove the client-* keys",
        )


RULE = define(__doc__, code="KL535", name="bootstrap-client-certificate", severity=Severity.WARNING,
              scope=Scope.KUBECONFIG, check=check)
