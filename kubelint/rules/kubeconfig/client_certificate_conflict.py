"""A user sets both ``client-certificate`` and ``client-certificate-data``.

Why: client-go rejects the user (``client-cert-data and client-cert are
both specified for U. client-cert-data will override.``, an error despite
its wording) and the kubelet refuses the kubeconfig. It appears when a
kubeadm ``kubelet.conf`` that embedded its certificate is edited to point
at ``/var/lib/kubelet/pki/kubelet-client-current.pem`` without removing the
old data. An error for the user in use, a warning for the others.

Fails:
    users:
    - name: system:node:worker-1
      user:
        client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
        client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1J...
        client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
Passes:
    users:
    - name: system:node:worker-1
      user:
        client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
        client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
Fix: unsafe: ``client-certificate-data`` is removed, keeping the file, which
the kubelet's certificate rotation keeps current (the embedded copy expires).
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import at, decoded, delete_fix, severity_for, unused_note


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_users():
        user = entry.value
        if not (user.client_certificate and user.client_certificate_data):
            continue
        yield Finding(
            at(context, entry.path("client-certificate-data"), key=True),
            f"client-cert-data and client-cert are both specified for {entry.name}: client-go refuses the user"
            f"{unused_note(context, entry)}",
            severity=severity_for(context, entry),
            related=(Related(at(context, entry.path("client-certificate"), key=True), "client-certificate"),),
            fix=delete_fix(context, entry.path("client-certificate-data"),
                           "remove client-certificate-data and keep the client-certificate file"),
            hint="keep one of the two (a file path lets certificate rotation work)",
        )


RULE = define(__doc__, code="KL516", name="client-certificate-conflict", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check, fixable=True)
