"""Bearer tokens are not checked: webhook authentication is off.

Why: with ``authentication.webhook.enabled: false`` the kubelet cannot vet
bearer tokens through the API server (TokenReview). Only client
certificates authenticate; token-carrying callers (metrics-server,
Prometheus, kubectl through a service account) fall through to anonymous,
which either fails them or, with anonymous auth on, lets them in unchecked.
The config-file default is true; a kubelet without ``--config`` defaults to
false (legacy flag default). The ``Webhook`` authorization mode is meant to
run with it.

Fails:
    authentication:
      webhook:
        enabled: false
Passes:
    authentication:
      webhook:
        enabled: true
        cacheTTL: 2m
Fix: none automatic (turning it on makes the kubelet call the API server for
every new token; check that the node's credentials allow TokenReview).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.security._common import (
    SERVER_OFF_NOTE,
    locate,
    provenance,
    remedy,
    server_disabled,
    unless_server_off,
)

PATH = "authentication.webhook.enabled"
FLAG = "--authentication-token-webhook"


def check(view: KubeletView) -> Iterator[Finding]:
    if view.get(PATH) is not False:
        return
    fallback = ("admitted as anonymous" if view.get("authentication.anonymous.enabled") is True
                else "rejected as anonymous")
    yield Finding(
        locate(view, PATH),
        f"webhook token authentication is disabled ({provenance(view, PATH)}): bearer tokens are not "
        f"verified and their requests are {fallback}"
        f"{SERVER_OFF_NOTE if server_disabled(view) else ''}; {remedy(view, PATH, True, FLAG)}",
        severity=unless_server_off(view),
    )


RULE = define(__doc__, code="KL403", name="webhook-authentication-disabled", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check)
