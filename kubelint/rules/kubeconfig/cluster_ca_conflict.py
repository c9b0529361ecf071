"""A cluster sets both ``certificate-authority`` and ``certificate-authority-data``.

Why: despite the wording of its message (``certificate-authority-data and
certificate-authority are both specified for X. certificate-authority-data
will override.``) client-go treats this as a validation **error** and the
kubelet refuses the kubeconfig. It appears when ``kubectl config
set-cluster --embed-certs`` is run over an entry that already named a file.
An error for the cluster in use, a warning for the others.

Fails:
    clusters:
    - name: kubernetes
      cluster:
        server: https://10.0.0.10:6443
        certificate-authority: /etc/kubernetes/pki/ca.crt
        certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1J...
Passes:
    clusters:
    - name: kubernetes
      cluster:
        server: https://10.0.0.10:6443
        certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1J...
Fix: unsafe: the ``certificate-authority`` path is removed, keeping the
embedded data (which client-go's message says it would prefer).
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import at, decoded, delete_fix, severity_for, unused_note


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_clusters():
        cluster = entry.value
        if not (cluster.certificate_authority and cluster.certificate_authority_data):
            continue
        yield Finding(
            at(context, entry.path("certificate-authority"), key=True),
            f"certificate-authority-data and certificate-authority are both specified for {entry.name}: "
            f"client-go refuses the cluster{unused_note(context, entry)}",
            severity=severity_for(context, entry),
            related=(Related(at(context, entry.path("certificate-authority-data"), key=True),
                             "certificate-authority-data"),),
            fix=delete_fix(context, entry.path("certificate-authority"),
                           "remove certificate-authority and keep certificate-authority-data"),
            hint="keep one of the two",
        )


RULE = define(__doc__, code="KL513", name="cluster-ca-conflict", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check, fixable=True)
