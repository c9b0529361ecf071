"""``kubelint show``: the effective KubeletConfiguration of a node, and where each value comes from.

The text form is the configuration as YAML with a provenance comment on
every value line: ``# var/lib/kubelet/config.yaml:13`` for a config file or
drop-in, the whole chain for a flag (``# --cgroup-driver in
var/lib/kubelet/kubeadm-flags.env:1 via KUBELET_KUBEADM_ARGS → ExecStart in
...``), ``# kubelet default for 1.33`` for a default. The JSON form carries
the same as data. ``explain`` follows one field through every layer,
including the values that were overridden on the way.
"""

from __future__ import annotations

import difflib
import json
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from kubelint.diagnostics import Location
from kubelint.kubelet_view import MAP_FIELDS, FieldPath, KubeletView, Origin, field_path
from kubelint.loaders.cmdline import FlagOccurrence
from kubelint.models.defaults import Version
from kubelint.models.kubelet_config import API_VERSION, KIND, KubeletConfiguration
from kubelint.models.types import Duration, Percent, Quantity
from kubelint.node import NodeView

_PLAIN = re.compile(r"[A-Za-z0-9_./\-][A-Za-z0-9_./\-:+]*")


@dataclass(frozen=True)
class Provenance:
    """Where one effective value comes from."""

    kind: str  # config, dropin, flag, configz or default
    path: str | None
    line: int | None
    column: int | None
    via: str  # the chain as text
    comment: str  # what the YAML line says

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "line": self.line, "column": self.column, "via": self.via}


# -- values -----------------------------------------------------------------


def plain(value: Any) -> Any:
    """A typed view value as JSON/YAML data: durations as Go strings, quantities as written."""
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, Quantity | Percent):
        return value.text
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def effective_config(view: KubeletView) -> dict[str, Any]:
    """The effective configuration, camelCase keys, defaults filled, keys sorted (apiVersion and kind first)."""
    data = plain(view.effective)
    return {"apiVersion": API_VERSION, "kind": KIND, **_sorted(data)}


def _sorted(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _sorted(data[key]) for key in sorted(data)}
    if isinstance(data, list):
        return [_sorted(item) for item in data]
    return data


def scalar(value: Any) -> str:
    """A scalar in YAML: plain when it reads back as itself, else JSON-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return json.dumps(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


# -- provenance -------------------------------------------------------------


def default_text(view: KubeletView) -> str:
    kind = "kubelet default" if view.uses_config_file else "legacy flag default"
    return f"{kind} for {view.version[0]}.{view.version[1]}"


def flag_chain(flag: str, location: Location | None, via: tuple[str, ...]) -> str:
    """``--cgroup-driver in var/lib/kubelet/kubeadm-flags.env:1 via KUBELET_KUBEADM_ARGS → ExecStart in ...``."""
    where = f"{location.path}:{location.span.line}" if location else "the command line"
    steps = []
    for index, step in enumerate(via):
        name, _, place = step.partition(" in ")
        steps.append(name if index == 0 and place == where else step)
    return f"--{flag} in {where}" + (" via " + " → ".join(steps) if steps else "")


def _occurrence_chain(node: NodeView, flag: str) -> str | None:
    occurrence: FlagOccurrence | None = node.command_line.flag(flag) if node.command_line else None
    if occurrence is None:
        return None
    return flag_chain(flag, occurrence.whole_location or occurrence.value_location, occurrence.via)


def origin_provenance(node: NodeView, origin: Origin) -> Provenance:
    location = origin.location
    path, line, column = (location.path, location.span.line, location.span.column) if location else (None, None, None)
    if origin.kind == "flag":
        chain = flag_chain(origin.flag or "?", location, origin.via)
        return Provenance("flag", path, line, column, chain, chain)
    where = f"{path}:{line}" if location else "?"
    if origin.kind == "dropin":
        via = _occurrence_chain(node, "config-dir") or "--config-dir"
    elif origin.kind == "config":
        via = _occurrence_chain(node, "config") or "config file"
    else:
        via = "/configz"
    return Provenance(origin.kind, path, line, column, via, where)


def provenance(node: NodeView, path: FieldPath) -> Provenance:
    view = node.view
    exact = view.origins.get(path)
    text = default_text(view)
    if path in view.defaults:
        if exact is not None and exact.location is not None:
            # the file wrote a zero that defaulting replaces (kubeadm's 0s durations)
            written = plain(view.raw(path))
            where = f"{exact.location.path}:{exact.location.span.line}"
            note = f"{text}, replacing {scalar(written) if written is not None else 'the value'} at {where}"
            return Provenance("default", None, None, None, note, note)
        return Provenance("default", None, None, None, text, text)
    if exact is not None:
        return origin_provenance(node, exact)
    defaulted = any(path[:length] in view.defaults for length in range(len(path) - 1, 0, -1))
    is_map_entry = len(path) == 2 and path[0] in MAP_FIELDS
    if not defaulted and not is_map_entry:
        inherited = view.origin(path)
        if inherited.kind != "default":
            return origin_provenance(node, inherited)
    return Provenance("default", None, None, None, text, text)


def leaves(data: dict[str, Any], prefix: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    """Every value line of the configuration: scalars, map entries, lists and empty structs."""
    for key, value in data.items():
        path = (*prefix, key)
        if isinstance(value, dict) and value and not (len(path) == 1 and key in MAP_FIELDS):
            yield from leaves(value, path)
        elif isinstance(value, dict) and value:
            for entry, item in value.items():
                yield (*path, entry), item
        else:
            yield path, value


def provenance_table(node: NodeView) -> dict[str, dict[str, Any]]:
    config = effective_config(node.view)
    table: dict[str, dict[str, Any]] = {}
    for path, _value in leaves({k: v for k, v in config.items() if k not in ("apiVersion", "kind")}):
        table[".".join(path)] = provenance(node, path).as_json()
    return table


def command_line_words(node: NodeView) -> list[str]:
    if node.service is not None and node.service.argv:
        return [word.text for word in node.service.argv]
    if node.command_line is not None:
        return [word.text for word in node.command_line.words]
    return []


# -- output -----------------------------------------------------------------


def render_json(node: NodeView) -> dict[str, Any]:
    return {
        "config": effective_config(node.view),
        "provenance": provenance_table(node),
        "command_line": command_line_words(node),
    }


def render_yaml(node: NodeView) -> str:
    config = effective_config(node.view)
    lines = [f"apiVersion: {API_VERSION}", f"kind: {KIND}"]
    body = {key: value for key, value in config.items() if key not in ("apiVersion", "kind")}
    lines.extend(_yaml_lines(node, body, (), 0))
    return "\n".join(lines) + "\n"


def _yaml_lines(node: NodeView, data: dict[str, Any], prefix: FieldPath, indent: int) -> Iterator[str]:
    pad = "  " * indent
    for key, value in data.items():
        path = (*prefix, key)
        shown = scalar(key) if prefix and prefix[0] in MAP_FIELDS else key
        if isinstance(value, dict) and value:
            yield f"{pad}{shown}:"
            yield from _yaml_lines(node, value, path, indent + 1)
        elif isinstance(value, list) and value:
            yield f"{pad}{shown}:  # {provenance(node, path).comment}"
            yield from _list_lines(value, indent)
        else:
            empty = "{}" if isinstance(value, dict) else "[]" if isinstance(value, list) else scalar(value)
            yield f"{pad}{shown}: {empty}  # {provenance(node, path).comment}"


def _list_lines(items: list[Any], indent: int) -> Iterator[str]:
    pad = "  " * indent
    for item in items:
        if isinstance(item, dict) and item:
            dumped = yaml.safe_dump(item, default_flow_style=False, sort_keys=True).splitlines()
            yield f"{pad}- {dumped[0]}"
            yield from (f"{pad}  {line}" for line in dumped[1:])
        else:
            yield f"{pad}- {scalar(item)}"


# -- explain ----------------------------------------------------------------


class UnknownField(ValueError):
    """The field is not a KubeletConfiguration field."""


def resolve_field(view: KubeletView, text: str) -> FieldPath:
    path = field_path(text.strip().strip("."))
    if _known(path):
        return path
    candidates = [".".join(p) for p, _ in leaves(plain(view.effective))] + list(KubeletConfiguration.model_fields)
    close = difflib.get_close_matches(text, candidates, n=1)
    suggestion = f" (did you mean {close[0]}?)" if close else ""
    raise UnknownField(f"{text!r} is not a KubeletConfiguration field{suggestion}")


def _known(path: FieldPath) -> bool:
    model: type[BaseModel] = KubeletConfiguration
    for index, part in enumerate(path):
        info = model.model_fields.get(part)
        if info is None:
            return False
        if index == 0 and part in MAP_FIELDS:
            return len(path) <= 2
        nested = _model_of(info.annotation)
        if nested is None:
            return index == len(path) - 1
        model = nested
    return True


def _model_of(annotation: Any) -> type[BaseModel] | None:
    candidates = typing.get_args(annotation) if isinstance(annotation, types.UnionType) or typing.get_origin(
        annotation) is typing.Union else (annotation,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def explain_data(node: NodeView, path: FieldPath) -> dict[str, Any]:
    view = node.view
    value = plain(view.get(path))
    entries = []
    if isinstance(value, dict):
        for sub, item in leaves(value, path):
            entries.append({"field": ".".join(sub), "value": item, "provenance": provenance(node, sub).as_json()})
    history = [{"value": plain(old), **origin_provenance(node, origin).as_json()}
               for old, origin in view.history.get(path, [])]
    default = view.defaults.get(path, _default_of(view, path))
    return {
        "field": ".".join(path),
        "value": value,
        "provenance": provenance(node, path).as_json(),
        "overridden": history,
        "default": plain(default) if default is not None else None,
        "entries": entries,
        "environment": _environment_notes(node, view.origins.get(path)),
    }


def _default_of(view: KubeletView, path: FieldPath) -> Any:
    """What the kubelet would use if nothing set ``path`` (the same layers, minus the value)."""
    from kubelint.models.defaults import defaults_for

    return defaults_for({}, view.version, legacy_flags=not view.uses_config_file, gates=view.gates).get(path)


def _environment_notes(node: NodeView, origin: Origin | None) -> list[str]:
    """How each environment variable in a flag's chain got its value."""
    if origin is None or origin.kind != "flag" or node.service is None:
        return []
    notes = []
    for step in origin.via:
        name = step.partition(" in ")[0]
        variable = node.service.environment.get(name)
        if variable is None or variable.location is None:
            continue
        note = f"{name} is set at {variable.location.path}:{variable.location.span.line}"
        if variable.loaded_by is not None:
            note += f", loaded by EnvironmentFile= at {variable.loaded_by.path}:{variable.loaded_by.span.line}"
        if variable.overrides:
            note += "; it overrides " + ", ".join(f"{o.path}:{o.span.line}" for o in variable.overrides)
        notes.append(note)
    return notes


def render_explain(node: NodeView, path: FieldPath) -> str:
    data = explain_data(node, path)
    value = data["value"]
    lines = [f"{data['field']}: {scalar(value) if not isinstance(value, dict | list) else json.dumps(value)}"]
    if value is None:
        lines[0] = f"{data['field']}: not set (no default)"
    lines.append(f"  from      {_from(data['provenance'])}")
    lines.extend(f"            {note}" for note in data["environment"])
    for old in reversed(data["overridden"]):
        shown = scalar(old["value"]) if not isinstance(old["value"], dict | list) else json.dumps(old["value"])
        lines.append(f"  overrides {shown} at {_from(old)}")
    if data["default"] is not None and data["provenance"]["kind"] != "default":
        lines.append(f"  default   {json.dumps(data['default']) if isinstance(data['default'], dict | list) else scalar(data['default'])}"
                     f" ({default_text(node.view)})")
    for entry in data["entries"]:
        lines.append(f"  {entry['field']}: {scalar(entry['value'])}  # {_from(entry['provenance'])}")
    return "\n".join(lines) + "\n"


def _from(prov: dict[str, Any]) -> str:
    if prov["kind"] == "default":
        return str(prov["via"])
    where = f"{prov['path']}:{prov['line']}:{prov['column']}"
    if prov["kind"] == "flag":
        return str(prov["via"]).replace(f"{prov['path']}:{prov['line']}", where, 1)
    label = "drop-in" if prov["kind"] == "dropin" else "config file" if prov["kind"] == "config" else "/configz"
    return f"{where} ({label}, read through {prov['via']})"


# -- command ----------------------------------------------------------------


@dataclass(frozen=True)
class ShowRequest:
    root: Path | None
    cmdline: str | None
    cmdline_file: Path | None
    unit_name: str
    kubernetes_version: str | None
    output_format: str
    explain: str | None


def build_node(request: ShowRequest, version: Version) -> NodeView:
    """The node the request names; raises ``ShowError`` when there is no kubelet to show."""
    from kubelint.analysis import gate_defaults
    from kubelint.node import build_from_command_line, build_from_root

    gates = gate_defaults(version)
    root = request.root or Path("/")
    if not root.is_dir():
        raise ShowError(f"--root {root} is not a directory")
    if request.cmdline is None and request.cmdline_file is None:
        node = build_from_root(root, version, gates, unit_name=request.unit_name)
        if node.command_line is None:
            raise ShowError(f"no {request.unit_name} with an ExecStart= under {root} (give --cmdline to show a "
                            "command line instead)")
        return node
    from kubelint.loaders.cmdline import split_cmdline, split_proc_cmdline

    if request.cmdline_file is not None:
        try:
            data = request.cmdline_file.read_bytes()
        except OSError as error:
            raise ShowError(f"cannot read {request.cmdline_file}: {error.strerror}") from None
        words = split_proc_cmdline(data, str(request.cmdline_file))
        origin = str(request.cmdline_file)
    else:
        words = split_cmdline(request.cmdline or "", "<cmdline>")
        origin = "--cmdline"
    arguments = words[1:] if words and not words[0].text.startswith("-") else words
    return build_from_command_line(arguments, origin, request.root, version, gates)


class ShowError(Exception):
    """A usage problem: exit status 2."""


def run(request: ShowRequest) -> tuple[int, str, str]:
    """(exit status, standard output, standard error) of ``kubelint show``."""
    from kubelint import knowledge

    try:
        version = knowledge.parse_version(request.kubernetes_version) if request.kubernetes_version \
            else knowledge.default_target_version()
        low, high = knowledge.supported_versions()
        if not low <= version <= high:
            raise ShowError(f"Kubernetes {version[0]}.{version[1]} is outside the versions kubelint knows "
                            f"({low[0]}.{low[1]}–{high[0]}.{high[1]})")
        node = build_node(request, version)
        if request.explain is not None:
            path = resolve_field(node.view, request.explain)
            if request.output_format == "json":
                return 0, json.dumps(explain_data(node, path), indent=2, ensure_ascii=False) + "\n", ""
            return 0, render_explain(node, path), ""
    except (ShowError, UnknownField, ValueError) as error:
        return 2, "", f"kubelint: {error}\n"
    if request.output_format == "json":
        return 0, json.dumps(render_json(node), indent=2, ensure_ascii=False) + "\n", ""
    return 0, render_yaml(node), ""
