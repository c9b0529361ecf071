"""containerfs.* eviction thresholds are accepted but ignored by the kubelet.

Why: ``containerfs.available`` and ``containerfs.inodesFree`` are valid
signal names, but the kubelet overwrites their thresholds from the
``nodefs`` or ``imagefs`` ones (depending on how the disks are split) and
only logs "found containerfs.available for hard/soft eviction. ignoring".
The value in the file has no effect, so whoever tunes it is misled.

Fails:
    evictionHard:
      memory.available: 100Mi
      nodefs.available: 10%
      imagefs.available: 15%
      containerfs.available: 10%
Passes:
    evictionHard:
      memory.available: 100Mi
      nodefs.available: 10%
      imagefs.available: 15%
Fix: safe: remove the entry (behaviour does not change); tune nodefs.* or
imagefs.* instead.
"""

from collections.abc import Iterator

from kubelint.diagnostics import Applicability, Finding, Fix, Severity, YamlEdit
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.gc_eviction._eviction import THRESHOLD_MAPS

PREFIX = "containerfs."


def check(view: KubeletView) -> Iterator[Finding]:
    for map_name in THRESHOLD_MAPS:
        entries = view.raw(map_name)
        if not isinstance(entries, dict):
            continue
        for signal, value in entries.items():
            if signal.startswith(PREFIX):
                yield _finding(view, map_name, signal, value)


def _finding(view: KubeletView, map_name: str, signal: str, value: object) -> Finding:
    replacement = "nodefs" + signal.removeprefix("containerfs")
    return Finding(
        view.where((map_name, signal), key=True),
        f"{map_name} {signal}: {value} is ignored: the kubelet replaces containerfs thresholds with "
        "its nodefs or imagefs ones and only logs a warning",
        hint=f"remove it and tune {replacement} (or the imagefs signal) instead",
        fix=_fix(view, map_name, signal),
    )


def _fix(view: KubeletView, map_name: str, signal: str) -> Fix | None:
    target = view.target((map_name, signal))
    if target is None or view.origin_kind((map_name, signal)) not in ("config", "dropin"):
        return None
    edit = YamlEdit(target.path, target.document, target.key_path, "delete")
    return Fix(f"remove {map_name} {signal} (it has no effect)", Applicability.SAFE, (edit,))


RULE = define(__doc__, code="KL311", name="containerfs-threshold-ignored", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check, fixable=True)
