"""The kubelet's ``--kubeconfig`` authenticates with a static token or a password.

Why: after TLS bootstrap the kubelet should authenticate with its own
client certificate, which it rotates (``rotateCertificates: true``):
kubeadm's ``kubelet.conf`` names ``/var/lib/kubelet/pki/kubelet-client-current.pem``
as both ``client-certificate`` and ``client-key``. A bearer ``token`` or
``username``/``password`` there is a long-lived secret in a file on every
node; with a bootstrap token the node even keeps the ``system:bootstrappers``
identity instead of ``system:node:<name>``, so the Node authorizer and
NodeRestriction cannot scope it. Checked on the file given to
``--kubeconfig`` (or named ``kubelet.conf``, ``kubelet.kubeconfig`` or
``/var/lib/kubelet/kubeconfig``). Secrets are never shown, only their kind
and a redacted form.

Fails:
    users:
    - name: kubelet
      user:
        token: 07401b.f395accd246ae52d
Passes:
    users:
    - name: default-auth
      user:
        client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
        client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
Fix: none automatic: remove kubelet.conf and let the kubelet bootstrap
(``--bootstrap-kubeconfig``), or write the client-certificate lines above.
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.models.kubeconfig import KUBELET_CLIENT_CERT
from kubelint.rules.kubeconfig._support import at, decoded, is_bootstrap_token, quote, role, shown_token

HINT = (f"use the kubelet's rotated client certificate: client-certificate and client-key: {KUBELET_CLIENT_CERT} "
        "(with rotateCertificates: true)")


def check(context: KubeconfigContext) -> Iterator[Finding]:
    if role(context) != "kubeconfig":
        return
    for entry in decoded(context).config.named_users():
        user = entry.value
        if user.token:
            identity = ("; it also leaves the node in system:bootstrappers instead of system:node:<name>"
                        if is_bootstrap_token(user.token) else "")
            yield Finding(
                at(context, entry.path("token"), key=True),
                f"the kubelet's kubeconfig authenticates user {quote(entry.name)} with a {shown_token(user.token)}: "
                f"a long-lived secret on the node{identity}",
                hint=HINT,
            )
        if user.username or user.password:
            password = " and a password ********" if user.password else ""
            yield Finding(
                at(context, entry.path("password" if user.password else "username"), key=True),
                f"the kubelet's kubeconfig uses basic auth for user {quote(entry.name)} (username"
                f"{' ' + quote(user.username) if user.username else ' unset'}{password}): a static password on the node",
                hint=HINT,
            )


RULE = define(__doc__, code="KL533", name="kubelet-static-credential", severity=Severity.WARNING,
              scope=Scope.KUBECONFIG, check=check)
