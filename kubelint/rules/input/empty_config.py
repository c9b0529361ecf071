"""A kubelet configuration file is empty.

Why: the kubelet refuses an empty ``--config`` file ("kubelet config file
... was empty") and does not start.

Fails:
    an empty /var/lib/kubelet/config.yaml
Passes:
    apiVersion: kubelet.config.k8s.io/v1beta1
    kind: KubeletConfiguration
Fix: none automatic; restore the file (``kubeadm join phase kubelet-start``
rewrites it on kubeadm nodes).
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL008", name="empty-config", severity=Severity.ERROR, scope=Scope.LOAD)
