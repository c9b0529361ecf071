"""No ``kubelet.service`` on the node, or it is masked.

Why: ``kubelint node --root DIR`` resolves the kubelet the way systemd
does, starting from ``kubelet.service`` in the unit search path. If there
is none (or it links to ``/dev/null``), systemd has nothing to start.

Fails:
    node/etc/systemd/system/kubelet.service -> /dev/null
Passes:
    node/lib/systemd/system/kubelet.service
Fix: none automatic; install the kubelet package or unmask the unit.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL706", name="kubelet-unit-missing", severity=Severity.ERROR, scope=Scope.LOAD)
