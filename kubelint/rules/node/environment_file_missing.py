"""An ``EnvironmentFile=`` the kubelet unit needs does not exist.

Why: without a leading ``-`` a missing environment file makes systemd
refuse to start the service ("Failed to load environment files"). With
``-`` it is skipped silently (reported here as info), which on a kubeadm
node means the kubelet starts without the ``KUBELET_KUBEADM_ARGS`` that
``kubeadm join`` would have written.

Fails:
    EnvironmentFile=/opt/kubernetes/cfg/kubelet.conf      # file absent
Passes:
    EnvironmentFile=-/etc/default/kubelet                  # optional
Fix: none automatic; create the file, or mark it optional with ``-``.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL704", name="environment-file-missing", severity=Severity.ERROR, scope=Scope.LOAD)
