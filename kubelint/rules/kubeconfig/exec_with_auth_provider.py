"""A user sets both an ``exec`` credential plugin and an ``auth-provider``.

Why: client-go accepts one or the other: ``authProvider cannot be provided
in combination with an exec plugin for U``, and the kubelet refuses the
kubeconfig. The legacy ``auth-provider`` plugins (gcp, azure, oidc) are
gone from client-go anyway; ``exec`` replaced them. An error for the user in
use, a warning for the others.

Fails:
    users:
    - name: kubelet
      user:
        auth-provider:
          name: gcp
        exec:
          apiVersion: client.authentication.k8s.io/v1beta1
          command: gke-gcloud-auth-plugin
Passes:
    users:
    - name: kubelet
      user:
        exec:
          apiVersion: client.authentication.k8s.io/v1beta1
          command: gke-gcloud-auth-plugin
Fix: unsafe: ``auth-provider`` is removed, keeping ``exec``.
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import at, decoded, delete_fix, severity_for, unused_note


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_users():
        if entry.value.exec is None or entry.value.auth_provider is None:
            continue
        yield Finding(
            at(context, entry.path("auth-provider"), key=True),
            f"authProvider cannot be provided in combination with an exec plugin for {entry.name}"
            f"{unused_note(context, entry)}",
            severity=severity_for(context, entry),
            related=(Related(at(context, entry.path("exec"), key=True), "exec plugin"),),
            fix=delete_fix(context, entry.path("auth-provider"), "remove auth-provider and keep the exec plugin"),
        )


RULE = define(__doc__, code="KL519", name="exec-with-auth-provider", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check, fixable=True)
