"""A file named on the command line is not a kind kubelint knows.

Why: kubelint recognises KubeletConfiguration (YAML/JSON and /configz
dumps), kubeconfigs, systemd units and drop-ins, kubelet env files and
containerd/CRI-O/Docker configs, by content first and path second. A file
you named explicitly that is none of these was probably not what you meant
to lint (files found while walking a directory are skipped silently; ``-v``
lists them).

Fails:
    kubelint check deployment.yaml        # a Deployment manifest
Passes:
    kubelint check /var/lib/kubelet/config.yaml
Fix: none automatic; name the right file, or add ``apiVersion``/``kind``.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL005", name="unknown-file-kind", severity=Severity.WARNING, scope=Scope.LOAD)
