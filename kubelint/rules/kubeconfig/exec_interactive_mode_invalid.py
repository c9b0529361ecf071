"""An ``exec`` plugin's ``interactiveMode`` is not ``Never``, ``IfAvailable`` or ``Always``.

Why: client-go rejects the user (``invalid interactiveMode for U: "X"``);
the values are case-sensitive. An error for the user in use, a warning for
the others.

Fails:
    users:
    - name: kubelet
      user:
        exec:
          apiVersion: client.authentication.k8s.io/v1
          command: aws-iam-authenticator
          interactiveMode: never
Passes:
    users:
    - name: kubelet
      user:
        exec:
          apiVersion: client.authentication.k8s.io/v1
          command: aws-iam-authenticator
          interactiveMode: Never
Fix: safe when only the letter case is wrong.
"""

from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Applicability, Finding, Fix, Severity, YamlEdit
from kubelint.engine import Scope, define
from kubelint.models.kubeconfig import INTERACTIVE_MODES
from kubelint.rules.kubeconfig._support import at, decoded, quote, severity_for, unused_note


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_users():
        plugin = entry.value.exec
        mode = plugin.interactive_mode if plugin is not None else None
        if not mode or mode in INTERACTIVE_MODES:
            continue
        path = entry.path("exec", "interactiveMode")
        same_letters = [valid for valid in INTERACTIVE_MODES if valid.lower() == mode.lower()]
        fix = None
        if same_letters:
            edit = YamlEdit(context.document.path, context.document.index, path, "set", same_letters[0])
            fix = Fix(f"set interactiveMode to {same_letters[0]}", Applicability.SAFE, (edit,))
        yield Finding(
            at(context, path),
            f"invalid interactiveMode for {entry.name}: {quote(mode)}{unused_note(context, entry)}",
            severity=severity_for(context, entry),
            fix=fix,
            hint="use Never, IfAvailable or Always (the kubelet has no terminal: Never)",
        )


RULE = define(__doc__, code="KL521", name="exec-interactive-mode-invalid", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check, fixable=True)
