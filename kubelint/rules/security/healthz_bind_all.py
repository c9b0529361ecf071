"""The unauthenticated healthz endpoint listens on every interface.

Why: ``healthzBindAddress`` (default ``127.0.0.1``) serves ``/healthz`` on
``healthzPort`` (default 10248) over plain HTTP without authentication.
Binding it to ``0.0.0.0`` or ``::`` exposes it to the network, which only
makes sense when a remote health checker needs it. ``address`` (the secure
API, 0.0.0.0 by default) is not reported: the control plane must reach port
10250, which authentication and authorization protect.

Fails:
    healthzBindAddress: 0.0.0.0
Passes:
    healthzBindAddress: 127.0.0.1
Fix: none automatic (a remote checker may rely on it).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.security._common import locate, provenance, remedy

PATH = "healthzBindAddress"
FLAG = "--healthz-bind-address"
ALL_INTERFACES = frozenset({"0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0"})


def check(view: KubeletView) -> Iterator[Finding]:
    address = view.get(PATH)
    if address not in ALL_INTERFACES or view.get("healthzPort") == 0:
        return
    port = view.get("healthzPort")
    yield Finding(
        locate(view, PATH),
        f"/healthz on port {port} is served without authentication on all interfaces ({PATH} {address}, "
        f"{provenance(view, PATH)}); unless a remote checker needs it, {remedy(view, PATH, '127.0.0.1', FLAG)}",
    )


RULE = define(__doc__, code="KL419", name="healthz-bind-all-interfaces", severity=Severity.INFO,
              scope=Scope.KUBELET, check=check)
