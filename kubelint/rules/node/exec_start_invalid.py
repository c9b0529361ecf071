"""The kubelet unit ends up with no ``ExecStart=``, or with more than one.

Why: a drop-in that sets ``ExecStart=/usr/bin/kubelet ...`` without first
resetting the list with an empty ``ExecStart=`` adds a second command, and
systemd refuses to load a ``Type=simple`` service with two ("Service has
more than one ExecStart= setting"). A reset with nothing after it leaves
none.

Fails:
    # 10-kubeadm.conf
    [Service]
    ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS
Passes:
    [Service]
    ExecStart=
    ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS
Fix: none automatic; add the empty ``ExecStart=`` reset before the drop-in's own.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL705", name="exec-start-invalid", severity=Severity.ERROR, scope=Scope.LOAD)
