"""How the kubelet parses eviction maps, with the reason it rejects a value.

Not a rule: shared by the eviction validity rules (KL120-KL122). Mirrors
``ParseThresholdConfig`` in the kubelet's eviction helpers: thresholds are a
percentage of capacity or a quantity, ``0%`` and ``100%`` switch a signal
off, grace periods are Go durations, minimum reclaims are a quantity or a
positive percentage.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Final

from kubelint.kubelet_view import KubeletView
from kubelint.models.types import Duration, Percent, Quantity, ValueSyntaxError
from kubelint.records import Record

HARD, SOFT = "evictionHard", "evictionSoft"
GRACE, RECLAIM = "evictionSoftGracePeriod", "evictionMinimumReclaim"
SIGNAL_MAPS = (HARD, SOFT, GRACE, RECLAIM)


class Entry(Record):
    __slots__ = ("map_name", "raw", "signal")
    map_name: Final[str]
    signal: Final[str]
    raw: Final[Any]

    def __init__(self, map_name: str, signal: str, raw: Any) -> None:
        self.map_name = map_name
        self.signal = signal
        self.raw = raw

    @property
    def path(self) -> tuple[str, str]:
        return (self.map_name, self.signal)


def entries(view: KubeletView, map_name: str) -> list[Entry]:
    """The effective entries of one eviction map, defaults included (three
    rules ask about the same view: computed once per view)."""
    return list(view.derived(("eviction-entries", map_name), lambda view: _entries(view, map_name)))


def _entries(view: KubeletView, map_name: str) -> tuple[Entry, ...]:
    data = view.get(map_name)
    return tuple(Entry(map_name, signal, raw) for signal, raw in data.items()) if isinstance(data, dict) else ()


def _percent(text: str) -> Percent | None:
    # Go's ParseFloat takes no spaces or digit separators, Python's float does
    if any(character.isspace() or character == "_" for character in text):
        return None
    try:
        return Percent.parse(text)
    except ValueSyntaxError:
        return None


# The functions below are pure functions of a string, called for every entry
# of every eviction map by several rules; a file repeats the same few dozen
# spellings, so each is parsed once. Bounded: a scan meets arbitrary values.
_CACHE_SIZE = 4096


@lru_cache(maxsize=_CACHE_SIZE)
def threshold_error(text: str) -> str | None:
    """Why the kubelet rejects ``text`` as a hard or soft threshold, or None."""
    if text.endswith("%"):
        percent = _percent(text)
        if percent is None:
            return f"invalid percentage {text!r} (write a number followed by %)"
        if percent.value < 0:
            return f"eviction percentage threshold {text} must be >= 0%"
        if percent.value > 100:
            return f"eviction percentage threshold {text} must be <= 100%"
        return None
    try:
        quantity = Quantity.parse(text)
    except ValueSyntaxError as error:
        return str(error)
    if quantity.value <= 0:
        return f"eviction threshold {text} must be positive (use 0% to switch the signal off)"
    return None


@lru_cache(maxsize=_CACHE_SIZE)
def switches_off(text: str) -> bool:
    """``0%`` and ``100%`` thresholds are ignored: that is how a signal is switched off."""
    percent = _percent(text) if text.endswith("%") else None
    return percent is not None and percent.value in (0, 100)


@lru_cache(maxsize=_CACHE_SIZE)
def grace_period_error(text: str) -> str | None:
    try:
        period = Duration.parse(text)
    except ValueSyntaxError as error:
        return str(error)
    if period.nanoseconds < 0:
        return f"invalid eviction grace period specified: {text}, must be a positive value"
    return None


@lru_cache(maxsize=_CACHE_SIZE)
def minimum_reclaim_error(text: str) -> str | None:
    if text.endswith("%"):
        percent = _percent(text)
        if percent is None:
            return f"invalid percentage {text!r} (write a number followed by %)"
        if percent.value <= 0:
            return f"eviction percentage minimum reclaim {text} must be positive"
        return None
    try:
        quantity = Quantity.parse(text)
    except ValueSyntaxError as error:
        return str(error)
    if quantity.value < 0:
        return f"negative eviction minimum reclaim specified for {text}"
    return None


def value_error(map_name: str, raw: Any) -> str | None:
    if not isinstance(raw, str):
        return None  # a non-string is a decode error (invalid-value-type)
    if map_name == GRACE:
        return grace_period_error(raw)
    if map_name == RECLAIM:
        return minimum_reclaim_error(raw)
    return threshold_error(raw)
