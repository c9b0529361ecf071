"""The kubelet server is disabled, yet authentication/TLS settings are configured.

Why: ``enableServer: false`` means nothing listens on port 10250: no
``kubectl logs``/``exec``/``port-forward``, no metrics for metrics-server or
Prometheus, no API-server health checks through the kubelet. Authentication,
authorization and TLS settings then have no effect, which usually means the
setting was turned off by mistake (or the other settings are leftovers).
The read-only port is served separately and is not affected.

Fails:
    enableServer: false
    authentication:
      webhook:
        enabled: true
Passes:
    enableServer: true
    authentication:
      webhook:
        enabled: true
Fix: none automatic (which half is intended is the owner's call).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView, dotted, iter_leaf_paths
from kubelint.rules.security._common import locate, provenance, server_disabled, written_in

PATH = "enableServer"
SERVER_SETTINGS = ("authentication", "authorization", "tlsCertFile", "tlsPrivateKeyFile", "tlsCipherSuites",
                   "tlsMinVersion", "serverTLSBootstrap", "port", "address")


def explicit_server_settings(view: KubeletView) -> list[str]:
    found: list[str] = []
    for name in SERVER_SETTINGS:
        raw = view.raw(name)
        if raw is None:
            continue
        leaves = list(iter_leaf_paths(raw, (name,))) if isinstance(raw, dict) else [(name,)]
        found.extend(dotted(leaf) for leaf in leaves)
    return found


def check(view: KubeletView) -> Iterator[Finding]:
    if not server_disabled(view):
        return
    settings = explicit_server_settings(view)
    if not settings:
        return
    shown = ", ".join(settings[:4]) + (f" and {len(settings) - 4} more" if len(settings) > 4 else "")
    yield Finding(
        locate(view, PATH),
        f"{PATH} is false ({provenance(view, PATH)}), so {shown} have no effect and kubectl logs/exec and "
        f"metrics do not work on this node; set {PATH}: true in {written_in(view, PATH) or 'the config file'} "
        "or drop the unused settings",
        related=tuple(Related(locate(view, name), f"{name} is set but unused") for name in settings[:4]),
    )


RULE = define(__doc__, code="KL420", name="server-disabled-settings-unused", severity=Severity.INFO,
              scope=Scope.KUBELET, check=check)
