"""A bootstrap kubeconfig's token is not a bootstrap token (``[a-z0-9]{6}.[a-z0-9]{16}``).

Why: TLS bootstrap is meant to run on a bootstrap token: a public id and a
secret part (six and sixteen lower-case letters or digits), stored as a
``bootstrap-token-<id>`` Secret in kube-system that can expire and be
deleted, and limited to the ``system:bootstrappers`` groups. Anything else is usually a static
``--token-auth-file`` entry (binary installs' ``token.csv``, 32 hex
characters) that never expires and needs the API server flag CIS 1.2.2 says
must not be set, or a service-account JWT. Checked on the file given to
``--bootstrap-kubeconfig`` (or named ``bootstrap-kubelet.conf`` or
``bootstrap.kubeconfig``). The token is never shown, only its kind and a
redacted form.

Fails:
    users:
    - name: kubelet-bootstrap
      user:
        token: c47ffb939f5ca36231d9e3121a252940
Passes:
    users:
    - name: kubelet-bootstrap
      user:
        token: 07401b.f395accd246ae52d
Fix: none automatic: create a bootstrap token (``kubeadm token create`` or a
``bootstrap.kubernetes.io/token`` Secret) and set it
(``kubectl config set-credentials kubelet-bootstrap --token=ID.SECRET``).
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import at, decoded, is_bootstrap_token, quote, role, shown_token


def check(context: KubeconfigContext) -> Iterator[Finding]:
    if role(context) != "bootstrap":
        return
    for entry in decoded(context).config.named_users():
        token = entry.value.token
        if not token or is_bootstrap_token(token):
            continue
        yield Finding(
            at(context, entry.path("token"), key=True),
            f"bootstrap kubeconfig user {quote(entry.name)} has a {shown_token(token)}, not a bootstrap token "
            "([a-z0-9]{6}.[a-z0-9]{16}): it cannot expire or be revoked like one",
            hint="create one with kubeadm token create --ttl 1h and make it the user's token with kubectl config set-credentials",
        )


RULE = define(__doc__, code="KL534", name="bootstrap-token-format", severity=Severity.WARNING,
              scope=Scope.KUBECONFIG, check=check, cis=("1.2.2",))
