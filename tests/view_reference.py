"""The view builder as it was before the lazy single-document path (kept as a test oracle).

``ReferenceViewBuilder`` records an ``Origin`` for every value eagerly, deep-copies
every layer and runs the original defaulting and table decoding, exactly as
``kubelint.kubelet_view`` did before. tests/test_view_equivalence.py compares
the views the current code builds with the views built here, attribute by
attribute. Only frozen vocabulary (``Origin``, ``KubeletView``, the DEFAULTS
table, the pydantic fallback) is shared with the code under test.
"""

from __future__ import annotations

import copy
import re
from fractions import Fraction
from typing import Any

from kubelint.diagnostics import Location, Span
from kubelint.kubelet_view import (
    MAP_FIELDS,
    FieldPath,
    KubeletView,
    Origin,
    OriginKind,
    YamlTarget,
    _decode,
    _typed_data,
)
from kubelint.loaders.problems import Problem
from kubelint.loaders.yaml import KeyPath, YamlDocument
from kubelint.models import kubelet_fields
from kubelint.models.defaults import DEFAULTS, LEGACY, Version, default_eviction_hard, is_zero
from kubelint.models.types import Duration, Percent, Quantity


def get_path(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def set_path(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        child = data.get(part)
        if not isinstance(child, dict):
            child = {}
            data[part] = child
        data = child
    data[path[-1]] = value


_IMMUTABLE = frozenset({str, int, float, bool, type(None), Duration, Quantity, Percent})


def copy_data(value: Any, memo: dict[int, Any] | None = None) -> Any:
    kind = type(value)
    if kind in _IMMUTABLE:
        return value
    if kind is dict or kind is list:
        if memo is None:
            memo = {}
        known = memo.get(id(value))
        if known is not None:
            return known
        if kind is dict:
            copied: Any = {}
            memo[id(value)] = copied
            for key, item in value.items():
                copied[key] = copy_data(item, memo)
        else:
            copied = []
            memo[id(value)] = copied
            copied.extend(copy_data(item, memo) for item in value)
        return copied
    return copy.deepcopy(value)


def defaults_for(
    explicit: dict[str, Any], version: Version, *, legacy_flags: bool, gates: dict[str, bool],
    keep_zero: set[FieldPath] | frozenset[FieldPath] = frozenset(),
) -> dict[FieldPath, Any]:
    filled: dict[FieldPath, Any] = {}
    for rule in DEFAULTS:
        current = get_path(explicit, rule.path)
        absent = current is None
        if absent or (rule.when == "zero" and is_zero(current) and rule.path not in keep_zero):
            value = rule.value(version)
            if legacy_flags and rule.path in LEGACY:
                value = LEGACY[rule.path]
            filled[rule.path] = value
    pids = get_path(explicit, ("podPidsLimit",))
    if pids is None or (isinstance(pids, int) and pids < 0):
        filled[("podPidsLimit",)] = -1
    report = get_path(explicit, ("nodeStatusReportFrequency",))
    if is_zero(report):
        update = get_path(explicit, ("nodeStatusUpdateFrequency",))
        filled[("nodeStatusReportFrequency",)] = update if not is_zero(update) else Duration.parse("5m")
    if get_path(explicit, ("serializeImagePulls",)) is None:
        parallel = get_path(explicit, ("maxParallelImagePulls",))
        filled[("serializeImagePulls",)] = not (isinstance(parallel, int) and parallel >= 2)
    if gates.get("KubeletCrashLoopBackOffMax") and get_path(
        explicit, ("crashLoopBackOff", "maxContainerRestartPeriod")
    ) is None:
        filled[("crashLoopBackOff", "maxContainerRestartPeriod")] = Duration.parse("300s")
    if gates.get("KubeletEnsureSecretPulledImages") and not get_path(
        explicit, ("imagePullCredentialsVerificationPolicy",)
    ):
        filled[("imagePullCredentialsVerificationPolicy",)] = "NeverVerifyPreloadedImages"
    if get_path(explicit, ("evictionHard",)) is None:
        filled[("evictionHard",)] = default_eviction_hard(version)
    return filled


# ------------------------------------------------------------------ the table decoder, walking every field


class _GiveUp(Exception):
    pass


def fast_decode(raw: Any) -> dict[str, Any] | None:
    table = kubelet_fields._table()
    if table is None or type(raw) is not dict:
        return None
    try:
        return _struct(table["structs"], kubelet_fields.ROOT, raw)
    except _GiveUp:
        return None
    except RecursionError:
        return None


def _struct(structs: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    if type(value) is not dict:
        raise _GiveUp
    struct = structs[name]
    for key in value:
        if type(key) is not str or key in struct["python_names"]:
            raise _GiveUp
    result: dict[str, Any] = {}
    for alias, _, spec in struct["fields"]:
        item = value.get(alias)
        if item is not None:
            result[alias] = _value(structs, spec, item)
    return result


def _value(structs: dict[str, Any], spec: list[Any], value: Any) -> Any:
    kind = spec[0]
    if kind == "str":
        if type(value) is not str:
            raise _GiveUp
        return value
    if kind == "int":
        if type(value) is not int or not spec[1] <= value <= spec[2]:
            raise _GiveUp
        return value
    if kind == "bool":
        if type(value) is not bool:
            raise _GiveUp
        return value
    if kind == "float":
        if type(value) is not float:
            raise _GiveUp
        return value
    if kind in ("duration", "flush-duration", "quantity"):
        if kind == "flush-duration" and type(value) is int:
            return Duration(value)
        if type(value) is not str:
            raise _GiveUp
        try:
            return Quantity.parse(value) if kind == "quantity" else Duration.parse(value)
        except ValueError:
            raise _GiveUp from None
    if kind == "list":
        if type(value) is not list:
            raise _GiveUp
        return [_value(structs, spec[1], item) for item in value]
    if kind == "map":
        if type(value) is not dict:
            raise _GiveUp
        result: dict[str, Any] = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _GiveUp
            result[key] = _value(structs, spec[1], item)
        return result
    if kind == "struct":
        return _struct(structs, spec[1], value)
    raise _GiveUp


# ------------------------------------------------------------------ the eager builder


class ReferenceViewBuilder:
    """``kubelint.kubelet_view.ViewBuilder`` before laziness: same interface."""

    def __init__(self, anchor: Location) -> None:
        self.raw: dict[str, Any] = {}
        self.origins: dict[FieldPath, Origin] = {}
        self.history: dict[FieldPath, list[tuple[Any, Origin]]] = {}
        self.anchor = anchor
        self.uses_config_file = False
        self.cli_gates: dict[str, bool] = {}
        self.flag_paths: set[FieldPath] = set()
        self.eviction_hard_owner: str | None = None

    def add_document(self, document: YamlDocument, kind: OriginKind = "config", *,
                     root: KeyPath = (), via: tuple[str, ...] = ()) -> None:
        data = _get_raw(document.data, root)
        if not isinstance(data, dict):
            return
        if kind in ("config", "configz"):
            self.uses_config_file = True
            if "evictionHard" in data:
                self.eviction_hard_owner = "config"
        for key, value in data.items():
            if key in ("apiVersion", "kind"):
                continue
            self._merge((key,), value, document, root, kind, via)

    def _merge(self, path: FieldPath, value: Any, document: YamlDocument, root: KeyPath,
               kind: OriginKind, via: tuple[str, ...]) -> None:
        existing = get_path(self.raw, path)
        doc_path = (*root, *path)
        if isinstance(value, dict) and isinstance(existing, dict):
            self._record(path, value, document, doc_path, kind, via, replace=False)
            for key, child in value.items():
                self._merge((*path, key), child, document, root, kind, via)
            return
        self._forget_below(path)
        self._record(path, value, document, doc_path, kind, via, replace=True)
        set_path(self.raw, path, copy_data(value))
        if isinstance(value, dict):
            for key, child in value.items():
                self._record_tree((*path, key), child, document, (*doc_path, key), kind, via)
        elif isinstance(value, list):
            self._record_items(path, value, document, doc_path, kind, via)

    def _record_items(self, path: FieldPath, items: list[Any], document: YamlDocument, doc_path: KeyPath,
                      kind: OriginKind, via: tuple[str, ...]) -> None:
        for index, item in enumerate(items):
            self._record_tree((*path, str(index)), item, document, (*doc_path, index), kind, via)

    def _record_tree(self, path: FieldPath, value: Any, document: YamlDocument, doc_path: KeyPath,
                     kind: OriginKind, via: tuple[str, ...]) -> None:
        self._record(path, value, document, doc_path, kind, via, replace=True)
        if isinstance(value, dict):
            for key, child in value.items():
                self._record_tree((*path, key), child, document, (*doc_path, key), kind, via)
        elif isinstance(value, list):
            self._record_items(path, value, document, doc_path, kind, via)

    def _record(self, path: FieldPath, value: Any, document: YamlDocument, doc_path: KeyPath,
                kind: OriginKind, via: tuple[str, ...], *, replace: bool) -> None:
        origin = Origin(
            kind,
            Location(document.path, document.nearest_span(doc_path)),
            Location(document.path, document.nearest_span(doc_path, key=True)),
            via,
            YamlTarget(document.path, document.index, doc_path),
        )
        previous = self.origins.get(path)
        if previous is not None and replace:
            self.history.setdefault(path, []).append((get_path(self.raw, path), previous))
        self.origins[path] = origin

    def _forget_below(self, path: FieldPath) -> None:
        for known in [p for p in self.origins if len(p) > len(path) and p[: len(path)] == path]:
            del self.origins[known]

    def add_flag_value(self, path: FieldPath, value: Any, origin: Origin, *, merge_map: bool = False) -> None:
        self.flag_paths.add(path)
        if path == ("evictionHard",):
            self.eviction_hard_owner = "flag"
        if path == ("featureGates",) and isinstance(value, dict):
            for gate, enabled in value.items():
                self.cli_gates[gate] = enabled
                self._set_with_history((*path, gate), enabled, origin)
            return
        if merge_map and isinstance(value, dict):
            for key, item in value.items():
                self._set_with_history((*path, key), item, origin)
            return
        self._forget_below(path)
        self._set_with_history(path, value, origin)

    def _set_with_history(self, path: FieldPath, value: Any, origin: Origin) -> None:
        previous = self.origins.get(path)
        if previous is not None:
            self.history.setdefault(path, []).append((get_path(self.raw, path), previous))
        set_path(self.raw, path, copy_data(value))
        self.origins[path] = origin

    def _effective_eviction_hard(self, explicit: dict[str, Any], version: Version) -> dict[str, Any] | None:
        written = explicit.get("evictionHard")
        if not isinstance(written, dict):
            return None
        if self.eviction_hard_owner == "flag":
            return written
        merge = explicit.get("mergeDefaultEvictionSettings") is True and version >= (1, 33)
        if self.eviction_hard_owner == "config" and not merge:
            return written
        merged: dict[str, Any] = dict(default_eviction_hard(version))
        merged.update(written)
        return merged

    def build(self, version: Version, known_gate_defaults: dict[str, bool]) -> KubeletView:
        problems: list[Problem] = []
        explicit = fast_decode(self.raw)
        if explicit is None:
            explicit = _typed_data(_decode(self.raw, self.origins, self.anchor, problems))
        explicit.pop("apiVersion", None)
        explicit.pop("kind", None)
        gates = dict(known_gate_defaults)
        gates.update(explicit.get("featureGates") or {})
        gates.update(self.cli_gates)
        defaults = defaults_for(explicit, version, legacy_flags=not self.uses_config_file, gates=gates,
                                keep_zero=self.flag_paths)
        effective = copy_data(explicit)
        for path, value in defaults.items():
            set_path(effective, path, copy_data(value))
        hard = self._effective_eviction_hard(explicit, version)
        if hard is not None:
            effective["evictionHard"] = hard
        return KubeletView(
            explicit_raw=_without_invalid(self.raw, explicit),
            effective=effective,
            origins=self.origins,
            history=self.history,
            defaults=defaults,
            version=version,
            gates=gates,
            uses_config_file=self.uses_config_file,
            anchor=self.anchor,
            problems=problems,
        )


def _get_raw(data: Any, path: KeyPath) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        else:
            return None
    return data


def _without_invalid(raw: dict[str, Any], explicit: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in explicit:
            continue
        if isinstance(value, dict) and isinstance(explicit[key], dict):
            result[key] = _without_invalid(value, explicit[key]) if key not in MAP_FIELDS else value
        else:
            result[key] = value
    return result


def reference_single_document_view(document: YamlDocument, version: Version, gate_defaults: dict[str, bool],
                                   *, root: KeyPath = (), kind: OriginKind = "config") -> KubeletView:
    anchor_span = document.nearest_span((*root, "kind"), key=True) if root == () else document.nearest_span(root, key=True)
    builder = ReferenceViewBuilder(Location(document.path, anchor_span if anchor_span else Span(1, 1, 1, 2)))
    builder.add_document(document, kind, root=root)
    return builder.build(version, gate_defaults)


# ------------------------------------------------------------------ Go value parsing with Fraction arithmetic

_NANOS_PER_UNIT: dict[str, int] = {
    "ns": 1, "us": 1_000, "\u00b5s": 1_000, "\u03bcs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
    "m": 60 * 1_000_000_000, "h": 3600 * 1_000_000_000,
}
_DURATION_PART = re.compile(r"([0-9]*)(?:\.([0-9]*))?([^0-9.]*)")


def reference_parse_duration_ns(text: str) -> int:
    """``kubelint.models.types.parse_duration_ns`` as it was (ValueError where it raises)."""
    negative = False
    if text[:1] in "+-" and text:
        negative = text[0] == "-"
        text = text[1:]
    if text == "0":
        return 0
    if not text:
        raise ValueError(text)
    total = Fraction(0)
    position = 0
    while position < len(text):
        match = _DURATION_PART.match(text, position)
        if match is None or match.end() == position:
            raise ValueError(text)
        whole, fraction, unit = match.group(1), match.group(2), match.group(3)
        if (not whole and not fraction) or unit not in _NANOS_PER_UNIT:
            raise ValueError(text)
        amount = Fraction(int(whole or "0"))
        if fraction:
            amount += Fraction(int(fraction), 10 ** len(fraction))
        total += amount * _NANOS_PER_UNIT[unit]
        position = match.end()
    nanos = int(total)
    if nanos > 2**63 - 1:
        raise ValueError(text)
    return -nanos if negative else nanos


_BINARY_SUFFIX = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL_SUFFIX = {
    "n": Fraction(1, 10**9), "u": Fraction(1, 10**6), "m": Fraction(1, 10**3), "": Fraction(1),
    "k": Fraction(10**3), "M": Fraction(10**6), "G": Fraction(10**9), "T": Fraction(10**12),
    "P": Fraction(10**15), "E": Fraction(10**18),
}
_QUANTITY = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)")
_EXPONENT = re.compile(r"[eE]([+-]?[0-9]+)")


def reference_parse_quantity(text: str) -> Fraction:
    """``kubelint.models.types.parse_quantity`` as it was (ValueError where it raises)."""
    match = _QUANTITY.fullmatch(text)
    if match is None or not text or text.strip() != text:
        raise ValueError(text)
    sign, whole, fraction, suffix = match.groups()
    if not whole and not fraction:
        raise ValueError(text)
    number = Fraction(int(whole or "0"))
    if fraction:
        number += Fraction(int(fraction), 10 ** len(fraction))
    if suffix in _BINARY_SUFFIX:
        scale: Fraction = Fraction(_BINARY_SUFFIX[suffix])
    elif suffix in _DECIMAL_SUFFIX:
        scale = _DECIMAL_SUFFIX[suffix]
    else:
        exponent = _EXPONENT.fullmatch(suffix)
        if exponent is None:
            raise ValueError(text)
        power = int(exponent.group(1))
        if abs(power) > 100:
            raise ValueError(text)
        scale = Fraction(10) ** power
    value = number * scale
    return -value if sign == "-" else value
