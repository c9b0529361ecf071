"""runOnce: true, the removed run-once mode.

Why: run-once mode has been broken since 1.19 (the kubelet panics in it) and
was removed in 1.32: from then on ``runOnce: true`` makes the kubelet refuse
to start ("Runonce mode has been deprecated and should not be set"). Older
kubelets accept the field but the mode does not work.

Fails:
    runOnce: true
Passes:
    runOnce: false
Fix: safe: remove the field (it cannot work either way).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.diagnostics import Applicability, Finding, Fix, Severity, YamlEdit
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import REFUSES

FIELD = "runOnce"
REMOVED_IN = (1, 32)


def _remove_fix(view: KubeletView) -> Fix | None:
    target = view.target(FIELD)
    if target is None:
        return None
    edit = YamlEdit(target.path, target.document, target.key_path, "delete")
    return Fix("remove runOnce", Applicability.SAFE, (edit,))


def check(view: KubeletView) -> Iterator[Finding]:
    if view.get(FIELD) is not True:
        return
    if view.version >= REMOVED_IN:
        message = (f"{REFUSES}: runOnce (--runOnce) true, Runonce mode has been deprecated and should not be set; "
                   "remove runOnce (run static pods with a normal kubelet, or use podman kube play)")
        yield Finding(view.where(FIELD), message, fix=_remove_fix(view))
        return
    message = ("runOnce: true selects run-once mode, which has not worked since 1.19 (the kubelet panics) and "
               "makes kubelets from 1.32 on refuse to start; remove it")
    yield Finding(view.where(FIELD), message, severity=Severity.WARNING, fix=_remove_fix(view))


RULE = define(__doc__, code="KL114", name="run-once-mode", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check, fixable=True)
