"""A file the kubelet uses is more open than the CIS benchmark allows.

Why: the CIS Kubernetes benchmark (1.12, checks 4.1.1, 4.1.5, 4.1.7, 4.1.9
and, in 2.1, 4.1.11) limits who may read or change what configures the
kubelet: the unit and its drop-ins 600, the ``--kubeconfig`` 600, the
kubelet config file 600, the client CA 644, the ``--config-dir`` directory
755 and its files 644. kubelint applies 600 to the environment files the
unit loads, the bootstrap kubeconfig and the private keys as well. The
files are the ones this kubelet really uses (kube-bench checks the first
path of a fixed list). When a parent directory is closed to group and
others (``0700``), the file cannot be reached through it: reported as
info, with the reason (kube-bench#1598). Only with ``kubelint node
--root``: modes in a git checkout mean nothing.

Fails:
    -rw-r--r-- root root /etc/kubernetes/kubelet.conf
Passes:
    -rw------- root root /etc/kubernetes/kubelet.conf
Fix: none automatic: ``chmod 600`` (``644`` for the CA and drop-ins,
``755`` for the drop-in directory).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.contexts import NodeContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.rules.node._files import closed_parent, deduplicated, file_location, stat_target


def check(context: NodeContext) -> Iterator[Finding]:
    root = context.node.root
    if not context.real_root or root is None:
        return
    for target in deduplicated(context.node):
        found = stat_target(root, target)
        if found is None:
            continue
        extra = found.mode & ~target.max_mode
        if not extra:
            continue
        who = "others" if not extra & 0o070 else "its group" if not extra & 0o007 else "group and others"
        rights = "write to it" if extra & 0o022 else "read it" if extra & 0o044 else "use it"
        cis = f" (CIS {target.mode_cis})" if target.mode_cis else ""
        message = (f"{target.what} {found.display} has mode {found.mode:04o}, more open than {target.max_mode:04o}"
                   f"{cis}: {who} can {rights}, and {target.why}")
        severity = None
        hidden = closed_parent(root, found)
        if hidden is not None:
            message += (f"; its directory {hidden[0]} is {hidden[1]:04o}, so nobody else can reach it today, "
                        "but scanners such as kube-bench still fail it")
            severity = Severity.INFO
        yield Finding(file_location(found), message, severity=severity,
                      hint=f"chmod {target.max_mode:o} /{found.display}", related=target.related)


RULE = define(__doc__, code="KL715", name="file-permissions", severity=Severity.WARNING, scope=Scope.NODE,
              check=check, cis=("4.1.1", "4.1.5", "4.1.7", "4.1.9", "4.1.11"),
              tags=("kube-bench:4.1.1", "kube-bench:4.1.5", "kube-bench:4.1.7", "kube-bench:4.1.9"))
