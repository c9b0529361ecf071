"""A file the kubelet uses is not owned by root:root.

Why: the CIS Kubernetes benchmark (1.12, checks 4.1.2, 4.1.6, 4.1.8, 4.1.10
and, in 2.1, 4.1.11) wants the kubelet's unit and drop-ins, its
kubeconfig, its client CA, its config file and its ``--config-dir`` owned
by ``root:root``: the owner can always change the mode and the content,
so a non-root owner can reconfigure or impersonate the kubelet. kubelint
checks the environment files, the bootstrap kubeconfig and the private
keys too. Only with ``kubelint node --root`` (owners in a git checkout
mean nothing); owners are shown as numbers, as they are on the node's disk.

Fails:
    -rw------- 1000 1000 /var/lib/kubelet/config.yaml
Passes:
    -rw------- root root /var/lib/kubelet/config.yaml
Fix: none automatic: ``chown root:root`` the file.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.contexts import NodeContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.rules.node._files import deduplicated, file_location, stat_target


def check(context: NodeContext) -> Iterator[Finding]:
    root = context.node.root
    if not context.real_root or root is None:
        return
    for target in deduplicated(context.node):
        found = stat_target(root, target)
        if found is None or (found.uid, found.gid) == (0, 0):
            continue
        cis = f" (CIS {target.owner_cis})" if target.owner_cis else ""
        yield Finding(file_location(found),
                      f"{target.what} {found.display} is owned by {found.uid}:{found.gid}, not root:root{cis}: "
                      f"its owner can change it, and {target.why}",
                      hint=f"chown root:root /{found.display}", related=target.related)


RULE = define(__doc__, code="KL716", name="file-owner", severity=Severity.WARNING, scope=Scope.NODE,
              check=check, cis=("4.1.2", "4.1.6", "4.1.8", "4.1.10", "4.1.11"),
              tags=("kube-bench:4.1.2", "kube-bench:4.1.6", "kube-bench:4.1.8", "kube-bench:4.1.10"))
