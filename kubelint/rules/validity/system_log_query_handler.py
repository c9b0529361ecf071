"""enableSystemLogQuery without the system log handler.

Why: node log queries are served by the system log handler, so the kubelet
refuses to start when ``enableSystemLogQuery: true`` comes with
``enableSystemLogHandler: false``.

Fails:
    enableSystemLogHandler: false
    enableSystemLogQuery: true
Passes:
    enableSystemLogQuery: true
Fix: none automatic: remove ``enableSystemLogHandler: false`` or the query.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import REFUSES

QUERY, HANDLER = "enableSystemLogQuery", "enableSystemLogHandler"


def check(view: KubeletView) -> Iterator[Finding]:
    if view.get(QUERY) is True and view.get(HANDLER) is False:
        yield Finding(view.where(QUERY),
                      f"{REFUSES}: enableSystemLogHandler is required for enableSystemLogQuery; "
                      f"remove {HANDLER}: false or {QUERY}: true",
                      related=(Related(view.where(HANDLER), f"{HANDLER}: false"),))


RULE = define(__doc__, code="KL116", name="system-log-query-without-handler", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
