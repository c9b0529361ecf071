"""A file kubelint was asked to read cannot be read.

Why: a path that does not exist, a permission error, a symlink loop or a
directory where a file is expected means the host (and the kubelet) cannot
read it either; kubelint reports it instead of crashing.

Fails:
    kubelint check /etc/kubernetes/missing.yaml
Passes:
    kubelint check /var/lib/kubelet/config.yaml
Fix: none automatic; correct the path or the permissions.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL001", name="unreadable-file", severity=Severity.ERROR, scope=Scope.LOAD)
