"""The view builder's lazy single-document path agrees with the eager reference.

``tests/view_reference.py`` keeps the builder as it was before origins were
built on request, data shared instead of copied and defaults precomputed.
Every view built here is compared with the reference attribute by attribute:
effective values (types and key order included), explicit values, defaults,
problems, every origin (and the paths that are not origins) and every
history entry; and the accessors rules call, on every path either side knows.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kubelint import knowledge, node
from kubelint.analysis import gate_defaults
from kubelint.diagnostics import Location, Span
from kubelint.discover import FileKind, classify
from kubelint.kubelet_view import FieldPath, KubeletView, Origin, ViewBuilder, single_document_view
from kubelint.loaders.yaml import YamlDocument, load_yaml
from kubelint.models import kubelet_fields
from kubelint.models.defaults import Version
from kubelint.models.types import ValueSyntaxError, parse_duration_ns, parse_quantity
from tests.test_robustness_loaders import SETTINGS, _field_values, kubelet_data, valid_kubelet_data
from tests.view_reference import (
    ReferenceViewBuilder,
    reference_parse_duration_ns,
    reference_parse_quantity,
    reference_single_document_view,
)

REPO = Path(__file__).resolve().parent.parent
VERSIONS: list[Version] = [(1, 26), (1, 30), (1, 33), knowledge.default_target_version()]


# ------------------------------------------------------------------ comparing two views


def same_data(new: Any, old: Any) -> bool:
    """Equal, of the same types, with dict keys in the same order."""
    if type(new) is not type(old):
        return False
    if isinstance(new, dict):
        return list(new) == list(old) and all(same_data(new[key], old[key]) for key in new)
    if isinstance(new, list):
        return len(new) == len(old) and all(same_data(a, b) for a, b in zip(new, old, strict=True))
    if isinstance(new, float) and math.isnan(new):
        return math.isnan(old)
    return bool(new == old)


def _probes(paths: list[FieldPath]) -> Iterator[FieldPath]:
    """Known paths, and paths next to them that may or may not exist."""
    yield ("apiVersion",)
    yield ("kind",)
    yield ("nonexistent",)
    for path in paths:
        yield path
        yield (*path, "0")
        yield (*path, "00")
        yield (*path, "-1")
        yield (*path, "999")
        yield (*path, "x")
        yield (*path[:-1], "not-a-field")
        yield (*path, "\u0660")  # ARABIC-INDIC DIGIT ZERO: a digit, not an index
        yield (*path, " 0")
        if path[-1].isascii() and path[-1].isdigit():
            yield (*path[:-1], "0" + path[-1])
            yield (*path[:-1], str(int(path[-1]) + 1))


def assert_same_view(new: KubeletView, old: KubeletView) -> None:
    assert same_data(new.effective, old.effective)
    assert same_data(new.explicit_raw, old.explicit_raw)
    assert same_data(new.defaults, old.defaults)
    assert same_data(new.gates, old.gates)
    assert new.problems == old.problems
    assert (new.version, new.uses_config_file, new.anchor) == (old.version, old.uses_config_file, old.anchor)

    assert list(new.origins) == list(old.origins)  # the same paths, in the same order
    assert len(new.origins) == len(old.origins)
    assert list(new.origins.items()) == list(old.origins.items())
    assert list(new.origins.values()) == list(old.origins.values())
    assert new.origins == old.origins
    assert list(new.history) == list(old.history)
    for path, entries in old.history.items():
        assert len(new.history[path]) == len(entries)
        for (new_value, new_origin), (old_value, old_origin) in zip(new.history[path], entries, strict=True):
            assert same_data(new_value, old_value)
            assert new_origin == old_origin

    known = list(dict.fromkeys([*old.origins, *old.defaults, *(path for path, _ in _leaves(old.effective))]))
    for path in _probes(known):
        assert (path in new.origins) == (path in old.origins), path
        assert new.origins.get(path) == old.origins.get(path), path
        assert new.origin(path) == old.origin(path), path
        assert new.where(path) == old.where(path), path
        assert new.where(path, key=True) == old.where(path, key=True), path
        assert new.target(path) == old.target(path), path
        assert new.describe(path) == old.describe(path), path
        assert same_data(new.get(path), old.get(path)), path
        assert same_data(new.raw(path), old.raw(path)), path
        assert new.is_set(path) == old.is_set(path), path
        dotted = ".".join(path)
        assert same_data(new.get(dotted), old.get(dotted)), dotted
        assert new.origin(dotted) == old.origin(dotted), dotted


def _leaves(data: Any, prefix: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    if isinstance(data, dict) and data:
        for key, value in data.items():
            yield from _leaves(value, (*prefix, str(key)))
    elif isinstance(data, list) and data:
        for index, value in enumerate(data):
            yield from _leaves(value, (*prefix, str(index)))
    elif prefix:
        yield prefix, data


# ------------------------------------------------------------------ every YAML/JSON document in the repository


def _documents() -> list[tuple[str, YamlDocument]]:
    found: list[tuple[str, YamlDocument]] = []
    for top in ("examples", "tests"):
        for path in sorted((REPO / top).rglob("*")):
            if not path.is_file() or path.suffix not in (".yaml", ".yml", ".json", ".conf", ".kubeconfig"):
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            display = path.relative_to(REPO).as_posix()
            for document in load_yaml(text, display).documents:
                if isinstance(document.data, dict):
                    found.append((display, document))
    return found


DOCUMENTS = _documents()


def test_the_decoder_table_is_current() -> None:
    """Else both sides decode through pydantic and the table decoder goes untested."""
    assert kubelet_fields._table() is not None, "run python -m kubelint.snapshots --write"


def test_the_repository_has_kubelet_configs_and_configz_dumps() -> None:
    kinds = {classify((REPO / display).read_text(encoding="utf-8"), display) for display, _ in DOCUMENTS}
    assert FileKind.KUBELET_CONFIG in kinds
    assert FileKind.CONFIGZ in kinds
    assert len(DOCUMENTS) > 40


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: f"{v[0]}.{v[1]}")
def test_single_document_views_match_the_reference(version: Version) -> None:
    gates = gate_defaults(version)
    for display, document in DOCUMENTS:
        for root, kind in (((), "config"), (("kubeletconfig",), "configz")):
            if root and "kubeletconfig" not in document.data:
                continue
            new = single_document_view(document, version, gates, root=root, kind=kind)  # type: ignore[arg-type]
            old = reference_single_document_view(document, version, gates, root=root, kind=kind)  # type: ignore[arg-type]
            try:
                assert_same_view(new, old)
            except AssertionError as error:
                raise AssertionError(f"{display} (document {document.index}, root {root})") from error


def _node_roots() -> list[Path]:
    roots = [*sorted((REPO / "tests" / "trees").glob("*/*")), *sorted(REPO.glob("examples/*-node"))]
    return [root for root in roots if root.is_dir()]


def _with_builder(monkeypatch: pytest.MonkeyPatch, builder: type[Any], make: Callable[[], Any]) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(node, "ViewBuilder", builder)
        return make()


@pytest.mark.parametrize("root", _node_roots(), ids=lambda root: root.relative_to(REPO).as_posix())
def test_node_views_match_the_reference(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    version = knowledge.default_target_version()
    new = node.build_from_root(root, version, gate_defaults(version))
    old = _with_builder(monkeypatch, ReferenceViewBuilder,
                        lambda: node.build_from_root(root, version, gate_defaults(version)))
    assert_same_view(new.view, old.view)


def test_loose_file_groups_match_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    version = knowledge.default_target_version()
    directory = REPO / "examples" / "ansible-role-files"
    files = node.classify_group_files(
        (path.relative_to(REPO).as_posix(), path.read_text(encoding="utf-8"))
        for path in sorted(directory.iterdir()) if path.is_file())
    new = node.group_node(files, version, gate_defaults(version))
    old = _with_builder(monkeypatch, ReferenceViewBuilder, lambda: node.group_node(files, version, gate_defaults(version)))
    assert new is not None and old is not None
    assert_same_view(new.view, old.view)


# ------------------------------------------------------------------ generated documents and layers


def _document(data: Any, path: str = "config.yaml") -> YamlDocument:
    """A document from data, through the real loader (positions included); as UTF-8
    JSON, since libyaml refuses the surrogate pairs of escaped astral characters."""
    stream = load_yaml(json.dumps(data, ensure_ascii=False), path)
    assert stream.documents, stream.problems
    return stream.documents[0]


def _generated_document(data: Any, path: str = "config.yaml") -> YamlDocument:
    """``_document``, skipping data with characters YAML does not allow at all."""
    assume(bool(load_yaml(json.dumps(data, ensure_ascii=False), path).documents))
    return _document(data, path)


@SETTINGS
@given(st.one_of(valid_kubelet_data, kubelet_data), st.sampled_from(VERSIONS))
def test_generated_single_document_views_match_the_reference(data: dict[str, Any], version: Version) -> None:
    document = _generated_document(data)
    gates = gate_defaults(version)
    assert_same_view(single_document_view(document, version, gates),
                     reference_single_document_view(document, version, gates))


@SETTINGS
@given(st.one_of(valid_kubelet_data, kubelet_data))
def test_generated_configz_views_match_the_reference(data: dict[str, Any]) -> None:
    document = _generated_document({"kubeletconfig": data}, "node.json")
    version = knowledge.default_target_version()
    gates = gate_defaults(version)
    assert_same_view(single_document_view(document, version, gates, root=("kubeletconfig",), kind="configz"),
                     reference_single_document_view(document, version, gates, root=("kubeletconfig",), kind="configz"))


_flag_paths = st.sampled_from([("maxPods",), ("evictionHard",), ("featureGates",), ("systemReserved",),
                               ("authentication", "anonymous", "enabled"), ("clusterDNS",), ("port",)])


@SETTINGS
@given(st.lists(st.one_of(valid_kubelet_data, kubelet_data), max_size=3),
       st.lists(st.tuples(st.one_of(_flag_paths, st.sampled_from([(name,) for name in _field_values])),
                          st.one_of(st.integers(0, 5), st.booleans(), st.text(max_size=3),
                                    st.dictionaries(st.sampled_from(["a", "b", "memory"]), st.integers(0, 3), max_size=2),
                                    st.lists(st.text(max_size=3), max_size=2)),
                          st.booleans()), max_size=3),
       st.booleans())
def test_generated_layered_views_match_the_reference(documents: list[dict[str, Any]],
                                                     flags: list[tuple[FieldPath, Any, bool]],
                                                     first_is_dropin: bool) -> None:
    version = knowledge.default_target_version()
    anchor = Location("kubelet.service", Span(1, 1, 1, 2))
    loaded = [_generated_document(data, f"{index}.yaml") for index, data in enumerate(documents)]
    new_builder, old_builder = ViewBuilder(anchor), ReferenceViewBuilder(anchor)
    for builder in (new_builder, old_builder):
        for index, document in enumerate(loaded):
            kind = "dropin" if index or first_is_dropin else "config"
            builder.add_document(document, kind, via=("--config-dir",) if index else ())
        for number, (path, value, merge_map) in enumerate(flags):
            origin = Origin("flag", Location("kubeadm-flags.env", Span(1, number + 1, 1, number + 2)), flag=path[-1])
            builder.add_flag_value(path, value, origin, merge_map=merge_map)
    assert_same_view(new_builder.build(version, gate_defaults(version)), old_builder.build(version, gate_defaults(version)))


def test_a_flag_over_a_lone_config_keeps_its_history() -> None:
    """The lazy first layer turns eager when a flag lands on it: history as before."""
    document = _document({"apiVersion": "kubelet.config.k8s.io/v1beta1", "kind": "KubeletConfiguration",
                          "maxPods": 50, "evictionHard": {"memory.available": "1Gi"}})
    origin = Origin("flag", Location("kubeadm-flags.env", Span(1, 1, 1, 2)), flag="max-pods")
    views = []
    for builder in (ViewBuilder(Location("x", Span(1, 1, 1, 2))), ReferenceViewBuilder(Location("x", Span(1, 1, 1, 2)))):
        builder.add_document(document)
        builder.add_flag_value(("maxPods",), 70, origin)
        builder.add_flag_value(("evictionHard",), {"nodefs.available": "5%"}, origin)
        views.append(builder.build((1, 33), {}))
    assert_same_view(*views)
    [(value, previous)] = views[0].history[("maxPods",)]
    assert value == 50 and previous.kind == "config"


def test_json_documents_with_lists_of_structs() -> None:
    data = json.loads((REPO / "examples" / "configz" / "node-a.json").read_text(encoding="utf-8"))
    document = _document(data, "node-a.json")
    version = knowledge.default_target_version()
    gates = gate_defaults(version)
    new = single_document_view(document, version, gates, root=("kubeletconfig",), kind="configz")
    assert_same_view(new, reference_single_document_view(document, version, gates, root=("kubeletconfig",),
                                                         kind="configz"))


# ------------------------------------------------------------------ Go values in integers, as with Fraction

_digits = st.text("0123456789", max_size=4)
_durations = st.one_of(
    st.lists(st.tuples(_digits, st.one_of(st.none(), _digits),
                       st.sampled_from(["ns", "us", "\u00b5s", "ms", "s", "m", "h", "", "d", "x"])),
             min_size=1, max_size=4).map(lambda parts: "".join(w + ("." + f if f is not None else "") + u
                                                              for w, f, u in parts)),
    st.text(max_size=8))
_quantities = st.one_of(
    st.tuples(st.sampled_from(["", "+", "-"]), _digits, st.one_of(st.none(), _digits),
              st.sampled_from(["", "Ki", "Mi", "Gi", "Ei", "n", "u", "m", "k", "M", "G", "E", "K", "e3", "E-7",
                               "e+101", "e-100", "e", "i"])).map(
        lambda parts: parts[0] + parts[1] + ("." + parts[2] if parts[2] is not None else "") + parts[3]),
    st.text(max_size=8))


def _outcome(parse: Callable[[str], Any], text: str) -> Any:
    try:
        return ("value", parse(text))
    except ValueError:  # ValueSyntaxError is one
        return ("error", None)


@SETTINGS
@given(st.one_of(_durations, st.sampled_from(["-1h2m3.5s", "+0", "0", "-", "1.5h", ".5s", "5.s", "9223372036.854775807s",
                                              "9223372036.854775808s", "0.0000000001s", "1.999999999999ns"]),
                 st.tuples(st.sampled_from(["", "-", "+"]), _durations).map("".join)))
def test_durations_parse_as_with_fractions(text: str) -> None:
    assert _outcome(parse_duration_ns, text) == _outcome(reference_parse_duration_ns, text)


@SETTINGS
@given(st.one_of(_quantities, st.sampled_from(["100Mi", "1.5G", "500m", "1e3", ".5", "-0", "-0.0Ki", " 1", "1 "])))
def test_quantities_parse_as_with_fractions(text: str) -> None:
    new, old = _outcome(parse_quantity, text), _outcome(reference_parse_quantity, text)
    assert new == old
    assert type(new[1]) is type(old[1])


def test_value_syntax_errors_are_value_errors() -> None:
    assert issubclass(ValueSyntaxError, ValueError)
