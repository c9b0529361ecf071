"""A user sets both a bearer ``token`` and basic auth (``username``/``password``).

Why: client-go allows one of the two: ``more than one authentication method
found for U; found [token basicAuth], only one is allowed``, and the kubelet
refuses the kubeconfig. (Client certificates and ``tokenFile`` do not count
here.) An error for the user in use, a warning for the others.

Fails:
    users:
    - name: kubelet
      user:
        token: 07401b.f395accd246ae52d
        username: kubelet
        password: changeme
Passes:
    users:
    - name: kubelet
      user:
        token: 07401b.f395accd246ae52d
Fix: none automatic; keep the credential the API server accepts (for a
kubelet: neither, see kubelet-static-credential).
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import at, decoded, field_location, severity_for, unused_note


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_users():
        user = entry.value
        if not (user.token and (user.username or user.password)):
            continue
        yield Finding(
            field_location(context, entry, "username", "password"),
            f"more than one authentication method found for {entry.name}; found [token basicAuth], "
            f"only one is allowed{unused_note(context, entry)}",
            severity=severity_for(context, entry),
            related=(Related(at(context, entry.path("token"), key=True), "token"),),
            hint="remove either token or username/password",
        )


RULE = define(__doc__, code="KL515", name="user-auth-conflict", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check)
