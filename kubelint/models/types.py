"""Go and Kubernetes value syntaxes, parsed the way the kubelet parses them.

- ``Duration``: Go's ``time.ParseDuration`` (``1h2m3.5s``, ``300ms``, ``0``);
  no ``d`` unit, a bare non-zero number is an error.
- ``Quantity``: ``resource.Quantity`` (``100Mi``, ``1.5G``, ``500m``, ``1e3``).
- ``Percent``: eviction-style ``7.5%``.

Values are small immutable objects with exact arithmetic (``Fraction``), so
comparisons such as "threshold above capacity" are never off by rounding.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, Final

from kubelint.records import OrderedRecord, Record

_NANOS_PER_UNIT: dict[str, int] = {
    "ns": 1,
    "us": 1_000,
    "\u00b5s": 1_000,  # micro sign
    "\u03bcs": 1_000,  # Greek mu
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60 * 1_000_000_000,
    "h": 3600 * 1_000_000_000,
}
_DURATION_PART = re.compile(r"([0-9]*)(?:\.([0-9]*))?([^0-9.]*)")
_MAX_INT64 = 2**63 - 1


class ValueSyntaxError(ValueError):
    """A value does not follow the Go/Kubernetes syntax it must follow."""


def _instance_schema(cls: type) -> Any:
    """pydantic's schema for a ``Duration`` or ``Quantity`` field: an instance
    check. The models annotate these types with a ``BeforeValidator`` that
    makes one from the raw value, a serializer and a JSON schema
    (``kubelint.models.fields``); only then is pydantic imported."""
    from pydantic_core import core_schema

    return core_schema.is_instance_schema(cls)


class Duration(OrderedRecord):
    __slots__ = ("nanoseconds",)
    nanoseconds: Final[int]

    def __init__(self, nanoseconds: int) -> None:
        self.nanoseconds = nanoseconds

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        return _instance_schema(cls)

    @classmethod
    def parse(cls, text: str) -> Duration:
        return cls(parse_duration_ns(text))

    @property
    def seconds(self) -> float:
        return self.nanoseconds / 1e9

    def __bool__(self) -> bool:
        return self.nanoseconds != 0

    def __str__(self) -> str:
        return format_duration(self.nanoseconds)


def parse_duration_ns(text: str) -> int:
    """Parse a Go duration into nanoseconds, raising ``ValueSyntaxError``."""
    original = text
    if not isinstance(text, str):
        raise ValueSyntaxError(f"duration must be a string like '10s', got {type(text).__name__}")
    negative = False
    if text[:1] in "+-" and text:
        negative = text[0] == "-"
        text = text[1:]
    if text == "0":
        return 0
    if not text:
        raise ValueSyntaxError(f"invalid duration {original!r}")
    # the exact sum as integers over a power of ten (Fraction arithmetic costs ~10x)
    numerator, denominator = 0, 1
    position = 0
    while position < len(text):
        match = _DURATION_PART.match(text, position)
        if match is None or match.end() == position:
            raise ValueSyntaxError(f"invalid duration {original!r}")
        whole, fraction, unit = match.group(1), match.group(2), match.group(3)
        if not whole and not fraction:
            raise ValueSyntaxError(f"invalid duration {original!r}")
        if not unit:
            raise ValueSyntaxError(
                f"missing unit in duration {original!r} (use ns, us, ms, s, m or h)"
            )
        if unit not in _NANOS_PER_UNIT:
            hint = " (Go durations have no 'd'; write 24h)" if unit == "d" else ""
            raise ValueSyntaxError(f"unknown unit {unit!r} in duration {original!r}{hint}")
        scale = 10 ** len(fraction) if fraction else 1
        amount = (int(whole or "0") * scale + (int(fraction) if fraction else 0)) * _NANOS_PER_UNIT[unit]
        if scale > denominator:
            numerator *= scale // denominator
            denominator = scale
        numerator += amount * (denominator // scale)
        position = match.end()
    nanos = numerator // denominator  # Go truncates sub-nanosecond fractions (the sum is never negative)
    if nanos > _MAX_INT64:
        raise ValueSyntaxError(f"invalid duration {original!r}: out of range")
    return -nanos if negative else nanos


def format_duration(nanos: int) -> str:
    """Format like Go's ``Duration.String`` (``1h2m3.5s``, ``300ms``, ``0s``)."""
    if nanos == 0:
        return "0s"
    sign = "-" if nanos < 0 else ""
    nanos = abs(nanos)
    if nanos < 1_000_000_000:
        for unit, size in (("ms", 1_000_000), ("\u00b5s", 1_000), ("ns", 1)):
            if nanos >= size:
                return sign + _trim_fraction(Fraction(nanos, size)) + unit
    hours, rest = divmod(nanos, 3600 * 1_000_000_000)
    minutes, rest = divmod(rest, 60 * 1_000_000_000)
    seconds = _trim_fraction(Fraction(rest, 1_000_000_000)) + "s"
    text = ""
    if hours:
        text += f"{hours}h"
    if hours or minutes:
        text += f"{minutes}m"
    return sign + text + seconds


def _trim_fraction(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    whole = value.numerator // value.denominator
    rest = value - whole
    digits = ""
    while rest and len(digits) < 9:
        rest *= 10
        digit = rest.numerator // rest.denominator
        digits += str(digit)
        rest -= digit
    return f"{whole}.{digits.rstrip('0')}"


_BINARY_SUFFIX = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL_SUFFIX = {
    "n": Fraction(1, 10**9),
    "u": Fraction(1, 10**6),
    "m": Fraction(1, 10**3),
    "": Fraction(1),
    "k": Fraction(10**3),
    "M": Fraction(10**6),
    "G": Fraction(10**9),
    "T": Fraction(10**12),
    "P": Fraction(10**15),
    "E": Fraction(10**18),
}
_QUANTITY = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)")
_EXPONENT = re.compile(r"[eE]([+-]?[0-9]+)")


class Quantity(OrderedRecord):
    """An exact Kubernetes quantity; ``text`` keeps the spelling for messages."""

    __slots__ = ("text", "value")
    value: Final[Fraction]
    text: Final[str]

    def __init__(self, value: Fraction, text: str) -> None:
        self.value = value
        self.text = text

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        return _instance_schema(cls)

    @classmethod
    def parse(cls, raw: str | int | float) -> Quantity:
        if isinstance(raw, bool):
            raise ValueSyntaxError("quantity must be a string like '100Mi' or a number")
        if isinstance(raw, int):
            return cls(Fraction(raw), str(raw))
        if isinstance(raw, float):
            return cls(Fraction(repr(raw)), repr(raw))
        return cls(parse_quantity(raw), raw)

    def __str__(self) -> str:
        return self.text


def parse_quantity(text: str) -> Fraction:
    """Parse a ``resource.Quantity`` string exactly, raising ``ValueSyntaxError``."""
    if not isinstance(text, str):
        raise ValueSyntaxError("quantity must be a string")
    match = _QUANTITY.fullmatch(text)
    if match is None or not text or text.strip() != text:
        raise ValueSyntaxError(f"quantities must match the regular expression "
                               f"'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$', got {text!r}")
    sign, whole, fraction, suffix = match.groups()
    if not whole and not fraction:
        raise ValueSyntaxError(f"invalid quantity {text!r}: no digits")
    # numerator / denominator in integers, one Fraction at the end (its arithmetic costs ~10x)
    denominator = 10 ** len(fraction) if fraction else 1
    numerator = int(whole or "0") * denominator + (int(fraction) if fraction else 0)
    if suffix in _BINARY_SUFFIX:
        numerator *= _BINARY_SUFFIX[suffix]
    elif suffix in _DECIMAL_SUFFIX:
        scale = _DECIMAL_SUFFIX[suffix]
        numerator *= scale.numerator
        denominator *= scale.denominator
    else:
        exponent = _EXPONENT.fullmatch(suffix)
        if exponent is None:
            hint = " (use 'k' for 1000 or 'Ki' for 1024)" if suffix == "K" else ""
            raise ValueSyntaxError(f"unable to parse quantity's suffix {suffix!r} in {text!r}{hint}")
        power = int(exponent.group(1))
        if abs(power) > 100:
            raise ValueSyntaxError(f"quantity {text!r} is out of range")
        if power >= 0:
            numerator *= 10**power
        else:
            denominator *= 10**-power
    return Fraction(-numerator if sign == "-" else numerator, denominator)


class Percent(Record):
    __slots__ = ("text", "value")
    value: Final[float]
    text: Final[str]

    def __init__(self, value: float, text: str) -> None:
        self.value = value
        self.text = text

    @classmethod
    def parse(cls, text: str) -> Percent:
        if not text.endswith("%"):
            raise ValueSyntaxError(f"{text!r} is not a percentage")
        try:
            number = float(text[:-1])
        except ValueError:
            raise ValueSyntaxError(f"invalid percentage {text!r}") from None
        return cls(number, text)


def parse_threshold(text: str) -> Quantity | Percent:
    """An eviction threshold value: a percentage or a quantity."""
    if text.endswith("%"):
        return Percent.parse(text)
    return Quantity.parse(text)


def parse_cpuset(text: str) -> frozenset[int]:
    """Parse a Linux cpuset list (``0-3,8,10-11``) as the kubelet does."""
    cpus: set[int] = set()
    if text.strip() == "":
        return frozenset()
    for part in text.split(","):
        part = part.strip()
        bounds = part.split("-")
        if len(bounds) == 1 and bounds[0].isdigit():
            cpus.add(int(bounds[0]))
        elif len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            low, high = int(bounds[0]), int(bounds[1])
            if low > high:
                raise ValueSyntaxError(f"invalid range {part!r} ({low} > {high})")
            if high - low > 65536:
                raise ValueSyntaxError(f"range {part!r} is too large")
            cpus.update(range(low, high + 1))
        else:
            raise ValueSyntaxError(f"invalid cpuset element {part!r}")
    return frozenset(cpus)
