"""Kubelet flag values → KubeletConfiguration values, parsed as the flag library does.

``--eviction-hard=memory.available<100Mi,nodefs.available<10%`` becomes
``{"memory.available": "100Mi", "nodefs.available": "10%"}``;
``--feature-gates=A=true,B=false`` becomes ``{"A": True, "B": False}``.
A value the kubelet's flag parser would reject raises ``FlagValueError``
with the reason, so the caller can report it at the value's position.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from kubelint.models.types import Duration, Quantity, ValueSyntaxError

_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}


class FlagValueError(ValueError):
    """The kubelet's flag parser would reject this value."""


def parse_bool(text: str) -> bool:
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FlagValueError(f"{text!r} is not a boolean (use true or false)")


def _parse_int(text: str, bits: int) -> int:
    try:
        value = int(text, 0)
    except ValueError:
        raise FlagValueError(f"{text!r} is not an integer") from None
    limit = 2 ** (bits - 1)
    if not -limit <= value < limit:
        raise FlagValueError(f"{text} does not fit a {bits}-bit integer")
    return value


def _parse_float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise FlagValueError(f"{text!r} is not a number") from None


def _parse_duration(text: str) -> str:
    try:
        Duration.parse(text)
    except ValueSyntaxError as error:
        raise FlagValueError(str(error)) from None
    return text


def _parse_quantity(text: str) -> str:
    try:
        Quantity.parse(text)
    except ValueSyntaxError as error:
        raise FlagValueError(str(error)) from None
    return text


def _parse_ip(text: str) -> str:
    for part in text.split(","):
        try:
            ipaddress.ip_address(part.strip())
        except ValueError:
            raise FlagValueError(f"{part!r} is not an IP address") from None
    return text


def _split_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()] if text else []


def _pairs(text: str, separator: str, syntax: str) -> list[tuple[str, str]]:
    pairs = []
    for item in _split_list(text):
        key, found, value = item.partition(separator)
        if not found:
            raise FlagValueError(f"malformed pair {item!r}, expect {syntax}")
        pairs.append((key.strip(), value.strip()))
    return pairs


def _map_string_string(text: str) -> dict[str, str]:
    return dict(_pairs(text, "=", "key=value"))


def _map_string_bool(text: str) -> dict[str, bool]:
    result: dict[str, bool] = {}
    for key, value in _pairs(text, "=", "Name=true|false"):
        try:
            result[key] = parse_bool(value)
        except FlagValueError:
            raise FlagValueError(f"invalid value of {key}: {value!r}, err: not a boolean") from None
    return result


def _langle_map(text: str) -> dict[str, str]:
    return dict(_pairs(text, "<", "signal<value"))


def _colon_multimap(text: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for key, value in _pairs(text, ":", "name:value"):
        result.setdefault(key, []).append(value)
    return result


def _taints(text: str) -> list[dict[str, str]]:
    taints = []
    for item in _split_list(text):
        body, found, effect = item.rpartition(":")
        if not found:
            raise FlagValueError(f"invalid taint spec {item!r}, expect key=value:Effect")
        key, _, value = body.partition("=")
        taint = {"key": key, "effect": effect}
        if value:
            taint["value"] = value
        taints.append(taint)
    return taints


def _reserved_memory(text: str) -> list[dict[str, Any]]:
    node, found, limits = text.partition(":")
    if not found:
        raise FlagValueError(f"invalid reserved memory {text!r}, expect NUMA:resource=quantity,...")
    number = _parse_int(node.strip(), 32)
    return [{"numaNode": number, "limits": _map_string_string(limits)}]


def _vmodule(text: str) -> list[dict[str, Any]]:
    return [{"filePattern": pattern, "verbosity": _parse_int(level, 32)}
            for pattern, level in _pairs(text, "=", "pattern=N")]


CONVERTERS: dict[str, Callable[[str], Any]] = {
    "bool": parse_bool,
    "int32": lambda text: _parse_int(text, 32),
    "int": lambda text: _parse_int(text, 64),
    "int64": lambda text: _parse_int(text, 64),
    "float": _parse_float,
    "string": lambda text: text,
    "duration": _parse_duration,
    "quantity": _parse_quantity,
    "ip": _parse_ip,
    "string-list": _split_list,
    "map-string-string": _map_string_string,
    "map-string-bool": _map_string_bool,
    "langle-map": _langle_map,
    "colon-multimap": _colon_multimap,
    "taints": _taints,
    "reserved-memory": _reserved_memory,
    "version": lambda text: text,
}

# Flags whose value accumulates over repeated occurrences instead of the last
# winning (pflag maps and slices: the first use clears the default, later ones add).
ACCUMULATING_TYPES = frozenset(
    {"map-string-string", "map-string-bool", "langle-map", "colon-multimap", "reserved-memory", "string-list"}
)


def convert(flag_type: str, text: str, *, config_field: str | None = None) -> Any:
    """Convert a flag's text to the value its config field would hold."""
    if config_field == "logging.vmodule":
        return _vmodule(text)
    converter = CONVERTERS.get(flag_type)
    if converter is None:
        return text
    return converter(text)
