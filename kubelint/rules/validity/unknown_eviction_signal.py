"""An eviction map key that is not an eviction signal.

Why: ``evictionHard``, ``evictionSoft``, ``evictionSoftGracePeriod`` and
``evictionMinimumReclaim`` are keyed by signal names such as
``memory.available``, ``nodefs.available``, ``nodefs.inodesFree``,
``imagefs.available``, ``imagefs.inodesFree`` and ``pid.available``. Any
other key makes the kubelet refuse to start ("unsupported eviction signal").
Signal names are case-sensitive: ``nodefs.inodesfree`` fails.
``swap.available`` is declared in the kubelet's API but was not accepted in
the releases kubelint has read (a warning).

Fails:
    evictionHard:
      memory.Available: 200Mi
Passes:
    evictionHard:
      memory.available: 200Mi
Fix: safe when the key differs from one signal only by case.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint import knowledge
from kubelint.diagnostics import Applicability, Finding, Fix, Severity, YamlEdit
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._eviction_values import SIGNAL_MAPS, Entry, entries
from kubelint.rules.validity._support import REFUSES


def _supported() -> list[str]:
    return [name for name, signal in knowledge.eviction_signals().items() if signal.supported]


def _near_miss(signal: str, supported: list[str]) -> str | None:
    """A signal whose resource and measure parts are each close to ``signal``'s.

    Comparing the parts separately keeps ``disk.available`` from being
    matched to ``pid.available`` on the strength of the shared suffix.
    """
    import difflib  # only for a near miss: most files never need it, and it costs every cold start

    resource, _, measure = signal.partition(".")
    candidates = []
    for name in supported:
        known_resource, _, known_measure = name.partition(".")
        if (difflib.SequenceMatcher(None, resource, known_resource).ratio() >= 0.75
                and difflib.SequenceMatcher(None, measure, known_measure).ratio() >= 0.75):
            candidates.append(name)
    return candidates[0] if len(candidates) == 1 else None


def _rename_fix(view: KubeletView, entry: Entry, better: str) -> Fix | None:
    target = view.target(entry.path)
    if target is None:
        return None
    edit = YamlEdit(target.path, target.document, target.key_path, "rename", new_key=better)
    return Fix(f"rename {entry.signal!r} to {better!r}", Applicability.SAFE, (edit,))


def _unknown(view: KubeletView, entry: Entry) -> Finding:
    supported = _supported()
    message = f"{REFUSES}: unsupported eviction signal {entry.signal} in {entry.map_name}"
    same_but_case = [name for name in supported if name.lower() == entry.signal.lower()]
    if same_but_case:
        better = same_but_case[0]
        return Finding(view.where(entry.path, key=True), f"{message}; signal names are case-sensitive: {better}",
                       fix=_rename_fix(view, entry, better))
    close = _near_miss(entry.signal, supported)
    hint = f"did you mean {close!r}?" if close else "valid signals: " + ", ".join(supported)
    return Finding(view.where(entry.path, key=True), f"{message}; {hint}")


def _declared_but_unsupported(view: KubeletView, entry: Entry, note: str | None) -> Finding:
    return Finding(view.where(entry.path, key=True),
                   f"eviction signal {entry.signal} in {entry.map_name} is declared in the kubelet's API but was not "
                   f"accepted by the kubelets kubelint has read; they refuse to start with \"unsupported eviction "
                   f"signal {entry.signal}\"", severity=Severity.WARNING, hint=note)


def check(view: KubeletView) -> Iterator[Finding]:
    signals = knowledge.eviction_signals()
    for map_name in SIGNAL_MAPS:
        for entry in entries(view, map_name):
            known = signals.get(entry.signal)
            if known is None:
                yield _unknown(view, entry)
            elif not known.supported:
                yield _declared_but_unsupported(view, entry, known.note)


RULE = define(__doc__, code="KL120", name="unknown-eviction-signal", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check, fixable=True)
