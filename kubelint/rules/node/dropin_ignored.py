"""A kubelet drop-in that systemd does not apply.

Why: a drop-in with the same file name in a higher-priority directory
(``/etc`` over ``/run`` over ``/usr/lib``) hides the lower one entirely, and
files in ``kubelet.service.d/`` that do not end in ``.conf`` are ignored.
An edit to the hidden copy (often the packaged ``10-kubeadm.conf``) has no
effect.

Fails:
    /usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf   # hidden by
    /etc/systemd/system/kubelet.service.d/10-kubeadm.conf
Passes:
    one 10-kubeadm.conf, plus 20-extra.conf next to it
Fix: none automatic; edit the copy that wins, or give drop-ins distinct names.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL707", name="dropin-ignored", severity=Severity.INFO, scope=Scope.LOAD)
