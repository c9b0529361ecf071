"""A symlink in the node tree points outside the root being linted.

Why: with ``--root DIR`` kubelint reads DIR as a node's filesystem and
never reads outside it: an absolute symlink such as ``/etc/kubernetes ->
/mnt/shared`` would otherwise make it lint this machine's files instead of
the node image's. The link is not followed.

Fails:
    node/etc/kubernetes/kubelet.conf -> /etc/kubernetes/admin.conf
Passes:
    node/etc/kubernetes/kubelet.conf -> ../../var/lib/kubelet/kubeconfig
Fix: none automatic; make the link relative inside the tree, or copy the file.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL013", name="symlink-escapes-root", severity=Severity.WARNING, scope=Scope.LOAD)
