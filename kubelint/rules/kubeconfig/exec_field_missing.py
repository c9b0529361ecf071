"""An ``exec`` credential plugin lacks ``command``, ``apiVersion``, an env name or ``interactiveMode``.

Why: client-go rejects the user: ``command must be specified for U to use
exec authentication plugin``, ``apiVersion must be specified ...``, ``env
variable name must be specified ...``, and ``interactiveMode must be
specified ...``. client-go fills in ``interactiveMode: IfAvailable`` only
for the ``client.authentication.k8s.io/v1beta1`` (and old ``v1alpha1``)
plugins; with ``client.authentication.k8s.io/v1`` it must be written. An
error for the user in use, a warning for the others.

Fails:
    users:
    - name: kubelet
      user:
        exec:
          apiVersion: client.authentication.k8s.io/v1
          command: aws-iam-authenticator
          args: [token, -i, prod]
Passes:
    users:
    - name: kubelet
      user:
        exec:
          apiVersion: client.authentication.k8s.io/v1
          command: aws-iam-authenticator
          args: [token, -i, prod]
          interactiveMode: Never
Fix: none automatic (for a kubelet, which has no terminal, ``interactiveMode: Never`` is the right value).
"""

from collections.abc import Iterator
from typing import Any

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Location, Severity
from kubelint.engine import Scope, define
from kubelint.models.kubeconfig import AuthInfo, ExecConfig, Named
from kubelint.rules.kubeconfig._support import at, decoded, severity_for, unused_note


def _missing(entry: Named[AuthInfo], plugin: ExecConfig) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """(key path, upstream message, hint) for every required field that is empty."""
    name = entry.name
    if not plugin.command:
        yield (entry.path("exec", "command"), f"command must be specified for {name} to use exec authentication plugin",
               "set command to the plugin binary")
    if not plugin.api_version:
        yield (entry.path("exec", "apiVersion"), f"apiVersion must be specified for {name} to use exec authentication plugin",
               "set apiVersion: client.authentication.k8s.io/v1")
    for index, variable in enumerate(plugin.env or []):
        if not variable.name:
            yield (entry.path("exec", "env", index),
                   f"env variable name must be specified for {name} to use exec authentication plugin",
                   "give the variable a name or remove it")
    if not plugin.effective_interactive_mode():
        yield (entry.path("exec", "interactiveMode"),
               f"interactiveMode must be specified for {name} to use exec authentication plugin",
               "add interactiveMode: Never (the kubelet has no terminal)")


def _where(context: KubeconfigContext, entry: Named[AuthInfo], path: tuple[Any, ...]) -> Location:
    """An empty field's key, a nameless env entry itself, or the ``exec`` key when the field is absent."""
    if path not in context.document.positions:
        return at(context, entry.path("exec"), key=True)
    return at(context, path, key=not isinstance(path[-1], int))


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_users():
        plugin = entry.value.exec
        if plugin is None:
            continue
        for path, message, hint in _missing(entry, plugin):
            yield Finding(_where(context, entry, path), message + unused_note(context, entry),
                          severity=severity_for(context, entry), hint=hint)


RULE = define(__doc__, code="KL520", name="exec-field-missing", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check)
