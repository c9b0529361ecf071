"""The per-file fast paths give the answers of the slow paths they replace.

Rules memoise what several of them ask about the same view (eviction
thresholds and entries), cache pure parses of a value's text, and the
engine keeps the scoped rule list of the last call. Each is checked here
against a plain recomputation, on every kubelet config under examples/ and
tests/ and on generated input.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint import knowledge
from kubelint.analysis import finish_diagnostics, gate_defaults
from kubelint.contexts import KubeletDocumentContext
from kubelint.diagnostics import Diagnostic, Location, Span
from kubelint.discover import FileKind, classify
from kubelint.engine import Scope, all_rules, find_rule, run_rules
from kubelint.kubelet_view import KubeletView, single_document_view
from kubelint.loaders.yaml import load_yaml
from kubelint.models.kubelet_fields import known_fields
from kubelint.rules.gc_eviction import _eviction
from kubelint.rules.input import unknown_field
from kubelint.rules.validity import _eviction_values
from kubelint.source import SourceFile, read_source

REPO = Path(__file__).resolve().parent.parent
VERSION = knowledge.default_target_version()


def _kubelet_files() -> list[Path]:
    found = []
    for directory in (REPO / "examples", REPO / "tests"):
        for path in sorted(directory.rglob("*")):
            if path.suffix in (".yaml", ".yml", ".json", ".conf") and path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                if classify(text, str(path)) is FileKind.KUBELET_CONFIG:
                    found.append(path)
    return found


KUBELET_FILES = _kubelet_files()


def _documents(path: Path) -> Iterator[Any]:
    stream = load_yaml(path.read_text(encoding="utf-8", errors="replace"), str(path))
    yield from (document for document in stream.documents if isinstance(document.data, dict))


def _views() -> list[KubeletView]:
    gates = gate_defaults(VERSION)
    return [single_document_view(document, VERSION, gates) for path in KUBELET_FILES for document in _documents(path)]


def test_there_are_kubelet_configs_to_compare() -> None:
    assert len(KUBELET_FILES) >= 5


def _fresh_entries(view: KubeletView, map_name: str) -> list[_eviction_values.Entry]:
    data = view.get(map_name)
    if not isinstance(data, dict):
        return []
    return [_eviction_values.Entry(map_name, signal, raw) for signal, raw in data.items()]


def test_memoised_thresholds_and_entries_match_a_recomputation_across_views() -> None:
    views = _views()
    # every view, then every view again in another order: a memo that answered
    # for the wrong view would show up as a difference
    for view in [*views, *reversed(views), *views[::2]]:
        for map_name in _eviction.THRESHOLD_MAPS:
            assert _eviction.thresholds(view, map_name) == _eviction._thresholds(view, map_name)
        for map_name in _eviction_values.SIGNAL_MAPS:
            assert _eviction_values.entries(view, map_name) == _fresh_entries(view, map_name)


def test_memoised_answers_are_the_callers_own() -> None:
    view = _views()[0]
    first = _eviction.thresholds(view, _eviction.HARD)
    first.clear()
    assert _eviction.thresholds(view, _eviction.HARD) == _eviction._thresholds(view, _eviction.HARD)
    listed = _eviction_values.entries(view, _eviction_values.HARD)
    listed.clear()
    assert _eviction_values.entries(view, _eviction_values.HARD) == _fresh_entries(view, _eviction_values.HARD)


THRESHOLD_TEXT = st.one_of(
    st.sampled_from(["100Mi", "10%", "0%", "100%", "0", "-1", "1.5Gi", "5e3", "abc", " 10%", "10 %", "1_0%",
                     "110%", "1m30s", "-1s", "0s", "1d", "", "%", "1e200", "10Ki", "0.5%"]),
    st.from_regex(r"\A[+-]?[0-9]{0,4}(\.[0-9]{0,3})?(%|[kMGTPE]i?|[eE][+-]?[0-9]{1,3}|m|s|h|ms)?\Z"),
    st.text(max_size=8),
)


@given(THRESHOLD_TEXT)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_cached_value_parses_match_the_uncached_functions(text: str) -> None:
    assert _eviction.parse_value(text) == _eviction._parse_text.__wrapped__(text)
    value = _eviction.parse_value(text)
    if value is not None:
        threshold = _eviction.Threshold("evictionHard", "nodefs.available", value, True)
        assert _eviction.usage_at(threshold) == 100 - _eviction.amount(value)
    for cached in (_eviction_values.threshold_error, _eviction_values.switches_off,
                   _eviction_values.grace_period_error, _eviction_values.minimum_reclaim_error):
        assert cached(text) == cached.__wrapped__(text)  # type: ignore[attr-defined]


# ------------------------------------------------------------ unknown-field


def _reference_unknown_fields(context: KubeletDocumentContext) -> list[tuple[str, tuple[Any, ...], tuple[str, ...]]]:
    """The walk as it was before it collected into a list (generators, known_fields per call)."""

    def walk(data: dict[str, Any], path: tuple[str, ...]) -> Iterator[tuple[str, tuple[Any, ...], tuple[str, ...]]]:
        fields = known_fields(path)
        if fields is None:
            return
        for key, value in data.items():
            if key in fields:
                if fields[key] is not None and isinstance(value, dict):
                    yield from walk(value, (*path, key))
                elif fields[key] is not None and isinstance(value, list):
                    for index, item in enumerate(value):
                        if isinstance(item, dict):
                            yield from walk_item(item, (*path, key), index)
                continue
            if not path and key in ("apiVersion", "kind"):
                continue
            yield key, (*path, key), (*path, key)

    def walk_item(item: dict[str, Any], path: tuple[str, ...], index: int) -> Iterator[tuple[str, tuple[Any, ...], tuple[str, ...]]]:
        fields = known_fields(path)
        if fields is None:
            return
        for key in item:
            if key not in fields:
                yield key, (*path, index, key), (*path, key)

    data = context.data
    return list(walk(data, ())) if isinstance(data, dict) else []


def _collected(context: KubeletDocumentContext) -> list[tuple[str, tuple[Any, ...], tuple[str, ...]]]:
    found: list[unknown_field.Unknown] = []
    if isinstance(context.data, dict):
        unknown_field._walk(context.data, (), found)
    return [(key, doc_path, shown) for key, doc_path, shown, _fields in found]


def test_unknown_field_walk_matches_the_reference_on_real_configs() -> None:
    for path in KUBELET_FILES:
        for document in _documents(path):
            context = KubeletDocumentContext(document, (), "config", VERSION)
            assert _collected(context) == _reference_unknown_fields(context), path


_KNOWN_ROOT = sorted(known_fields(()) or {})
_KEYS = st.one_of(st.sampled_from(_KNOWN_ROOT), st.sampled_from(["enabled", "mode", "x509", "webhook", "name",
                                                                 "cacheTTL", "typo", "Port", "options"]))
_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=3)),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(_KEYS, children, max_size=4)),
    max_leaves=12,
)


@given(st.dictionaries(_KEYS, _VALUES, max_size=8))
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_unknown_field_walk_matches_the_reference_on_generated_mappings(data: dict[str, Any]) -> None:
    class Context:  # what the walk reads of a KubeletDocumentContext
        pass

    context: Any = Context()
    context.data = data
    assert _collected(context) == _reference_unknown_fields(context)


# ------------------------------------------------------------ engine and pipeline


def test_run_rules_follows_the_rule_list_it_is_given() -> None:
    everything = [rule for rule in all_rules() if rule.scope is Scope.KUBELET]
    view, reported = next((view, codes) for view in _views()
                          if (codes := {d.code for d in run_rules(everything, Scope.KUBELET, [view])}))
    some = sorted(reported)[0]
    without = [rule for rule in everything if rule.code != some]
    # alternate: a kept answer for one list must never serve another
    for rules, present in ((everything, True), (without, False), (everything, True), (without[:0], False)):
        codes = {d.code for d in run_rules(rules, Scope.KUBELET, [view])}
        assert (some in codes) is present
        assert codes <= {rule.code for rule in rules}


def _diagnostic(line: int, code: str = "KL401") -> Diagnostic:
    rule = find_rule(code)
    assert rule is not None
    return Diagnostic(Location("c.yaml", Span(line, 1, line, 2)), rule.code, rule.name, rule.severity, "m")


def test_finish_keeps_suppressions_and_order() -> None:
    found = [_diagnostic(3), _diagnostic(1), _diagnostic(3)]
    plain = SourceFile(None, "c.yaml", "a: 1\nb: 2\nc: 3\n")
    assert [d.span.line for d in finish_diagnostics([], found, plain)] == [1, 3]
    marked = SourceFile(None, "c.yaml", "a: 1\nb: 2\nc: 3  # kubelint: disable=KL401\n")
    assert [d.span.line for d in finish_diagnostics([], found, marked)] == [1]
    assert finish_diagnostics([], [], marked) == []


@pytest.mark.parametrize("content", [b"", b"a", b"apiVersion: v1\n" * 500, b"x" * 70000])
def test_read_source_reads_the_whole_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(content)
    source, problems = read_source(path, "f.yaml")
    assert problems == []
    assert source is not None and source.text == content.decode()


def test_read_source_reads_past_a_size_that_changed_since_stat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a file that grows between stat and read (or a /proc-like file that
    # reports size 0) is read to its end, up to the same limit as before
    path = tmp_path / "grows.yaml"
    path.write_bytes(b"kind: KubeletConfiguration\n" * 100)
    real_stat = Path.stat

    def stat_before_growth(self: Path, *args: Any, **kwargs: Any) -> os.stat_result:
        result = real_stat(self, *args, **kwargs)
        if self == path:
            fields = list(result)
            fields[6] = 10  # st_size
            return os.stat_result(fields)
        return result

    monkeypatch.setattr(Path, "stat", stat_before_growth)
    source, _problems = read_source(path, "grows.yaml")
    assert source is not None and source.text == "kind: KubeletConfiguration\n" * 100


_PATH_PART = st.sampled_from(["", ".", "..", "a", "b.d", "x.conf", ".conf", "kubelet.conf.d", "10-x.conf", "c.d",
                              "y.conf.d", "z"])


@given(st.lists(_PATH_PART, max_size=5), st.booleans())
@settings(max_examples=300)
def test_is_config_dropin_matches_pure_posix_path(parts: list[str], absolute: bool) -> None:
    from pathlib import PurePosixPath

    from kubelint.discover import is_config_dropin

    path = ("/" if absolute else "") + "/".join(parts)
    posix = PurePosixPath(path)
    assert is_config_dropin(path) == (posix.suffix == ".conf" and posix.parent.name.endswith(".d"))


@given(st.lists(_PATH_PART, max_size=4), st.booleans())
@settings(max_examples=200)
def test_display_path_matches_relative_to(parts: list[str], inside: bool) -> None:
    from kubelint.source import display_path

    base = Path.cwd() if inside else Path("/somewhere/else")
    path = base.joinpath(*parts) if parts else base
    try:
        expected = str(path.relative_to(Path.cwd()))
    except ValueError:
        expected = str(path)
    assert display_path(path) == expected
    doubled = Path("//" + str(path).lstrip("/"))  # POSIX keeps a leading "//" as a root of its own
    try:
        expected = str(doubled.relative_to(Path.cwd()))
    except ValueError:
        expected = str(doubled)
    assert display_path(doubled) == expected


def test_classify_finds_a_kubelet_config_past_other_kinds() -> None:
    text = "kind: Other\n---\n'kind': KubeletConfiguration\napiVersion: kubelet.config.k8s.io/v1beta1\n"
    assert classify(text, "x.yaml") is FileKind.KUBELET_CONFIG
    assert classify("kind: KubeletConfigurationX\n", "x.yaml") is None
    assert classify("# KubeletConfiguration\nkind: Config\nclusters: []\n", "x.yaml") is FileKind.KUBECONFIG


def _node_views() -> list[KubeletView]:
    from kubelint.node import build_from_root

    gates = gate_defaults(VERSION)
    roots = [path for path in sorted((REPO / "examples").iterdir()) if (path / "etc").is_dir()]
    assert roots
    return [build_from_root(root, VERSION, gates).view for root in roots]


def _asked_paths(view: KubeletView) -> set[tuple[str, ...]]:
    """Paths a rule may ask about: every known field, everything the view holds
    or has an origin for, their ancestors, and a few that exist nowhere."""
    paths: set[tuple[str, ...]] = {("nope",), ("featureGates", "NoSuchGate"), ("evictionHard", "nope.available"),
                                   ("apiVersion",), ("kind",)}
    for origin_path in list(view.origins) + list(view.defaults):
        paths.update(tuple(origin_path[:length]) for length in range(1, len(origin_path) + 1))
    paths.update((name,) for name in known_fields(()) or {})
    return paths


def test_origin_kind_matches_the_origins_it_avoids_building() -> None:
    views = _views() + _node_views()
    assert any(type(view.origins) is not dict for view in views)  # lone documents' lazy origins
    assert any(type(view.origins) is dict for view in views)  # merged node views
    for view in views:
        for path in _asked_paths(view):
            exact = view.origins.get(path)
            assert view.origin_kind(path, exact=True) == (exact.kind if exact is not None else "default"), path
            assert view.origin_kind(path) == view.origin(path).kind, path
            assert view.origin_kind(".".join(path)) == view.origin(".".join(path)).kind, path
