"""An ``https`` cluster has no CA: neither ``certificate-authority`` nor ``certificate-authority-data``.

Why: without a CA client-go verifies the API server against the host's
system trust store. A cluster CA (kubeadm's ``/etc/kubernetes/pki/ca.crt``,
a hand-made one) is not in it, so the kubelet fails with ``x509:
certificate signed by unknown authority``; and if someone makes it "work"
by adding the CA to the system store, every other program on the host trusts
it too. Not reported with ``insecure-skip-tls-verify`` (see that rule).

Fails:
    clusters:
    - name: kubernetes
      cluster:
        server: https://10.0.0.10:6443
Passes:
    clusters:
    - name: kubernetes
      cluster:
        server: https://10.0.0.10:6443
        certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1J...
Fix: none automatic; embed the cluster CA
(``kubectl config set-cluster NAME --certificate-authority=ca.crt --embed-certs``).
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import at, decoded, quote


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_clusters():
        cluster = entry.value
        server = cluster.server or ""
        if not server.lower().startswith("https://"):
            continue
        if cluster.certificate_authority or cluster.certificate_authority_data or cluster.insecure_skip_tls_verify:
            continue
        yield Finding(
            at(context, entry.path("server")),
            f"cluster {quote(entry.name)} has no certificate-authority: the kubelet checks {server} against the "
            "host's system CAs, which do not include a cluster CA (x509: certificate signed by unknown authority)",
            hint="embed the cluster CA: kubectl config set-cluster NAME --certificate-authority=/etc/kubernetes/pki/ca.crt --embed-certs",
        )


RULE = define(__doc__, code="KL532", name="cluster-ca-missing", severity=Severity.WARNING,
              scope=Scope.KUBECONFIG, check=check)
