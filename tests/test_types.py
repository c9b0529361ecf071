"""Go durations, Kubernetes quantities, percentages and cpusets, as the kubelet parses them."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelint.models.types import (
    Duration,
    Percent,
    Quantity,
    ValueSyntaxError,
    format_duration,
    parse_cpuset,
    parse_duration_ns,
    parse_quantity,
    parse_threshold,
)

SECOND = 1_000_000_000


@pytest.mark.parametrize(("text", "nanoseconds"), [
    ("0", 0),
    ("0s", 0),
    ("-0", 0),
    ("300ms", 300_000_000),
    ("1h2m3.5s", 3723 * SECOND + SECOND // 2),
    ("1.5h", 5400 * SECOND),
    ("-1.5h", -5400 * SECOND),
    ("+5s", 5 * SECOND),
    (".5s", SECOND // 2),
    ("1.s", SECOND),
    ("1.5\u00b5s", 1500),
    ("1.5\u03bcs", 1500),
    ("2us", 2000),
    ("10ns", 10),
    ("1m0s", 60 * SECOND),
    ("2h45m", (2 * 3600 + 45 * 60) * SECOND),
])
def test_durations_parse_like_go(text: str, nanoseconds: int) -> None:
    assert parse_duration_ns(text) == nanoseconds


@pytest.mark.parametrize("text", ["", "1", "60", "1d", "5s3", "s", ".s", "1.5.3s", "--1s", "1 s", "1S", "9999999999h"])
def test_invalid_durations_are_rejected(text: str) -> None:
    with pytest.raises(ValueSyntaxError):
        parse_duration_ns(text)


def test_day_unit_gets_a_hint() -> None:
    with pytest.raises(ValueSyntaxError, match="24h"):
        Duration.parse("1d")


@pytest.mark.parametrize(("nanoseconds", "text"), [
    (0, "0s"),
    (90 * SECOND, "1m30s"),
    (1_500_000, "1.5ms"),
    (3723 * SECOND + SECOND // 2, "1h2m3.5s"),
    (4 * 3600 * SECOND, "4h0m0s"),
    (-SECOND, "-1s"),
    (1500, "1.5\u00b5s"),
])
def test_durations_format_like_go(nanoseconds: int, text: str) -> None:
    assert format_duration(nanoseconds) == text


@given(st.integers(min_value=-(2**62), max_value=2**62))
def test_formatted_durations_parse_back(nanoseconds: int) -> None:
    assert parse_duration_ns(format_duration(nanoseconds)) == nanoseconds


@pytest.mark.parametrize(("text", "value"), [
    ("100Mi", Fraction(100 * 2**20)),
    ("1Gi", Fraction(2**30)),
    ("1.5G", Fraction(1_500_000_000)),
    ("500m", Fraction(1, 2)),
    ("1e3", Fraction(1000)),
    ("1E-3", Fraction(1, 1000)),
    ("-1Gi", Fraction(-(2**30))),
    ("0", Fraction(0)),
    ("10k", Fraction(10_000)),
    (".5", Fraction(1, 2)),
    ("2", Fraction(2)),
])
def test_quantities_parse_exactly(text: str, value: Fraction) -> None:
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["", "Mi", "1K", "1.5.3", " 1", "1 Mi", "1mi", "1Mb", "abc", "1e"])
def test_invalid_quantities_are_rejected(text: str) -> None:
    with pytest.raises(ValueSyntaxError):
        parse_quantity(text)


def test_uppercase_k_gets_a_hint() -> None:
    with pytest.raises(ValueSyntaxError, match="'k' for 1000"):
        Quantity.parse("1K")


def test_quantity_keeps_its_spelling_and_accepts_numbers() -> None:
    assert str(Quantity.parse("100Mi")) == "100Mi"
    assert Quantity.parse(5).value == 5
    with pytest.raises(ValueSyntaxError):
        Quantity.parse(True)


def test_thresholds_are_percentages_or_quantities() -> None:
    assert parse_threshold("7.5%") == Percent(7.5, "7.5%")
    assert isinstance(parse_threshold("100Mi"), Quantity)
    with pytest.raises(ValueSyntaxError):
        parse_threshold("ten%")


def test_cpusets() -> None:
    assert parse_cpuset("0-3,8,10-11") == frozenset({0, 1, 2, 3, 8, 10, 11})
    assert parse_cpuset("") == frozenset()
    for bad in ("3-1", "a", "1-", "1,,2"):
        with pytest.raises(ValueSyntaxError):
            parse_cpuset(bad)
