"""Field types that decode like the kubelet's Go structs decode JSON.

The kubelet turns YAML into JSON and decodes it into Go types: a string is
never an int, a number is never a duration, an int32 overflows. Strict
pydantic types reproduce that, and Go-specific syntaxes (durations,
quantities) are parsed by ``kubelint.models.types``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, Strict, WithJsonSchema

from kubelint.models.types import Duration, Quantity, ValueSyntaxError

Int32 = Annotated[int, Strict(), Field(ge=-(2**31), le=2**31 - 1)]
Int64 = Annotated[int, Strict(), Field(ge=-(2**63), le=2**63 - 1)]
UInt32 = Annotated[int, Strict(), Field(ge=0, le=2**32 - 1)]
Bool = Annotated[bool, Strict()]
Str = Annotated[str, Strict()]
Float = Annotated[float, Strict()]

DURATION_PATTERN = r"^[-+]?(0|([0-9]*(\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h))+)$"
QUANTITY_PATTERN = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$"


def _to_duration(value: Any) -> Duration:
    if isinstance(value, Duration):
        return value
    if not isinstance(value, str):
        raise ValueError(
            f"a duration must be a string such as \"10s\" or \"1m30s\", not {type(value).__name__} {value!r}"
        )
    try:
        return Duration.parse(value)
    except ValueSyntaxError as error:
        raise ValueError(str(error)) from None


def _to_flush_duration(value: Any) -> Duration:
    # logging.flushFrequency also takes an integer number of nanoseconds
    if isinstance(value, int) and not isinstance(value, bool):
        return Duration(value)
    return _to_duration(value)


def _to_quantity(value: Any) -> Quantity:
    if isinstance(value, Quantity):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"a quantity must be a string such as \"100Mi\", not {type(value).__name__}")
    try:
        return Quantity.parse(value)
    except ValueSyntaxError as error:
        raise ValueError(str(error)) from None


GoDuration = Annotated[
    Duration,
    BeforeValidator(_to_duration),
    PlainSerializer(str, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN, "examples": ["10s", "1m30s"]}),
]
FlushDuration = Annotated[
    Duration,
    BeforeValidator(_to_flush_duration),
    PlainSerializer(str, return_type=str, when_used="json"),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "pattern": DURATION_PATTERN}, {"type": "integer"}]}
    ),
]
QuantityValue = Annotated[
    Quantity,
    BeforeValidator(_to_quantity),
    PlainSerializer(str, return_type=str, when_used="json"),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "pattern": QUANTITY_PATTERN}, {"type": "number"}]}
    ),
]
