"""A user sets ``as-uid``, ``as-groups`` or ``as-user-extra`` without ``as``.

Why: impersonating groups or extras needs a user to impersonate; client-go
rejects the user (``requesting uid, groups or user-extra for U without
impersonating a user``). An error for the user in use, a warning for the
others.

Fails:
    users:
    - name: admin
      user:
        as-groups: [system:masters]
Passes:
    users:
    - name: admin
      user:
        as: jane
        as-groups: [system:masters]
Fix: none automatic.
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import decoded, field_location, severity_for, unused_note


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_users():
        user = entry.value
        if user.impersonate or not (user.impersonate_uid or user.impersonate_groups or user.impersonate_user_extra):
            continue
        yield Finding(
            field_location(context, entry, "as-uid", "as-groups", "as-user-extra"),
            f"requesting uid, groups or user-extra for {entry.name} without impersonating a user"
            f"{unused_note(context, entry)}",
            severity=severity_for(context, entry),
            hint="add as: <user name>, or remove the as-* keys",
        )


RULE = define(__doc__, code="KL522", name="impersonation-without-user", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check)
