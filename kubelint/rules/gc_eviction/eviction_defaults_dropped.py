"""A partial evictionHard silently drops the default thresholds it leaves out.

Why: the kubelet applies its default ``evictionHard`` (Linux:
``memory.available: 100Mi``, ``nodefs.available: 10%``,
``nodefs.inodesFree: 5%``, ``imagefs.available: 15%``, and from 1.30
``imagefs.inodesFree: 5%``) only when the key is absent. Setting one signal
replaces the whole map: the others are gone, so e.g. memory is no longer
protected by eviction and the kernel's OOM killer acts first (it may pick
the kubelet or the runtime). From 1.33 ``mergeDefaultEvictionSettings:
true`` keeps the defaults for signals you do not list. A
``--eviction-hard`` flag replaces the map too, and the merge setting does
not apply to it.

Fails:
    evictionHard:
      nodefs.available: 5%
Passes:
    mergeDefaultEvictionSettings: true
    evictionHard:
      nodefs.available: 5%
Fix: unsafe, from 1.33: set mergeDefaultEvictionSettings: true (restores
the dropped thresholds). Before 1.33, list every signal you want.
"""

from collections.abc import Iterator

from kubelint.diagnostics import Applicability, Finding, Fix, Severity, YamlEdit
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.defaults import default_eviction_hard
from kubelint.rules.gc_eviction._eviction import HARD, MERGE_DEFAULTS, MERGE_SINCE, merges_default_eviction


def check(view: KubeletView) -> Iterator[Finding]:
    listed = view.raw(HARD)
    if not isinstance(listed, dict):
        return
    kind = view.origin_kind(HARD)
    # A drop-in's map merges key by key onto the one the --config load
    # produced, defaults included, so it drops nothing.
    if kind == "dropin" or merges_default_eviction(view):
        return
    from_flag = kind == "flag"
    merge_supported = view.version >= MERGE_SINCE
    merge_requested = view.raw(MERGE_DEFAULTS) is True
    defaults = default_eviction_hard(view.version)
    dropped = {signal: value for signal, value in defaults.items() if signal not in listed}
    if not dropped:
        return
    yield Finding(
        view.where(HARD, key=True),
        _message(listed, dropped, from_flag),
        hint=_hint(view, merge_requested, merge_supported, from_flag),
        fix=_fix(view) if merge_supported and not from_flag else None,
    )


def _message(listed: dict[str, object], dropped: dict[str, str], from_flag: bool) -> str:
    source = "--eviction-hard" if from_flag else HARD
    names = ", ".join(listed) if listed else "nothing"
    lost = ", ".join(f"{signal}<{value}" for signal, value in dropped.items())
    consequence = ("memory is no longer protected by eviction, the kernel OOM killer acts first"
                   if "memory.available" in dropped else "those resources are no longer protected by eviction")
    return f"{source} lists only {names}: the kubelet drops the default thresholds {lost}; {consequence}"


def _hint(view: KubeletView, merge_requested: bool, merge_supported: bool, from_flag: bool) -> str:
    version = f"{view.version[0]}.{view.version[1]}"
    if from_flag:
        return f"add the dropped signals to --eviction-hard ({MERGE_DEFAULTS} does not apply to the flag)"
    if merge_supported:
        return f"set {MERGE_DEFAULTS}: true to keep the defaults, or list the signals in {HARD}"
    if merge_requested:
        return (f"{MERGE_DEFAULTS} needs kubelet 1.33 or later, target {version} ignores it: "
                f"list the signals in {HARD}")
    return f"list the signals in {HARD} ({MERGE_DEFAULTS} needs kubelet 1.33 or later, target is {version})"


def _fix(view: KubeletView) -> Fix | None:
    target = view.target(HARD)
    if target is None or view.origin_kind(HARD) != "config":
        return None
    edit = YamlEdit(target.path, target.document, (*target.key_path[:-1], MERGE_DEFAULTS), "set", value=True)
    return Fix(f"set {MERGE_DEFAULTS}: true (restores the default thresholds)", Applicability.UNSAFE, (edit,))


RULE = define(__doc__, code="KL310", name="eviction-defaults-dropped", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check, fixable=True)
