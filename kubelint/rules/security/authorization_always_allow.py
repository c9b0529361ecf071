"""The kubelet authorizes every request (``authorization.mode: AlwaysAllow``).

Why: with AlwaysAllow any authenticated (or, with anonymous auth, any)
caller may use every kubelet endpoint: exec, attach, port-forward, logs,
metrics, pod specs. ``Webhook`` asks the API server (SubjectAccessReview),
so RBAC decides. A config file defaults to Webhook; a kubelet started without
``--config`` defaults to AlwaysAllow (checkov passes an unset flag; this
rule judges the effective value).

Fails:
    authorization:
      mode: AlwaysAllow
Passes:
    authentication:
      webhook:
        enabled: true
    authorization:
      mode: Webhook
Fix: unsafe (callers without RBAC permission start getting 403): sets
``authorization.mode: Webhook`` where the mode is written in YAML, and
``authentication.webhook.enabled: true`` too when it is written false in
YAML; offered only when the result has webhook authentication enabled,
because the Webhook mode relies on the API server to vet bearer tokens.
"""

from collections.abc import Iterator

from kubelint.diagnostics import Applicability, Finding, Fix, Severity, YamlEdit
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

PATH = "authorization.mode"
WEBHOOK_AUTHN = "authentication.webhook.enabled"
FLAG = "--authorization-mode"


def _fix(view: KubeletView) -> Fix | None:
    mode_target = view.target(PATH)
    if mode_target is None:
        return None
    edits = [YamlEdit(mode_target.path, mode_target.document, mode_target.key_path, "set", "Webhook")]
    description = f"set {PATH}: Webhook"
    if view.get(WEBHOOK_AUTHN) is not True:
        authn_target = view.target(WEBHOOK_AUTHN)
        if authn_target is None:
            return None
        edits.append(YamlEdit(authn_target.path, authn_target.document, authn_target.key_path, "set", True))
        description += f" and {WEBHOOK_AUTHN}: true"
    return Fix(description, Applicability.UNSAFE, tuple(edits))


def check(view: KubeletView) -> Iterator[Finding]:
    mode = view.get(PATH)
    if not isinstance(mode, str) or "AlwaysAllow" not in mode.split(","):
        return
    yield Finding(
        locate(view, PATH),
        f"authorization mode is AlwaysAllow ({provenance(view, PATH)}): every caller that gets past "
        f"authentication may exec into pods and read their logs"
        f"{SERVER_OFF_NOTE if server_disabled(view) else ''}; {remedy(view, PATH, 'Webhook', FLAG)}",
        severity=unless_server_off(view),
        fix=_fix(view),
        hint="Webhook mode asks the API server (SubjectAccessReview); keep "
             f"{WEBHOOK_AUTHN}: true alongside it",
    )


RULE = define(__doc__, code="KL402", name="authorization-always-allow", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check, fixable=True, cis=("4.2.2",),
              tags=("kube-bench:4.2.2", "kubescape:C-0173", "checkov:CKV_K8S_139"))
