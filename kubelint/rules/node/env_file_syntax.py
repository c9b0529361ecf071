"""An environment file line that systemd reads differently than it looks.

Why: ``EnvironmentFile=`` has its own syntax, not the shell's. ``export
KEY=value`` is not an assignment to systemd; a ``#`` inside a quoted,
continued value (the seed's ``KUBELET_OPTS`` file puts comments after its
``\\`` continuations) becomes part of the value and breaks the kubelet's
command line; an unterminated quote swallows the rest of the file; ``$VAR``
is never expanded inside an env file.

Fails:
    KUBELET_OPTS="--v=2 \\
    --config=/opt/kubernetes/cfg/kubelet-config.yml \\   # config file
    --cert-dir=/opt/kubernetes/ssl"
Passes:
    KUBELET_OPTS="--v=2 \\
    --config=/opt/kubernetes/cfg/kubelet-config.yml \\
    --cert-dir=/opt/kubernetes/ssl"
Fix: none automatic; move comments to their own lines outside the value.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL702", name="env-file-syntax", severity=Severity.WARNING, scope=Scope.LOAD)
