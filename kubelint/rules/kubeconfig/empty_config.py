"""The kubeconfig configures nothing: no clusters, users, contexts or current-context.

Why: an empty kubeconfig (a file truncated by a failed ``kubeadm join``, or
one holding only ``apiVersion``/``kind``) gives client-go nothing to connect
to: ``no configuration has been provided, try setting KUBERNETES_MASTER
environment variable``, and the kubelet exits.

Fails:
    apiVersion: v1
    kind: Config
    preferences: {}
Passes:
    apiVersion: v1
    kind: Config
    clusters:
    - name: kubernetes
      cluster:
        server: https://10.0.0.10:6443
        certificate-authority: /etc/kubernetes/pki/ca.crt
    users:
    - name: default-auth
      user:
        client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
        client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
    contexts:
    - name: default-context
      context:
        cluster: kubernetes
        user: default-auth
    current-context: default-context
Fix: none automatic; regenerate the file (``kubeadm join`` or the bootstrap).
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import decoded, document_anchor


def check(context: KubeconfigContext) -> Iterator[Finding]:
    result = decoded(context)
    if result.problems or not result.config.is_empty():
        return  # a file client-go cannot decode is reported as such
    yield Finding(
        document_anchor(context),
        "the kubeconfig defines no clusters, users, contexts or current-context: client-go fails with "
        "\"no configuration has been provided\"",
        hint="regenerate it: kubeadm writes kubelet.conf on join; a bootstrap kubeconfig comes from kubectl config set-*",
    )


RULE = define(__doc__, code="KL504", name="kubeconfig-empty", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check)
