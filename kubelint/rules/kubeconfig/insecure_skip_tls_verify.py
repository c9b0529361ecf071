"""A cluster sets ``insecure-skip-tls-verify: true``.

Why: the kubelet then accepts any certificate from whatever answers at the
server address, so anyone on the path can impersonate the API server, feed
the node pods and collect its credentials (a bootstrap token is handed over
on the first request). With a CA also set (``certificate-authority`` or
``-data``) it is worse than pointless: client-go refuses to build the
client (``specifying a root certificates file with the insecure flag is not
allowed``) and the kubelet exits, so that case is an error for the cluster
in use.

Fails:
    clusters:
    - name: kubernetes
      cluster:
        server: https://10.0.0.10:6443
        insecure-skip-tls-verify: true
Passes:
    clusters:
    - name: kubernetes
      cluster:
        server: https://10.0.0.10:6443
        certificate-authority: /etc/kubernetes/pki/ca.crt
Fix: unsafe, when a CA is set: the ``insecure-skip-tls-verify`` key is removed
so the CA is used. Without a CA, embed the cluster CA first
(``kubectl config set-cluster NAME --certificate-authority=ca.crt --embed-certs``).
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import at, decoded, delete_fix, in_use, quote, role, unused_note


def check(context: KubeconfigContext) -> Iterator[Finding]:
    who = {"bootstrap": "the bootstrap token", "kubeconfig": "the kubelet's credentials"}.get(role(context) or "", "the credentials")
    for entry in decoded(context).config.named_clusters():
        cluster = entry.value
        if cluster.insecure_skip_tls_verify is not True:
            continue
        path = entry.path("insecure-skip-tls-verify")
        ca_key = "certificate-authority-data" if cluster.certificate_authority_data else "certificate-authority"
        if cluster.certificate_authority or cluster.certificate_authority_data:
            yield Finding(
                at(context, path, key=True),
                f"cluster {quote(entry.name)} sets insecure-skip-tls-verify together with {ca_key}: client-go fails with "
                f"\"specifying a root certificates file with the insecure flag is not allowed\"{unused_note(context, entry)}",
                severity=Severity.ERROR if in_use(context, entry) else Severity.WARNING,
                related=(Related(at(context, entry.path(ca_key), key=True), ca_key),),
                fix=delete_fix(context, path, "remove insecure-skip-tls-verify and verify the server with the CA"),
            )
            continue
        yield Finding(
            at(context, path, key=True),
            f"cluster {quote(entry.name)} skips TLS verification: anything answering at the server address can "
            f"impersonate the API server and receive {who}",
            hint="embed the cluster CA instead: kubectl config set-cluster NAME --certificate-authority=ca.crt --embed-certs",
        )


RULE = define(__doc__, code="KL530", name="insecure-skip-tls-verify", severity=Severity.WARNING,
              scope=Scope.KUBECONFIG, check=check, fixable=True)
