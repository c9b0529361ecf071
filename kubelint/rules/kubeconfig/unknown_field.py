"""A kubeconfig key client-go does not know, often a misspelling.

Why: client-go decodes kubeconfigs leniently and case-sensitively: an unknown
key is dropped without a word. ``token-file`` or ``tokenfile`` (the field is
camelCase ``tokenFile``), ``certificate-authority-date`` or
``insecure_skip_tls_verify`` leave the kubelet without the setting the file
seems to give it.

Fails:
    users:
    - name: kubelet
      user:
        token-file: /var/lib/kubelet/token
Passes:
    users:
    - name: kubelet
      user:
        tokenFile: /var/lib/kubelet/token
Fix: safe when exactly one known key is a near miss: the key is renamed,
keeping its value and comments.
"""

import difflib
from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Applicability, Finding, Fix, Severity, YamlEdit
from kubelint.engine import Scope, define
from kubelint.models.kubeconfig import format_path, unknown_keys
from kubelint.rules.kubeconfig._support import at


def _folded(key: str) -> str:
    return key.lower().replace("-", "").replace("_", "")


def suggestion(key: str, known: list[str]) -> str | None:
    """The one known key ``key`` most likely meant, if any."""
    same_letters = [name for name in known if _folded(name) == _folded(key)]
    if len(same_letters) == 1:
        return same_letters[0]
    close = difflib.get_close_matches(key, known, n=2, cutoff=0.8)
    if len(close) == 1:
        return close[0]
    return None


def check(context: KubeconfigContext) -> Iterator[Finding]:
    if not isinstance(context.data, dict):
        return
    for path, known in unknown_keys(context.data):
        key = str(path[-1])
        better = suggestion(key, known)
        message = f"unknown field {format_path(path)!r}: client-go ignores it"
        fix = None
        if better is not None:
            message += f"; did you mean {better!r}?"
            edit = YamlEdit(context.document.path, context.document.index, path, "rename", new_key=better)
            fix = Fix(f"rename {key!r} to {better!r}", Applicability.SAFE, (edit,))
        yield Finding(at(context, path, key=True), message, fix=fix,
                      hint=None if fix else "known fields here: " + ", ".join(known))


RULE = define(__doc__, code="KL502", name="kubeconfig-unknown-field", severity=Severity.WARNING,
              scope=Scope.KUBECONFIG, check=check, fixable=True)
