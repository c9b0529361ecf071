"""Moving a deprecated flag into the ``--config`` file without changing what the kubelet does.

The kubelet loads the ``--config`` file, defaults it, merges the
``--config-dir`` drop-ins, then parses the command line again on top: a
flag wins over both files. A scalar or list flag replaces the file's value,
a map flag (``--eviction-hard``, ``--system-reserved``) replaces the file's
whole map, and ``--feature-gates`` overrides gate by gate. Writing the
flag's value into the file and deleting the flag keeps the effective value
only when nothing sits between the two layers; ``blocker`` names what does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kubelint.contexts import CommandLineContext
from kubelint.diagnostics import Applicability, Fix, TextEdit, YamlEdit
from kubelint.flag_values import FlagValueError, convert
from kubelint.knowledge import FlagSpec
from kubelint.kubelet_view import FieldPath, KubeletView, YamlTarget, dotted, field_path
from kubelint.loaders.cmdline import FlagOccurrence
from kubelint.models.defaults import DEFAULTS, is_zero
from kubelint.rules._values import yaml_value
from kubelint.rules.flags._support import delete_flag_edit, shown_with_value

# Fields the kubelet resolves against the config file's directory when relative
# (a relative flag value is resolved against the kubelet's working directory).
PATH_FIELDS = frozenset({
    ("staticPodPath",), ("tlsCertFile",), ("tlsPrivateKeyFile",), ("resolvConf",),
    ("authentication", "x509", "clientCAFile"), ("podLogsDir",),
})
# Defaulting replaces a zero in the file, but not a zero given by a flag (flags come after defaulting).
ZERO_DEFAULTED = frozenset(rule.path for rule in DEFAULTS if rule.when == "zero")


@dataclass(frozen=True, slots=True)
class Move:
    """The plan for one flag: its config path and converted value, or why it cannot move."""

    path: FieldPath | None
    value: Any = None
    blocker: str | None = None


def config_target(view: KubeletView) -> YamlTarget | None:
    """The ``--config`` file document behind the view (a drop-in does not count)."""
    for origin in view.origins.values():
        if origin.kind == "config" and origin.target is not None:
            return origin.target
    return None


def converted(spec: FlagSpec, occurrence: FlagOccurrence) -> Any:
    """The flag's value as its config field holds it; None when it does not parse."""
    text = occurrence.effective_value
    if text is None or spec.config_field is None:
        return None
    try:
        return convert(spec.type, text, config_field=spec.config_field)
    except FlagValueError:
        return None


def plan(context: CommandLineContext, occurrence: FlagOccurrence, spec: FlagSpec) -> Move:
    if spec.config_field is None:
        return Move(None, blocker="no config field replaces this flag")
    path = field_path(spec.config_field)
    if _stray_after(context, occurrence):
        # `--anonymous-auth false`: the flag is true, which is surely not what was meant
        return Move(path, blocker="the word after the flag is a stray argument (KL205)")
    value = converted(spec, occurrence)
    if value is None:
        return Move(path, blocker="the value does not parse")
    blocker = _layer_blocker(context, occurrence, path, value) or _value_blocker(context.view, path, value)
    return Move(path, value, blocker)


def _stray_after(context: CommandLineContext, occurrence: FlagOccurrence) -> bool:
    return any(problem.kind == "positional" and problem.index == occurrence.index + 1
               for problem in context.command_line.flags.problems)


def _layer_blocker(context: CommandLineContext, occurrence: FlagOccurrence, path: FieldPath,
                   value: Any) -> str | None:
    view = context.view
    if context.source != "service" or view is None:
        return "the config file is only known when the whole node is linted (kubelint node)"
    if not view.uses_config_file or config_target(view) is None:
        return ("the kubelet runs without a --config file; moving one flag into a new file is not "
                "equivalent, because a config file switches every other default from the legacy flag "
                "defaults (anonymous auth, AlwaysAllow, read-only port 10255) to the config defaults")
    if len(context.command_line.flags.all(occurrence.name)) != 1:
        return "the flag is given more than once"
    # the command line overrides gate by gate, so only a drop-in naming a moved gate is in the way
    paths = [(*path, gate) for gate in value] if path == ("featureGates",) and isinstance(value, dict) else [path]
    for moved in paths:
        if _set_in_dropin(view, moved):
            return (f"a --config-dir drop-in sets {dotted(moved)}: it would override the value moved into "
                    "the --config file (drop-ins sit between the file and the flags)")
    for moved in paths:
        moved_value = value.get(moved[-1]) if moved != path and isinstance(value, dict) else value
        if _overrides_file_value(view, moved, moved_value):
            return (f"the config file sets {dotted(moved)} to another value: which of the two is right is "
                    "the owner's call (KL709 offers removing the flag instead)")
    return None


def _overrides_file_value(view: KubeletView, path: FieldPath, value: Any) -> bool:
    """The flag replaced a different value written in the --config file (or a drop-in).

    A zero that the defaulter replaces (kubeadm writes ``containerRuntimeEndpoint: ""``)
    is not a value anyone chose."""
    return any(origin.kind in ("config", "dropin") and str(old) != str(value) and old not in _ZEROS
               for old, origin in view.history.get(path, []))


_ZEROS = ("", 0, "0", "0s", "0m", "0h")


def _set_in_dropin(view: KubeletView, path: FieldPath) -> bool:
    """A drop-in sets ``path`` or something below it (now, or before a flag overrode it)."""
    def below(key: FieldPath) -> bool:
        return key[: len(path)] == path
    if any(below(key) and origin.kind == "dropin" for key, origin in view.origins.items()):
        return True
    return any(below(key) and origin.kind == "dropin"
               for key, entries in view.history.items() for _value, origin in entries)


def _value_blocker(view: KubeletView | None, path: FieldPath, value: Any) -> str | None:
    if path in ZERO_DEFAULTED and is_zero(value):
        return (f"{dotted(path)}: {yaml_value(value)} in the config file means \"use the default\", "
                "while the flag's zero stays zero")
    if path in PATH_FIELDS and isinstance(value, str) and value and not value.startswith("/"):
        return "the relative path would be resolved against the config file's directory instead"
    if path == ("evictionHard",) and view is not None and view.get("mergeDefaultEvictionSettings") is True:
        return ("mergeDefaultEvictionSettings is true: in the config file the default thresholds "
                "would be merged into the flag's map, which the flag replaces")
    return None


def migration_fix(context: CommandLineContext, occurrence: FlagOccurrence, move: Move) -> Fix | None:
    """Delete the flag and set its value in the ``--config`` file, as one unsafe fix."""
    view = context.view
    if move.blocker is not None or move.path is None or view is None:
        return None
    target = config_target(view)
    deletion = delete_flag_edit(occurrence, context.command_line, context.texts)
    if target is None or deletion is None:
        return None
    edits: list[TextEdit | YamlEdit] = [deletion]
    if move.path == ("featureGates",) and isinstance(move.value, dict):
        edits += [YamlEdit(target.path, target.document, ("featureGates", gate), "set", enabled)
                  for gate, enabled in move.value.items()]
    else:
        edits.append(YamlEdit(target.path, target.document, move.path, "set", move.value))
    description = (f"move {shown_with_value(occurrence)} into {target.path} as "
                   f"{dotted(move.path)}: {yaml_value(move.value)}")
    return Fix(description, Applicability.UNSAFE, tuple(edits))
