"""A cluster entry has no ``server``.

Why: without a server URL client-go has nothing to connect to: ``no server
found for cluster "X"``, or for an entry with nothing in it at all
``cluster has no server defined`` (reported to the kubelet as ``no
configuration has been provided``). An error for the cluster in use, a
warning for the others.

Fails:
    clusters:
    - name: kubernetes
      cluster:
        certificate-authority: /etc/kubernetes/pki/ca.crt
Passes:
    clusters:
    - name: kubernetes
      cluster:
        certificate-authority: /etc/kubernetes/pki/ca.crt
        server: https://10.0.0.10:6443
Fix: none automatic; the API server's address (or its load balancer's) is the owner's to give.
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import (
    decoded,
    entry_location,
    field_location,
    quote,
    severity_for,
    unused_note,
)


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_clusters():
        if entry.value.server:
            continue
        if entry.value.is_empty():
            where, upstream = entry_location(context, entry), "cluster has no server defined"
        else:
            where = field_location(context, entry, "server")
            upstream = f"no server found for cluster {quote(entry.name)}" if entry.name else "default cluster has no server defined"
        yield Finding(
            where,
            f"{upstream}: the kubelet cannot reach the API server{unused_note(context, entry)}",
            severity=severity_for(context, entry),
            hint="set server: https://<api-server or load balancer>:6443",
        )


RULE = define(__doc__, code="KL511", name="cluster-server-missing", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check)
