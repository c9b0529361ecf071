"""The KubeletConfiguration's field types without pydantic, for the common case.

Importing pydantic and building the ``KubeletConfiguration`` validator costs
more than the rest of a one-file run. Most configs decode cleanly, so a
table of every field's type (generated from the pydantic model into the
``kubelet-fields`` snapshot, see ``kubelint.snapshots``) decodes them in
plain Python. The table accepts only values the model certainly accepts and
builds what ``kubelet_view._typed_data`` would build from the model; any
other value (a wrong type, an out-of-range integer, an alias spelled with
its Python name...) makes ``fast_decode`` give up, and the caller asks
pydantic, which also writes the error messages. When the snapshot is stale
(the model changed), ``fast_decode`` always gives up.

Spec forms: ``["int", low, high]``, ``["bool"]``, ``["str"]``, ``["float"]``,
``["duration"]``, ``["flush-duration"]``, ``["quantity"]``, ``["list", spec]``,
``["map", spec]`` (string keys), ``["struct", name]``, ``["other"]`` (never decoded here).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache, lru_cache, partial
from typing import Any

API_VERSION = "kubelet.config.k8s.io/v1beta1"
KIND = "KubeletConfiguration"
ROOT = "KubeletConfiguration"

Spec = list[Any]


class _GiveUp(Exception):
    """A value the table cannot vouch for: pydantic decides."""


@cache
def _table() -> dict[str, Any] | None:
    from kubelint import snapshots

    table = snapshots.load("kubelet-fields")
    if not isinstance(table, dict) or not isinstance(table.get("structs"), dict):
        return None
    return table


# --------------------------------------------------------------------------- known fields


@cache
def known_fields(path: tuple[str, ...] = ()) -> Mapping[str, str | None] | None:
    """The field names allowed under ``path`` (a struct path), each with its
    nested struct's name (None for scalars, maps and lists of scalars), or
    None when ``path`` is a map, a list or unknown."""
    table = _table()
    if table is None:
        return _known_fields_from_model(path)
    structs: dict[str, Any] = table["structs"]
    name: str | None = ROOT
    for part in path:
        if name is None:
            return None
        name = _nested_struct(_field_spec(structs[name], part))
    if name is None:
        return None
    return {alias: _nested_struct(spec) for alias, _, spec in structs[name]["fields"]}


def _field_spec(struct: dict[str, Any], key: str) -> Spec | None:
    for alias, _, spec in struct["fields"]:
        if alias == key:
            return list(spec)
    return None


def _nested_struct(spec: Spec | None) -> str | None:
    """The struct a field holds (lists and maps of structs count as None, as
    in the pydantic model's ``known_fields``)."""
    if spec is not None and spec[0] == "struct":
        return str(spec[1])
    return None


def _known_fields_from_model(path: tuple[str, ...]) -> Mapping[str, str | None] | None:
    from kubelint.models import kubelet_config

    fields = kubelet_config.known_fields(path)
    if fields is None:
        return None
    return {name: (model.__name__ if model is not None else None) for name, model in fields.items()}


# --------------------------------------------------------------------------- decoding


def fast_decode(raw: Any) -> dict[str, Any] | None:
    """``raw`` (a KubeletConfiguration as plain data) typed and ordered like the
    pydantic model's ``_typed_data``, or None to let pydantic decide."""
    decode = _root_decoder()
    if decode is None or type(raw) is not dict:
        return None
    try:
        result: dict[str, Any] = decode(raw)
        return result
    except _GiveUp:
        return None
    except RecursionError:
        return None


Decoder = Callable[[Any], Any]


@cache
def _root_decoder() -> Decoder | None:
    table = _table()
    if table is None:
        return None
    return _Compiler(table["structs"]).struct(ROOT)


class _Compiler:
    """Turns the table's specs into decoding functions, once: a config names
    a third of a struct's hundred fields, so a struct is decoded by looking
    up the keys present, not by asking for every field."""

    def __init__(self, structs: dict[str, Any]) -> None:
        self.structs = structs
        self.decoders: dict[str, Decoder] = {}

    def struct(self, name: str) -> Decoder:
        known = self.decoders.get(name)
        if known is not None:
            return known
        struct = self.structs[name]
        python_names = frozenset(struct["python_names"])
        # alias -> (the field's place in the model, its decoder)
        fields: dict[str, tuple[int, Decoder]] = {}

        def decode(value: Any) -> dict[str, Any]:
            if type(value) is not dict:
                raise _GiveUp
            found: list[tuple[int, str, Any]] = []
            for key, item in value.items():
                # extra keys are ignored by the model, but a field's Python name
                # (populate_by_name) or a non-string key needs pydantic's judgement
                if type(key) is not str or key in python_names:
                    raise _GiveUp
                field = fields.get(key)
                if field is not None and item is not None:
                    found.append((field[0], key, field[1](item)))
            found.sort()  # the model's field order, as pydantic dumps it (places are unique: ints decide)
            return {key: typed for _, key, typed in found}

        self.decoders[name] = decode  # first: a struct may hold itself
        for place, (alias, _, spec) in enumerate(struct["fields"]):
            fields.setdefault(alias, (place, self.value(spec)))
        return decode

    def value(self, spec: Spec) -> Decoder:
        kind = spec[0]
        if kind in ("str", "bool", "float"):
            return _exact_type({"str": str, "bool": bool, "float": float}[kind])
        if kind == "int":
            return _int_between(spec[1], spec[2])
        if kind in ("duration", "flush-duration", "quantity"):
            return partial(_go_value, kind)
        if kind == "list":
            return _list_of(self.value(spec[1]))
        if kind == "map":
            return _map_of(self.value(spec[1]))
        if kind == "struct":
            return self.struct(spec[1])
        return _give_up


def _exact_type(expected: type) -> Decoder:
    def decode(value: Any) -> Any:
        if type(value) is not expected:
            raise _GiveUp
        return value
    return decode


def _int_between(low: int, high: int) -> Decoder:
    def decode(value: Any) -> Any:
        if type(value) is not int or not low <= value <= high:
            raise _GiveUp
        return value
    return decode


def _list_of(item_decoder: Decoder) -> Decoder:
    def decode(value: Any) -> Any:
        if type(value) is not list:
            raise _GiveUp
        return [item_decoder(item) for item in value]
    return decode


def _map_of(item_decoder: Decoder) -> Decoder:
    def decode(value: Any) -> Any:
        if type(value) is not dict:
            raise _GiveUp
        result: dict[str, Any] = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _GiveUp
            result[key] = item_decoder(item)
        return result
    return decode


def _give_up(value: Any) -> Any:
    raise _GiveUp


def _go_value(kind: str, value: Any) -> Any:
    if kind == "flush-duration" and type(value) is int:
        from kubelint.models.types import Duration

        return Duration(value)
    if type(value) is not str:
        raise _GiveUp
    parsed = _parse_go_value(kind == "quantity", value)
    if parsed is None:
        raise _GiveUp
    return parsed


@lru_cache(maxsize=4096)
def _parse_go_value(quantity: bool, text: str) -> Any:
    """A Duration or Quantity (immutable, so shared), or None when ``text`` is
    not one; cached because fleets repeat "0s", "10s" and "100Mi"."""
    from kubelint.models.types import Duration, Quantity, ValueSyntaxError

    try:
        return Quantity.parse(text) if quantity else Duration.parse(text)
    except ValueSyntaxError:
        return None


# --------------------------------------------------------------------------- generation


def build_field_table() -> dict[str, Any]:
    """The table, from the pydantic model (for ``python -m kubelint.snapshots --write``)."""
    from pydantic import BaseModel

    from kubelint.models import kubelet_config

    structs: dict[str, Any] = {}

    def visit(model: type[BaseModel]) -> None:
        if model.__name__ in structs:
            return
        config = model.model_config
        entry: dict[str, Any] = {"fields": [], "python_names": []}
        structs[model.__name__] = entry
        if config.get("extra") not in (None, "ignore"):
            entry["fields"] = [[info.alias or name, name, ["other"]] for name, info in model.model_fields.items()]
            return
        for name, info in model.model_fields.items():
            alias = info.alias or name
            if alias != name and config.get("populate_by_name"):
                entry["python_names"].append(name)
            spec = _spec(_optional(info.annotation), info.metadata, visit)
            entry["fields"].append([alias, name, spec])

    visit(kubelet_config.KubeletConfiguration)
    return {"structs": structs}


def _optional(annotation: Any) -> Any:
    import types
    import typing

    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(members) == 1:
            return members[0]
        return object  # a real union: not for this table
    return annotation


def _spec(annotation: Any, metadata: list[Any], visit: Any) -> Spec:
    import typing

    import annotated_types
    from pydantic import BaseModel, BeforeValidator, Strict
    from pydantic.fields import FieldInfo

    from kubelint.models import fields
    from kubelint.models.types import Duration, Quantity

    extra = list(metadata)
    if typing.get_origin(annotation) is typing.Annotated:
        base, *more = typing.get_args(annotation)
        extra.extend(more)
        annotation = base
    constraints: list[Any] = []
    for item in extra:
        if isinstance(item, FieldInfo):
            constraints.extend(item.metadata)
        else:
            constraints.append(item)
    strict = any(isinstance(item, Strict) and item.strict for item in constraints)
    validators = [item.func for item in constraints if isinstance(item, BeforeValidator)]
    known = (Strict, BeforeValidator, annotated_types.Ge, annotated_types.Le)
    serialization_only = ("PlainSerializer", "WithJsonSchema")
    if any(not isinstance(item, known) and type(item).__name__ not in serialization_only for item in constraints):
        return ["other"]
    origin = typing.get_origin(annotation)
    if origin is list and not constraints:
        return ["list", _spec(typing.get_args(annotation)[0], [], visit)]
    if origin is dict and not constraints:
        key, value = typing.get_args(annotation)
        return ["map", _spec(value, [], visit)] if key is str else ["other"]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and not constraints:
        visit(annotation)
        return ["struct", annotation.__name__]
    if validators:
        go_types: list[tuple[Any, Any, str]] = [
            (Duration, fields._to_duration, "duration"),
            (Duration, fields._to_flush_duration, "flush-duration"),
            (Quantity, fields._to_quantity, "quantity"),
        ]
        for base, function, kind in go_types:
            if len(validators) == 1 and annotation is base and validators[0] is function:
                return [kind]
        return ["other"]
    if not strict:
        return ["other"]
    if annotation is int:
        lows = [item.ge for item in constraints if isinstance(item, annotated_types.Ge)]
        highs = [item.le for item in constraints if isinstance(item, annotated_types.Le)]
        if len(lows) != 1 or len(highs) != 1 or not isinstance(lows[0], int) or not isinstance(highs[0], int):
            return ["other"]
        return ["int", lows[0], highs[0]]
    if annotation is bool:
        return ["bool"]
    if annotation is str:
        return ["str"]
    if annotation is float:
        return ["float"]
    return ["other"]
