"""Shared wording, gate lookups and fixes for the validity rules (KL1xx).

Not a rule. Every validity finding says what the kubelet does with the value
("the kubelet refuses to start: ..." with a short fragment of its own error),
points at the value (or the nearest thing that is written down), and says
what to write instead.
"""

from __future__ import annotations

from typing import Any

from kubelint import knowledge
from kubelint.diagnostics import Applicability, Fix, YamlEdit
from kubelint.kubelet_view import FieldPath, KubeletView, field_path

REFUSES = "the kubelet refuses to start"


def version_text(view: KubeletView) -> str:
    return knowledge.format_version(view.version)


def gate_enabled(view: KubeletView, name: str) -> bool:
    """The effective value of gate ``name`` for the view's target version.

    A gate the target kubelet no longer knows went GA and was removed, so
    its feature is simply on; a gate not born yet is off.
    """
    if name in view.gates:
        return view.gates[name]
    gate = knowledge.feature_gates().get(name)
    if gate is None or not gate.stages:
        return False
    if gate.removed_in is not None and view.version >= gate.removed_in:
        return gate.stages[-1].default
    return False


def gate_arrives_in(view: KubeletView, name: str) -> str | None:
    """The release that introduces gate ``name``, if that is after the target version."""
    gate = knowledge.feature_gates().get(name)
    if gate is None or not gate.stages or gate.stages[0].since <= view.version:
        return None
    return knowledge.format_version(gate.stages[0].since)


def gate_state(view: KubeletView, name: str) -> str:
    """``feature gate X is off by default in 1.33`` or ``... is on (set at file:line:col)``."""
    state = "on" if gate_enabled(view, name) else "off"
    path = ("featureGates", name)
    if view.is_set(path):
        return f"feature gate {name} is {state} (set at {view.describe(path)})"
    return f"feature gate {name} is {state} by default in {version_text(view)}"


def item(path: str | FieldPath, index: int) -> FieldPath:
    """The view path of one list entry: ``("clusterDNS", "1")``."""
    return (*field_path(path), str(index))


def effective_list(view: KubeletView, path: str) -> list[Any]:
    value = view.get(path)
    return value if isinstance(value, list) else []


def replace_fix(view: KubeletView, path: str | FieldPath, value: Any, description: str) -> Fix | None:
    """A safe fix that writes ``value`` where ``path`` is written, if it is in a YAML file."""
    target = view.target(path)
    if target is None:
        return None
    edit = YamlEdit(target.path, target.document, target.key_path, "set", value)
    return Fix(description, Applicability.SAFE, (edit,))


def as_int(value: Any) -> int | None:
    if type(value) is int:  # nearly always: asked for every numeric setting of every file
        return value
    return value if isinstance(value, int) and not isinstance(value, bool) else None
