"""``kubelint.records`` behaves as the frozen dataclasses it replaced."""

from __future__ import annotations

import copy
import pickle
from dataclasses import dataclass
from typing import Final

import pytest

from kubelint.diagnostics import Diagnostic, Finding, Location, Severity, Span, TextEdit, YamlEdit
from kubelint.records import MutableRecord, OrderedRecord, Record


class Pair(OrderedRecord):
    __slots__ = ("left", "right")
    left: Final[int]
    right: Final[str]

    def __init__(self, left: int, right: str = "") -> None:
        self.left = left
        self.right = right


@dataclass(frozen=True, order=True)
class PairClass:
    left: int
    right: str = ""


class Box(MutableRecord):
    __slots__ = ("items",)
    items: list[int]

    def __init__(self, items: list[int]) -> None:
        self.items = items


VALUES = [(1, "a"), (1, "b"), (0, "z"), (2, ""), (1, "a")]


def test_equality_hash_repr_and_order_match_a_dataclass() -> None:
    records = [Pair(*value) for value in VALUES]
    classes = [PairClass(*value) for value in VALUES]
    for record, twin in zip(records, classes, strict=True):
        assert repr(record) == repr(twin).replace("PairClass", "Pair")
        assert hash(record) == hash(twin)
        for other_record, other_twin in zip(records, classes, strict=True):
            assert (record == other_record) == (twin == other_twin)
            assert (record < other_record) == (twin < other_twin)
            assert (record <= other_record) == (twin <= other_twin)
            assert (record > other_record) == (twin > other_twin)
            assert (record >= other_record) == (twin >= other_twin)
    assert sorted(records) == [Pair(*value) for value in sorted(VALUES)]


def test_other_classes_are_never_equal_nor_ordered() -> None:
    assert Pair(1, "a") != (1, "a")
    assert Pair(1, "a") != PairClass(1, "a")
    assert Location("a", Span(1, 1, 1, 2)) != TextEdit("a", Span(1, 1, 1, 2), "")
    with pytest.raises(TypeError):
        _ = Pair(1, "a") < (2, "b")  # type: ignore[operator]


def test_records_pickle_and_copy() -> None:
    # --jobs sends diagnostics and results between processes
    diagnostic = Diagnostic(Location("a.yaml", Span(2, 3, 2, 9)), "KL001", "name", Severity.WARNING, "message",
                            hint="hint")
    for value in (diagnostic, Span.point(4), Pair(3, "x"), Box([1, 2])):
        assert pickle.loads(pickle.dumps(value)) == value
        assert copy.deepcopy(value) == value
        assert copy.copy(value) == value


def test_mutable_records_are_unhashable_and_assignable() -> None:
    box = Box([1])
    box.items = [2]
    assert box == Box([2])
    with pytest.raises(TypeError):
        hash(box)


def test_records_have_no_instance_dict() -> None:
    with pytest.raises(AttributeError):
        Span(1, 1, 1, 2).extra = 1  # type: ignore[attr-defined]


def test_slots_must_name_the_annotated_fields() -> None:
    with pytest.raises(TypeError):
        class Missing(Record):
            __slots__ = ("a",)
            a: int
            b: int

    with pytest.raises(TypeError):
        class Extended(Pair):
            __slots__ = ("c",)
            c: int


def test_keyword_construction_and_defaults() -> None:
    finding = Finding(location=Location("x", Span.point(1)), message="m")
    assert (finding.severity, finding.fix, finding.hint, finding.related) == (None, None, None, ())
    edit = YamlEdit("p", 0, ("a",), "rename", new_key="b")
    assert edit.with_path("q") == YamlEdit("q", 0, ("a",), "rename", new_key="b")
    assert TextEdit("p", Span.point(1), "t").with_path("q") == TextEdit("q", Span.point(1), "t")


class Cached(MutableRecord):
    __slots__ = ("_seen", "name")
    name: str
    _seen: dict[str, int]

    def __init__(self, name: str) -> None:
        self.name = name
        self._seen = {}


def test_a_private_annotated_slot_is_a_cache_not_a_field() -> None:
    first, second = Cached("a"), Cached("a")
    first._seen["x"] = 1
    assert first == second and repr(first) == "Cached(name='a')"
    assert pickle.loads(pickle.dumps(first))._seen == {"x": 1}


def test_a_view_derives_a_value_once() -> None:
    from kubelint.kubelet_view import single_document_view
    from kubelint.loaders.yaml import load_yaml

    document = load_yaml("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n", "c.yaml").documents[0]
    view = single_document_view(document, (1, 33), {})
    calls: list[str] = []

    def compute(seen: object) -> str:
        calls.append("computed")
        return "value"

    assert view.derived("key", compute) == view.derived("key", compute) == "value"
    assert calls == ["computed"]
    assert view == single_document_view(document, (1, 33), {})
