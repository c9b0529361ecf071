"""The file is not UTF-8 text.

Why: the kubelet, systemd and kubectl read configuration as UTF-8. A file
saved as Latin-1 or UTF-16 by an editor on another OS is misread or
rejected.

Fails:
    a kubeadm-flags.env saved as UTF-16 with a byte order mark
Passes:
    the same file saved as UTF-8
Fix: none automatic; re-save the file as UTF-8 (``iconv -f UTF-16 -t UTF-8``).
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL003", name="file-encoding", severity=Severity.ERROR, scope=Scope.LOAD)
