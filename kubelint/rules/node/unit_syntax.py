"""A systemd unit or drop-in line that systemd misreads or ignores.

Why: systemd skips what it cannot parse with only a log line, so a typo in
the kubelet unit silently drops a setting: a directive outside any section,
a line without ``=``, a section header in the wrong case (``[service]``) or
translated, a key in the wrong case (``execStart``), typographic quotes
(``“...”``) pasted from a web page, an unknown escape or specifier. The
seed article's own copy of ``10-kubeadm.conf`` has several of these.

Fails:
    [service]
    Environment=“KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml”
Passes:
    [Service]
    Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
Fix: none automatic; retype the line with ASCII quotes and the right case.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL701", name="unit-syntax", severity=Severity.WARNING, scope=Scope.LOAD)
