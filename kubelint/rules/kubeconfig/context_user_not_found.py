"""A context names no user, or a user that is not in ``users``.

Why: client-go does not stop at a dangling user reference: the kubelet
simply connects **without credentials**, the API server answers 401/403,
and the node never registers (a bootstrap kubeconfig cannot even send its
CSR). Validation calls it ``user was not specified for context "C"`` or
``user "U" was not found for context "C"``. An error for the context in
use, a warning for the others.

Fails:
    users:
    - name: kubelet-bootstrap
      user:
        token: 07401b.f395accd246ae52d
    contexts:
    - name: default
      context:
        cluster: kubernetes
        user: kubelet
Passes:
    users:
    - name: kubelet-bootstrap
      user:
        token: 07401b.f395accd246ae52d
    contexts:
    - name: default
      context:
        cluster: kubernetes
        user: kubelet-bootstrap
Fix: unsafe, when the file has exactly one user: the context is pointed at it.
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Fix, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import (
    at,
    decoded,
    field_location,
    quote,
    set_fix,
    severity_for,
    unused_note,
)


def check(context: KubeconfigContext) -> Iterator[Finding]:
    config = decoded(context).config
    users = [entry.name for entry in config.named_users() if entry.name]
    for entry in config.named_contexts():
        wanted = entry.value.user or ""
        if wanted and config.find_user(wanted) is not None:
            continue
        fix: Fix | None = None
        if len(users) == 1:
            fix = set_fix(context, entry.path("user"), users[0], f"set the context's user to {quote(users[0])}")
        if wanted:
            where = at(context, entry.path("user"))
            upstream = f"user {quote(wanted)} was not found for context {quote(entry.name)}"
        else:
            where = field_location(context, entry, "user")
            upstream = f"user was not specified for context {quote(entry.name)}"
        yield Finding(
            where,
            f"{upstream}: the kubelet would connect without credentials{unused_note(context, entry)}",
            severity=severity_for(context, entry),
            fix=fix,
            hint=("users in this file: " + ", ".join(quote(u) for u in users)) if users else "the file has no users",
        )


RULE = define(__doc__, code="KL508", name="context-user-not-found", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check, fixable=True)
