"""``ExecStart=`` references a variable that nothing sets.

Why: systemd expands an unset ``$VAR`` to nothing, without a warning. A
typo in a variable name (``$KUBEET_CONFIG_ARGS``, ``$kubelet_KUBECONFIG_ARGS``
— both in the seed article) makes the kubelet start without its
``--config`` or ``--kubeconfig`` flags: it then runs on flag defaults
(anonymous auth, AlwaysAllow, read-only port 10255) or never joins.

Fails:
    ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBEET_CONFIG_ARGS
Passes:
    ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS
Fix: none automatic; correct the variable name (the message suggests the
closest variable that is set).
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL703", name="unset-variable", severity=Severity.ERROR, scope=Scope.LOAD)
