"""How the gc_eviction rules read eviction maps and image GC settings.

Not a rule: shared parsing, so every rule skips exactly the values the
kubelet refuses (the validity family reports those) and compares only what
is comparable. Eviction thresholds mean "evict when the free amount drops
below the value"; a percentage is of the filesystem's or the memory's
capacity, a quantity is absolute. A percentage and a quantity cannot be
compared without the node's capacity, so such pairs are never compared.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any, Final

from kubelint.diagnostics import Location
from kubelint.kubelet_view import KubeletView
from kubelint.models.defaults import Version
from kubelint.models.types import Percent, Quantity, ValueSyntaxError, parse_threshold
from kubelint.records import Record

HARD, SOFT = "evictionHard", "evictionSoft"
THRESHOLD_MAPS = (HARD, SOFT)
GRACE_PERIODS = "evictionSoftGracePeriod"
MINIMUM_RECLAIM = "evictionMinimumReclaim"
MAX_POD_GRACE = "evictionMaxPodGracePeriod"
MERGE_DEFAULTS = "mergeDefaultEvictionSettings"

GC_HIGH, GC_LOW = "imageGCHighThresholdPercent", "imageGCLowThresholdPercent"
GC_MIN_AGE, GC_MAX_AGE = "imageMinimumGCAge", "imageMaximumGCAge"

# Disk signals whose "available" amount image GC frees; inode signals are not
# about bytes, so image GC thresholds say nothing about them.
IMAGE_DISK_SIGNALS = ("imagefs.available", "nodefs.available")

ThresholdValue = Quantity | Percent

# mergeDefaultEvictionSettings exists from 1.33; older kubelets ignore the key.
MERGE_SINCE: Version = (1, 33)


class Threshold(Record):
    """One enabled, well-formed eviction threshold of the effective configuration."""

    __slots__ = ("explicit", "map_name", "signal", "value")
    map_name: Final[str]
    signal: Final[str]
    value: Final[ThresholdValue]
    explicit: Final[bool]

    def __init__(self, map_name: str, signal: str, value: ThresholdValue, explicit: bool) -> None:
        self.map_name = map_name
        self.signal = signal
        self.value = value
        self.explicit = explicit

    @property
    def path(self) -> tuple[str, str]:
        return (self.map_name, self.signal)

    @property
    def text(self) -> str:
        return self.value.text

    @property
    def label(self) -> str:
        """``evictionHard imagefs.available<20%``, the way the flags spell it."""
        return f"{self.map_name} {self.signal}<{self.value.text}"


def parse_value(raw: Any) -> ThresholdValue | None:
    """A threshold or reclaim value as the kubelet reads it; None if it would refuse it."""
    if not isinstance(raw, str):
        return None
    return _parse_text(raw)


# A pure function of the text (the values are frozen), asked for the same few
# spellings by five rules per view; bounded, since a scan meets arbitrary text.
@lru_cache(maxsize=4096)
def _parse_text(raw: str) -> ThresholdValue | None:
    try:
        value = parse_threshold(raw)
    except ValueSyntaxError:
        return None
    if isinstance(value, Percent):
        return value if 0 <= value.value <= 100 else None
    return value if value.value > 0 else None


def is_switched_off(value: ThresholdValue) -> bool:
    """``0%`` and ``100%`` thresholds are how a signal is switched off."""
    return isinstance(value, Percent) and value.value in (0, 100)


def thresholds(view: KubeletView, map_name: str) -> dict[str, Threshold]:
    """The enabled, well-formed thresholds of ``evictionHard`` or ``evictionSoft``
    (five rules ask about the same view: computed once per view)."""
    found = view.derived(("eviction-thresholds", map_name), lambda view: _thresholds(view, map_name))
    return dict(found)  # callers own their copy


def _thresholds(view: KubeletView, map_name: str) -> dict[str, Threshold]:
    entries = view.get(map_name)
    if not isinstance(entries, dict):
        return {}
    only_explicit = map_name == HARD and view.is_set(HARD) and not merges_default_eviction(view)
    found: dict[str, Threshold] = {}
    for signal, raw in entries.items():
        if only_explicit and not view.is_set((HARD, signal)):
            continue  # a default the kubelet would not merge in
        value = parse_value(raw)
        if value is None or is_switched_off(value):
            continue
        found[signal] = Threshold(map_name, signal, value, view.is_set((map_name, signal)))
    return found


def merges_default_eviction(view: KubeletView) -> bool:
    """Whether the kubelet fills a partial evictionHard with its defaults: only
    ``mergeDefaultEvictionSettings: true`` from 1.33, and never for the
    ``--eviction-hard`` flag, which replaces the whole map."""
    return (view.raw(MERGE_DEFAULTS) is True and view.version >= MERGE_SINCE
            and view.origin_kind(HARD) != "flag")


def comparable(first: ThresholdValue, second: ThresholdValue) -> bool:
    return type(first) is type(second)


def amount(value: ThresholdValue) -> Fraction:
    """The number to compare; only meaningful between values that are ``comparable``."""
    if isinstance(value, Percent):
        return _percent_amount(value.text)
    return value.value


@lru_cache(maxsize=4096)  # parsing a Fraction from text is slow; a pure function of it (bounded)
def _percent_amount(text: str) -> Fraction:
    return Fraction(text[:-1].strip())


def percent_text(number: Fraction | float | int) -> str:
    """``80``, ``92.5``: a percentage without trailing zeros."""
    return f"{float(number):g}%"


def usage_at(threshold: Threshold) -> Fraction:
    """Disk usage (percent) at which a percentage threshold on free space is crossed."""
    if isinstance(threshold.value, Percent):
        return _usage_at_percent(threshold.value.text)
    return 100 - amount(threshold.value)


@lru_cache(maxsize=4096)  # Fraction arithmetic runs in Python; a pure function of the text (bounded)
def _usage_at_percent(text: str) -> Fraction:
    return 100 - _percent_amount(text)


def location_of(view: KubeletView, threshold: Threshold, *, key: bool = False) -> Location:
    return view.where(threshold.path, key=key)


def int_setting(view: KubeletView, name: str) -> int | None:
    value = view.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None
