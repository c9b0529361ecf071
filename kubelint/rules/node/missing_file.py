"""A file the kubelet needs at start does not exist under the node root.

Why: the kubelet exits when its ``--config`` file, its client CA bundle
(``authentication.x509.clientCAFile``) or a configured serving certificate
or key cannot be read, and cannot reach the API server when neither its
``--kubeconfig`` nor a ``--bootstrap-kubeconfig`` to create it exists. A
missing ``staticPodPath`` directory means no static pods. Relative paths
in the config file are resolved against the config file's directory, as
the kubelet does.

Fails:
    authentication:
      x509:
        clientCAFile: /etc/kubernetes/pki/ca.crt    # not in the node image
Passes:
    the same, with etc/kubernetes/pki/ca.crt present under the root
Fix: none automatic; ship the file or correct the path.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL708", name="missing-file", severity=Severity.ERROR, scope=Scope.LOAD)
