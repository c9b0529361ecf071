"""A feature gate that is locked to its default is set to the other value.

Why: once a feature goes GA (or is deprecated for good), its gate is locked
to its default for the releases before the gate is removed. The kubelet
refuses to start when such a gate is set to the other value ("cannot set
feature gate ... locked to ..."): ``CPUManagerPolicyOptions: false`` on 1.33
or ``MemoryManager: false`` on 1.32 stops the node from coming up after an
upgrade, although the same file worked on the release before.

Fails:
    featureGates:
      MemoryManager: false
Passes:
    featureGates:
      MemoryManager: true
Fix: unsafe: removing the key lets the kubelet start, with the feature in
its locked state, which is not what the setting asked for.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint import knowledge
from kubelint.diagnostics import Applicability, Finding, Fix, Severity, YamlEdit
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import REFUSES, version_text

GATES = "featureGates"


def _remove_fix(view: KubeletView, name: str) -> Fix | None:
    target = view.target((GATES, name))
    if target is None:
        return None
    edit = YamlEdit(target.path, target.document, target.key_path, "delete")
    return Fix(f"remove the {name} gate (the feature stays in its locked state)", Applicability.UNSAFE, (edit,))


def _since_locked(gate: knowledge.FeatureGate, version: tuple[int, int]) -> str:
    stage = gate.stage_for(version)
    assert stage is not None
    return f"{stage.stage.upper() if stage.stage == 'ga' else stage.stage} since {knowledge.format_version(stage.since)}"


def check(view: KubeletView) -> Iterator[Finding]:
    written = view.get(GATES)
    if not isinstance(written, dict):
        return
    for name, value in written.items():
        gate = knowledge.feature_gates().get(name)
        if gate is None or not isinstance(value, bool) or not gate.is_locked(view.version):
            continue
        default = gate.default_for(view.version)
        if value is default or view.origin_kind((GATES, name)) == "flag":
            continue
        wanted = "true" if default else "false"
        message = (f"{REFUSES}: cannot set feature gate {name} to {str(value).lower()}, feature is locked to "
                   f"{wanted} ({_since_locked(gate, view.version)}, target {version_text(view)}); "
                   f"remove the key or set it to {wanted}")
        yield Finding(view.where((GATES, name)), message, fix=_remove_fix(view, name))


RULE = define(__doc__, code="KL104", name="locked-feature-gate", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check, fixable=True)
