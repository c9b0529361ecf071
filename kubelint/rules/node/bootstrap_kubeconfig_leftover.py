"""A bootstrap kubeconfig with a credential is still on disk next to a working kubeconfig.

Why: the kubelet reads ``--bootstrap-kubeconfig`` only while its
``--kubeconfig`` does not exist (or holds no usable certificate); once the
TLS bootstrap has written the kubeconfig, the bootstrap file is dead weight
that still carries a credential able to request node certificates.
kubeadm deletes ``/etc/kubernetes/bootstrap-kubelet.conf`` after the
bootstrap for this reason. A client certificate, a password or a static
token there is long-lived (certificates cannot be revoked before they
expire): a warning. A bootstrap token expires (24 hours by default with
``kubeadm token create``; ``--ttl 0`` never does): info. Secrets are never
shown, only their kind and the public token ID.

Fails:
    etc/kubernetes/kubelet.conf             # client-certificate: .../kubelet-client-current.pem
    etc/kubernetes/bootstrap-kubelet.conf   # user.client-certificate-data: LS0t...
Passes:
    etc/kubernetes/kubelet.conf             # and no bootstrap-kubelet.conf
Fix: none automatic: delete the bootstrap kubeconfig, and delete its token
(``kubeadm token delete <id>``) or let it expire.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.contexts import NodeContext
from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import is_bootstrap_token
from kubelint.rules.node._common import KubeconfigUser, kubeconfig_user

CREDENTIAL_FIELDS = ("client-certificate-data", "client-certificate", "client-key-data", "client-key", "token",
                     "tokenFile", "password")


def check(context: NodeContext) -> Iterator[Finding]:
    node = context.node
    working = kubeconfig_user(node, "kubeconfig")
    bootstrap = kubeconfig_user(node, "bootstrap")
    if working is None or bootstrap is None or working.credential() is None:
        return
    credential = bootstrap.credential()
    if credential is None:
        return
    short_lived = bool(bootstrap.user.value.token) and is_bootstrap_token(bootstrap.user.value.token or "")
    lifetime = ("it stays valid until the token expires" if short_lived
                else "a long-lived credential that cannot be revoked short of rotating what it names")
    related = [Related(working.location("client-certificate", "client-certificate-data", "token"),
                       f"{working.node_path} already authenticates with {working.credential()}")]
    if node.command_line is not None and (flag := node.command_line.flag("bootstrap-kubeconfig")) is not None \
            and flag.value_location is not None:
        related.append(Related(flag.value_location, "--bootstrap-kubeconfig (read only while the kubeconfig is missing)"))
    yield Finding(
        bootstrap.location(*CREDENTIAL_FIELDS),
        f"bootstrap kubeconfig {bootstrap.node_path} still holds {credential} although {working.node_path} "
        f"exists and the kubelet no longer reads the bootstrap file: {lifetime}, and anyone who reads the file can "
        "request node certificates with it",
        severity=Severity.INFO if short_lived else Severity.WARNING,
        hint=_hint(bootstrap),
        related=tuple(related),
    )


def _hint(bootstrap: KubeconfigUser) -> str:
    hint = f"delete {bootstrap.node_path} (kubeadm does after the TLS bootstrap)"
    token = bootstrap.user.value.token or ""
    if is_bootstrap_token(token):
        hint += f", then revoke the token with kubeadm token delete {token.split('.', 1)[0]}"
    return hint


RULE = define(__doc__, code="KL711", name="bootstrap-kubeconfig-leftover", severity=Severity.WARNING,
              scope=Scope.NODE, check=check)
