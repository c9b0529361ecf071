"""A user with a client certificate sets both ``client-key`` and ``client-key-data``.

Why: client-go rejects the user (``client-key-data and client-key are both
specified for U; client-key-data will override``, an error despite its
wording) and the kubelet refuses the kubeconfig. Only checked when the user
has a client certificate, as client-go does. An error for the user in use,
a warning for the others.

Fails:
    users:
    - name: system:node:worker-1
      user:
        client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
        client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
        client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo...
Passes:
    users:
    - name: system:node:worker-1
      user:
        client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
        client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
Fix: unsafe: ``client-key-data`` is removed, keeping the key file.
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import at, decoded, delete_fix, severity_for, unused_note


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_users():
        user = entry.value
        if not (user.has_client_certificate() and user.client_key and user.client_key_data):
            continue
        yield Finding(
            at(context, entry.path("client-key-data"), key=True),
            f"client-key-data and client-key are both specified for {entry.name}: client-go refuses the user"
            f"{unused_note(context, entry)}",
            severity=severity_for(context, entry),
            related=(Related(at(context, entry.path("client-key"), key=True), "client-key"),),
            fix=delete_fix(context, entry.path("client-key-data"), "remove client-key-data and keep the client-key file"),
            hint="keep one of the two, matching the client certificate",
        )


RULE = define(__doc__, code="KL517", name="client-key-conflict", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check, fixable=True)
