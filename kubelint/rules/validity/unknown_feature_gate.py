"""A featureGates key the target kubelet does not know.

Why: the kubelet applies ``featureGates`` before anything else and exits with
"unrecognized feature gate: <name>" when a name is not in its gate set.
Gate names are case-sensitive (``nodeSwap`` is not ``NodeSwap``), gates are
removed some releases after they go GA (``CPUManager`` is gone in 1.33), and
a gate added in a newer release is unknown to an older kubelet. kubelint's
gate list is verified for a range of releases; outside it an unknown name is
reported as a warning, since it may be a gate kubelint does not know yet.

Fails:
    featureGates:
      nodeSwap: true
Passes:
    featureGates:
      NodeSwap: true
Fix: safe when the name differs from a known gate only by case (the key is
renamed); removing a gate that was removed after going GA is offered as a
fix too (safe when it was set to its final value).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint import knowledge
from kubelint.diagnostics import Applicability, Finding, Fix, Severity, YamlEdit
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import REFUSES, version_text

GATES = "featureGates"


def _case_match(name: str, version: tuple[int, int]) -> str | None:
    for known, gate in knowledge.feature_gates().items():
        if known.lower() == name.lower() and gate.known_in(version):
            return known
    return None


def _close_match(name: str, version: tuple[int, int]) -> str | None:
    import difflib  # only for a near miss: most files never need it, and it costs every cold start

    candidates = [known for known, gate in knowledge.feature_gates().items() if gate.known_in(version)]
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.85)
    return close[0] if close else None


def _rename_fix(view: KubeletView, name: str, better: str) -> Fix | None:
    target = view.target((GATES, name))
    if target is None:
        return None
    edit = YamlEdit(target.path, target.document, target.key_path, "rename", new_key=better)
    return Fix(f"rename {name!r} to {better!r}", Applicability.SAFE, (edit,))


def _delete_fix(view: KubeletView, name: str, safe: bool) -> Fix | None:
    target = view.target((GATES, name))
    if target is None:
        return None
    edit = YamlEdit(target.path, target.document, target.key_path, "delete")
    applicability = Applicability.SAFE if safe else Applicability.UNSAFE
    return Fix(f"remove the {name} gate", applicability, (edit,))


def _removed_gate(view: KubeletView, name: str, gate: knowledge.FeatureGate, value: object) -> Finding:
    assert gate.removed_in is not None
    last = gate.stages[-1]
    removed = knowledge.format_version(gate.removed_in)
    fate = (f"it went GA in {knowledge.format_version(last.since)} and is always "
            f"{'on' if last.default else 'off'}") if last.stage == "ga" else "its feature was dropped"
    message = (f"{REFUSES}: unrecognized feature gate: {name} (removed in {removed}; {fate}); "
               "remove it from featureGates")
    return Finding(view.where((GATES, name), key=True), message,
                   fix=_delete_fix(view, name, safe=value is last.default and last.stage == "ga"))


def _not_yet(view: KubeletView, name: str, gate: knowledge.FeatureGate) -> Finding:
    first = gate.stages[0]
    message = (f"{REFUSES}: unrecognized feature gate: {name} (it first appears in "
               f"{knowledge.format_version(first.since)} as {first.stage}, the target is {version_text(view)}); "
               "remove it or upgrade the kubelet")
    return Finding(view.where((GATES, name), key=True), message)


def _unknown(view: KubeletView, name: str) -> Finding:
    location = view.where((GATES, name), key=True)
    better = _case_match(name, view.version)
    if better is not None:
        message = f"{REFUSES}: unrecognized feature gate: {name} (gate names are case-sensitive: {better})"
        return Finding(location, message, fix=_rename_fix(view, name, better))
    close = _close_match(name, view.version)
    suggestion = f"; did you mean {close!r}?" if close else ""
    if knowledge.gate_list_complete_for(view.version):
        return Finding(location, f"{REFUSES}: unrecognized feature gate: {name}{suggestion}",
                       hint="remove it, or check the name in the feature gate reference for this release")
    low, high = (knowledge.format_version(v) for v in knowledge.feature_gate_coverage())
    guess = f" (did you mean {close!r}?)" if close else ""
    message = (f"feature gate {name} is not known to kubelint for {version_text(view)}{guess}; "
               f"if the kubelet does not know it either, it refuses to start (\"unrecognized feature gate\")")
    return Finding(location, message, severity=Severity.WARNING,
                   hint=f"kubelint's gate list is verified for {low} to {high}; check the name against the release's feature gate list")


def check(view: KubeletView) -> Iterator[Finding]:
    written = view.raw(GATES)
    if not isinstance(written, dict):
        return
    for name, value in written.items():
        if view.origin_kind((GATES, name)) == "flag":
            continue  # --feature-gates values belong to the flag rules
        gate = knowledge.feature_gates().get(name)
        if gate is None:
            yield _unknown(view, name)
        elif gate.known_in(view.version):
            continue
        elif gate.removed_in is not None and view.version >= gate.removed_in:
            yield _removed_gate(view, name, gate, value)
        else:
            yield _not_yet(view, name, gate)


RULE = define(__doc__, code="KL103", name="unknown-feature-gate", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check, fixable=True)
