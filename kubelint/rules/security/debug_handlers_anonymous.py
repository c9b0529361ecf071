"""Debugging and profiling endpoints are reachable by anonymous callers.

Why: ``enableDebuggingHandlers`` (default true) serves ``/exec``, ``/run``,
``/attach``, ``/portForward`` and ``/containerLogs``;
``enableProfilingHandler`` serves ``/debug/pprof``; ``enableSystemLogHandler``
serves the node's ``/logs``. Together with anonymous authentication, an
unauthenticated caller reaches them as ``system:anonymous``: with
``AlwaysAllow`` that is remote code execution in every pod (error); with
``Webhook`` it is one careless RBAC binding for ``system:anonymous`` or
``system:unauthenticated`` away (warning). Turning anonymous auth off is the
real fix; disabling the handlers also breaks ``kubectl exec/logs``.

Fails:
    authentication:
      anonymous:
        enabled: true
    authorization:
      mode: AlwaysAllow
Passes:
    authentication:
      anonymous:
        enabled: false
Fix: none automatic (see KL401 for the anonymous-auth fix).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.security._common import locate, provenance, remedy, server_disabled

ANONYMOUS = "authentication.anonymous.enabled"
HANDLERS = {
    "enableDebuggingHandlers": "exec, attach, port-forward and container logs",
    "enableProfilingHandler": "pprof profiling",
    "enableDebugFlagsHandler": "runtime log-level changes",
    "enableSystemLogHandler": "the node's /logs",
}


def check(view: KubeletView) -> Iterator[Finding]:
    if view.get(ANONYMOUS) is not True or server_disabled(view):
        return
    enabled = [name for name in HANDLERS if view.get(name) is True]
    if not enabled:
        return
    always_allow = view.get("authorization.mode") == "AlwaysAllow"
    access = ("authorization is AlwaysAllow, so anyone who reaches port 10250 can use them"
              if always_allow else
              "only RBAC bindings for system:anonymous stand between them and any caller")
    served = "; ".join(f"{name} ({HANDLERS[name]})" for name in enabled)
    explicit = [name for name in enabled if view.is_set(name)]
    anchor = explicit[0] if explicit else ANONYMOUS
    related = tuple(Related(locate(view, name), f"{name}: true") for name in explicit[1:])
    if anchor != ANONYMOUS:
        related += (Related(locate(view, ANONYMOUS), f"anonymous authentication: {view.describe(ANONYMOUS)}"),)
    yield Finding(
        locate(view, anchor),
        f"debugging endpoints are open to anonymous callers: {served} with anonymous authentication "
        f"enabled ({provenance(view, ANONYMOUS)}); {access}; {remedy(view, ANONYMOUS, False, '--anonymous-auth')}",
        severity=None if always_allow else Severity.WARNING,
        related=related,
    )


RULE = define(__doc__, code="KL418", name="debug-handlers-anonymous", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check,
              tags=("kubescape:C-0069",))
