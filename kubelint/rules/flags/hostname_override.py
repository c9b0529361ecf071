"""``--hostname-override`` is set (CIS 4.2.7).

Why: the node registers under the given name instead of its hostname. The
kubelet's self-signed serving certificate and its bootstrap CSR then name
something other than what DNS and the API server see, which can break TLS
between the API server and the kubelet (``kubectl logs``/``exec``) and
confuses every tool that maps nodes to hosts. CIS 4.2.7 asks to leave it
unset; some clouds need it, so this is advice (kube-bench, kubescape C-0179
and checkov CKV_K8S_146 check the same). The seed's binary install sets
``--hostname-override=k8s-master``.

Fails:
    KUBELET_OPTS="--hostname-override=k8s-master --config=/opt/kubernetes/cfg/kubelet-config.yml"
Passes:
    KUBELET_OPTS="--config=/opt/kubernetes/cfg/kubelet-config.yml"
Fix: none automatic: renaming a registered node means a new Node object
(drain it, delete it, let the kubelet register again under the hostname).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.contexts import CommandLineContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.rules.flags._support import flag_location, shown


def check(context: CommandLineContext) -> Iterator[Finding]:
    occurrence = context.command_line.flag("hostname-override")
    if occurrence is None or not occurrence.value:
        return
    yield Finding(
        flag_location(occurrence, context.command_line),
        f"`{shown(occurrence)}={occurrence.value}` registers the node as {occurrence.value!r} instead of its "
        "hostname (CIS 4.2.7): certificates and DNS then disagree with the node name, which can break TLS "
        "between the API server and the kubelet; remove it unless your cloud provider requires it",
        hint="changing the name of a registered node means draining and deleting the Node so that it registers "
             "again",
    )


RULE = define(__doc__, code="KL209", name="hostname-override", severity=Severity.INFO, scope=Scope.COMMAND_LINE,
              check=check, cis=("4.2.7",),
              tags=("kube-bench:4.2.7", "kubescape:C-0179", "checkov:CKV_K8S_146"))
