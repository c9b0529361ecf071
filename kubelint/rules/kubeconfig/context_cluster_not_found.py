"""A context names no cluster, or a cluster that is not in ``clusters``.

Why: with a dangling cluster reference client-go has no server for the
kubelet and fails with ``no configuration has been provided`` (validation:
``cluster was not specified for context "C"`` or ``cluster "X" was not
found for context "C"``). An error for the context in use, a warning for
the others.

Fails:
    clusters:
    - name: kubernetes
      cluster:
        server: https://10.0.0.10:6443
    contexts:
    - name: default-context
      context:
        cluster: default-cluster
        user: default-auth
Passes:
    clusters:
    - name: kubernetes
      cluster:
        server: https://10.0.0.10:6443
    contexts:
    - name: default-context
      context:
        cluster: kubernetes
        user: default-auth
Fix: unsafe, when the file has exactly one cluster: the context is pointed at it.
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Fix, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import (
    at,
    decoded,
    field_location,
    quote,
    set_fix,
    severity_for,
    unused_note,
)


def check(context: KubeconfigContext) -> Iterator[Finding]:
    config = decoded(context).config
    clusters = [entry.name for entry in config.named_clusters() if entry.name]
    for entry in config.named_contexts():
        wanted = entry.value.cluster or ""
        if wanted and config.find_cluster(wanted) is not None:
            continue
        fix: Fix | None = None
        if len(clusters) == 1:
            fix = set_fix(context, entry.path("cluster"), clusters[0],
                          f"set the context's cluster to {quote(clusters[0])}")
        if wanted:
            where = at(context, entry.path("cluster"))
            upstream = f"cluster {quote(wanted)} was not found for context {quote(entry.name)}"
        else:
            where = field_location(context, entry, "cluster")
            upstream = f"cluster was not specified for context {quote(entry.name)}"
        yield Finding(
            where,
            f"{upstream}: the kubelet has no API server to talk to{unused_note(context, entry)}",
            severity=severity_for(context, entry),
            fix=fix,
            hint=("clusters in this file: " + ", ".join(quote(c) for c in clusters)) if clusters else "the file has no clusters",
        )


RULE = define(__doc__, code="KL509", name="context-cluster-not-found", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check, fixable=True)
