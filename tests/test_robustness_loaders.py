"""Every loader and model takes any input without raising (hypothesis).

The loaders already have a never-raise suite (test_loaders_never_raise.py)
for units, env files and command lines; this one covers what it does not:
the YAML loader (data and positions from any text, structured or not), the
runtime loaders, the kubeconfig model, the kubelet view builder (with
layered documents and flags), and the pydantic-free KubeletConfiguration
decoder, which must agree exactly with the pydantic model it stands in for.
"""

from __future__ import annotations

import json
import os
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kubelint import knowledge
from kubelint.diagnostics import Location, Span
from kubelint.kubelet_view import KubeletView, Origin, ViewBuilder, _decode, _typed_data, single_document_view
from kubelint.loaders.cmdline import split_cmdline, split_proc_cmdline
from kubelint.loaders.envfile import parse_env_file
from kubelint.loaders.problems import Problem
from kubelint.loaders.runtime import RuntimeKind, load_runtime
from kubelint.loaders.systemd import parse_unit
from kubelint.loaders.yaml import MAX_DEPTH, YamlDocument, load_yaml
from kubelint.models import kubelet_fields
from kubelint.models.kubeconfig import decode_kubeconfig

VERSION = knowledge.default_target_version()
SETTINGS = settings(max_examples=int(os.environ.get("KUBELINT_ROBUSTNESS_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ------------------------------------------------------------------ strategies

# scalars as YAML and JSON spell them, including the ones the kubelet trips on
_scalar_text = st.one_of(
    st.sampled_from(["true", "false", "yes", "no", "on", "off", "null", "~", "0", "-1", "0x1f", "1e3", ".inf",
                     "0o17", "1_000", "10s", "1m30s", "100Mi", "5%", "2001-12-14", "'quoted'", '"dq"', "", "<<",
                     "&a x", "*a", "!!str 3", "!!int x", "|", ">"]),
    st.text(alphabet=string.ascii_letters + string.digits + "-_./:%", max_size=12),
)
_key = st.one_of(st.sampled_from(["apiVersion", "kind", "port", "readOnlyPort", "evictionHard", "featureGates",
                                  "authentication", "anonymous", "enabled", "clusterDNS", "logging", "json",
                                  "json_", "memory.available", "<<", "? x", "- a"]),
                 st.text(alphabet=string.ascii_letters + "._-", min_size=1, max_size=10))


def _yaml_block(depth: int = 0) -> st.SearchStrategy[str]:
    indent = "  " * depth
    scalar_line = st.builds(lambda k, v: f"{indent}{k}: {v}\n", _key, _scalar_text)
    if depth >= 3:
        return st.lists(scalar_line, max_size=4).map("".join)
    nested = st.builds(lambda k, body: f"{indent}{k}:\n{body}", _key, st.deferred(lambda: _yaml_block(depth + 1)))
    listed = st.builds(lambda k, items: f"{indent}{k}:\n" + "".join(f"{indent}- {item}\n" for item in items),
                       _key, st.lists(_scalar_text, max_size=3))
    return st.lists(st.one_of(scalar_line, nested, listed), max_size=5).map("".join)


_noise = st.sampled_from(["\t", "\r\n", "\r", "\x00", "\ufeff", "---\n", "...\n", "{", "}", "[", "]", ",", ":", "#",
                          "&x ", "*x", "! ", "%YAML 1.1\n", "\\", "'", '"', "\u2028", "\udcff"])
yaml_text = st.one_of(
    _yaml_block(),
    st.lists(st.one_of(_yaml_block(), _noise), max_size=6).map("".join),
    st.text(max_size=200),
)


def _json_value(depth: int = 0) -> st.SearchStrategy[Any]:
    leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                       _scalar_text)
    if depth >= 3:
        return leaves
    return st.one_of(leaves, st.lists(st.deferred(lambda: _json_value(depth + 1)), max_size=3),
                     st.dictionaries(_key, st.deferred(lambda: _json_value(depth + 1)), max_size=4))


# ------------------------------------------------------------------ YAML loader


def _check_positions(document: YamlDocument) -> None:
    for path, position in document.positions.items():
        assert isinstance(path, tuple)
        for span in (position.value_span, position.key_span):
            if span is not None:
                assert span.line >= 1 and span.column >= 1
                assert (span.end_line, span.end_column) >= (span.line, span.column)
    document.nearest_span(("no", "such", "path"))
    document.location((), key=True)


@SETTINGS
@given(yaml_text)
def test_load_yaml_never_raises_and_positions_are_sane(text: str) -> None:
    stream = load_yaml(text, "config.yaml")
    for problem in stream.problems:
        assert problem.span.line >= 1
    for document in stream.documents:
        _check_positions(document)
        json.dumps(document.data, default=str)  # plain data all the way down


@SETTINGS
@given(st.integers(min_value=1, max_value=3 * MAX_DEPTH))
def test_load_yaml_depth_is_bounded(depth: int) -> None:
    flow = load_yaml("x: " + "[" * depth + "]" * depth + "\n", "deep.yaml")
    block = load_yaml("".join(" " * i + f"k{i}:\n" for i in range(depth)), "deep.yaml")
    for stream in (flow, block):
        too_deep = [p for d in stream.documents for p in d.problems] + list(stream.problems)
        if depth > MAX_DEPTH + 1:
            assert too_deep, "nesting beyond MAX_DEPTH must be reported"


# ------------------------------------------------------------------ units, env files, command lines


@SETTINGS
@given(st.one_of(yaml_text, st.text(max_size=300)), st.sampled_from([
    "etc/systemd/system/kubelet.service", "etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
    "lib/systemd/system/kubelet@.service", "x.socket"]))
def test_parse_unit_never_raises(text: str, path: str) -> None:
    unit = parse_unit(text, path)
    assert unit is not None


@SETTINGS
@given(st.one_of(yaml_text, st.text(max_size=300)))
def test_parse_env_file_never_raises(text: str) -> None:
    parse_env_file(text, "etc/default/kubelet")


@SETTINGS
@given(st.text(max_size=300), st.binary(max_size=300))
def test_command_line_splitters_never_raise(text: str, data: bytes) -> None:
    for word in split_cmdline(text, "cmdline"):
        assert word.text is not None
    split_proc_cmdline(data, "proc/1/cmdline")
    split_proc_cmdline(text.encode("utf-8", "surrogatepass"), None)


# ------------------------------------------------------------------ runtime configs

_toml_noise = st.sampled_from(['version = 2\n', '[plugins]\n', '[plugins."io.containerd.grpc.v1.cri"]\n',
                               'SystemdCgroup = true\n', 'x = [1, [2, {a = 3}]]\n', '"""\n', "'''\n",
                               '[crio.runtime]\n', 'cgroup_manager = "systemd"\n', '[[a.b]]\n', 'a.b.c = 1\n',
                               'k = 1979-05-27T07:32:00Z\n', 'k = inf\n', '= x\n', '[a]\n[a]\n', '\t', '\\u00e9'])
toml_text = st.one_of(st.lists(st.one_of(_toml_noise, st.text(max_size=8)), max_size=12).map("".join),
                      st.text(max_size=200))


@SETTINGS
@given(toml_text, st.sampled_from([RuntimeKind.CONTAINERD, RuntimeKind.CRIO, None]))
def test_toml_runtime_loaders_never_raise(text: str, kind: RuntimeKind | None) -> None:
    load_runtime(text, "etc/containerd/config.toml" if kind is not RuntimeKind.CRIO else "etc/crio/crio.conf", kind)


@SETTINGS
@given(st.one_of(_json_value().map(json.dumps), st.text(max_size=200),
                 st.dictionaries(st.sampled_from(["exec-opts", "cgroup-parent", "data-root", "x"]), _json_value(),
                                 max_size=4).map(json.dumps)))
def test_docker_daemon_loader_never_raises(text: str) -> None:
    load_runtime(text, "etc/docker/daemon.json", RuntimeKind.DOCKER)


# ------------------------------------------------------------------ kubeconfig model

_kubeconfig_shape = st.fixed_dictionaries(
    {},
    optional={
        "apiVersion": st.one_of(st.just("v1"), _json_value(2)),
        "kind": st.one_of(st.just("Config"), _json_value(2)),
        "clusters": st.one_of(st.lists(st.fixed_dictionaries({}, optional={
            "name": _json_value(2), "cluster": st.one_of(_json_value(1), st.fixed_dictionaries({}, optional={
                "server": _scalar_text, "certificate-authority-data": st.one_of(_scalar_text, _json_value(2)),
                "insecure-skip-tls-verify": _json_value(2)}))}), max_size=3), _json_value(2)),
        "users": st.one_of(st.lists(st.fixed_dictionaries({}, optional={
            "name": _json_value(2), "user": st.one_of(_json_value(1), st.fixed_dictionaries({}, optional={
                "token": _json_value(2), "client-key-data": _json_value(2), "exec": _json_value(2)}))}),
            max_size=3), _json_value(2)),
        "contexts": _json_value(2),
        "current-context": _json_value(2),
    },
)


@SETTINGS
@given(st.one_of(_kubeconfig_shape, _json_value()))
def test_decode_kubeconfig_never_raises(data: Any) -> None:
    decoded = decode_kubeconfig(data)
    for problem in decoded.problems:
        assert isinstance(problem.message, str)


# ------------------------------------------------------------------ kubelet view and decoder

_field_values: dict[str, st.SearchStrategy[Any]] = {
    "port": st.one_of(st.integers(-10, 70000), st.just(2**40), _json_value(1)),
    "readOnlyPort": st.one_of(st.integers(-1, 70000), _json_value(1)),
    "syncFrequency": st.one_of(st.sampled_from(["1m", "0s", "10", "1d", "-5s", "1h2m3.5s", ""]), _json_value(1)),
    "evictionHard": st.one_of(st.dictionaries(st.sampled_from(["memory.available", "nodefs.available", "x"]),
                                              st.one_of(_scalar_text, _json_value(1)), max_size=3), _json_value(1)),
    "featureGates": st.one_of(st.dictionaries(st.sampled_from(["Foo", "KubeletTracing", "1"]),
                                              st.one_of(st.booleans(), _json_value(1)), max_size=3), _json_value(1)),
    "authentication": st.one_of(st.fixed_dictionaries({}, optional={
        "anonymous": st.one_of(st.fixed_dictionaries({}, optional={"enabled": _json_value(1)}), _json_value(1)),
        "webhook": st.one_of(st.fixed_dictionaries({}, optional={"cacheTTL": _json_value(1), "enabled": _json_value(1)}),
                             _json_value(1))}), _json_value(1)),
    "logging": st.one_of(st.fixed_dictionaries({}, optional={
        "flushFrequency": st.one_of(st.integers(), st.sampled_from(["5s", "x"])),
        "options": st.fixed_dictionaries({}, optional={"json": _json_value(1), "json_": _json_value(1)}),
        "vmodule": _json_value(2)}), _json_value(1)),
    "clusterDNS": st.one_of(st.lists(st.one_of(_scalar_text, _json_value(0)), max_size=3), _json_value(1)),
    "memoryThrottlingFactor": st.one_of(st.floats(allow_nan=True), st.integers(), _json_value(0)),
    "containerLogMaxSize": st.one_of(st.sampled_from(["10Mi", "1e3", "x", "-1", ".5"]), st.integers(), _json_value(0)),
    "registerWithTaints": st.one_of(st.lists(st.dictionaries(st.sampled_from(["key", "value", "effect", "x"]),
                                                             _json_value(0), max_size=3), max_size=2), _json_value(1)),
    "systemReserved": st.one_of(st.dictionaries(st.sampled_from(["cpu", "memory"]), _json_value(0), max_size=2),
                                _json_value(1)),
    "kubeAPIQPS": st.one_of(st.integers(-(2**31) - 2, 2**31 + 2), st.booleans(), _json_value(0)),
    "podPidsLimit": st.one_of(st.integers(-(2**63) - 2, 2**63 + 2), _json_value(0)),
}
kubelet_data = st.fixed_dictionaries(
    {}, optional={**_field_values, "apiVersion": st.just(kubelet_fields.API_VERSION),
                  "kind": st.just(kubelet_fields.KIND), "unknownThing": _json_value(1)})


# well-typed values, so that the agreement test sees the decoder's accepting side too
_valid_values: dict[str, st.SearchStrategy[Any]] = {
    "port": st.integers(-(2**31), 2**31 - 1),
    "syncFrequency": st.sampled_from(["1m", "0s", "0", "1h2m3.5s", "300ms", "1.5h", "-5s"]),
    "evictionHard": st.dictionaries(st.sampled_from(["memory.available", "nodefs.available", "x"]),
                                    st.sampled_from(["100Mi", "10%", "x"]), max_size=3),
    "featureGates": st.dictionaries(st.text(max_size=5), st.booleans(), max_size=3),
    "authentication": st.fixed_dictionaries({}, optional={
        "anonymous": st.fixed_dictionaries({}, optional={"enabled": st.booleans()}),
        "webhook": st.fixed_dictionaries({}, optional={"cacheTTL": st.sampled_from(["2m", "0s"]),
                                                       "enabled": st.booleans()})}),
    "logging": st.fixed_dictionaries({}, optional={
        "flushFrequency": st.one_of(st.integers(0, 10**12), st.sampled_from(["5s", "100ms"])),
        "format": st.sampled_from(["text", "json"]), "verbosity": st.integers(0, 2**32 - 1),
        "options": st.fixed_dictionaries({}, optional={"json": st.fixed_dictionaries(
            {}, optional={"infoBufferSize": st.sampled_from(["0", "1Mi"]), "splitStream": st.booleans()})}),
        "vmodule": st.lists(st.fixed_dictionaries({}, optional={"filePattern": st.text(max_size=4),
                                                                "verbosity": st.integers(0, 9)}), max_size=2)}),
    "clusterDNS": st.lists(st.text(max_size=8), max_size=3),
    "memoryThrottlingFactor": st.floats(allow_nan=False),
    "containerLogMaxSize": st.sampled_from(["10Mi", "1e3", "1.5G", ".5", "500m"]),
    "registerWithTaints": st.lists(st.fixed_dictionaries({}, optional={"key": st.text(max_size=4),
                                                                       "effect": st.sampled_from(["NoSchedule"])}),
                                   max_size=2),
    "systemReserved": st.dictionaries(st.sampled_from(["cpu", "memory"]), st.sampled_from(["100m", "1Gi"]),
                                      max_size=2),
    "staticPodURLHeader": st.dictionaries(st.text(max_size=4), st.lists(st.text(max_size=4), max_size=2),
                                          max_size=2),
    "podPidsLimit": st.integers(-(2**63), 2**63 - 1),
    "shutdownGracePeriodByPodPriority": st.lists(st.fixed_dictionaries({}, optional={
        "priority": st.integers(-(2**31), 2**31 - 1), "shutdownGracePeriodSeconds": st.integers(0, 10**6)}),
        max_size=2),
}
valid_kubelet_data = st.fixed_dictionaries(
    {}, optional={**_valid_values, "apiVersion": st.just(kubelet_fields.API_VERSION),
                  "kind": st.just(kubelet_fields.KIND), "unknownThing": _json_value(1)})


def _document(data: Any, path: str = "config.yaml") -> YamlDocument:
    """A document from data, through the real loader (positions included)."""
    stream = load_yaml(json.dumps(data), path)
    assert stream.documents
    return stream.documents[0]


@pytest.fixture(scope="module", autouse=True)
def _decoder_table_present() -> None:
    if kubelet_fields._table() is None:
        pytest.skip("the kubelet-fields snapshot is stale: run python -m kubelint.snapshots --write")


@SETTINGS
@given(st.one_of(valid_kubelet_data, kubelet_data))
def test_fast_decoder_agrees_with_the_pydantic_model(data: dict[str, Any]) -> None:
    """Whatever the fast decoder accepts, pydantic accepts identically (it may give up, never disagree)."""
    fast = kubelet_fields.fast_decode(data)
    assume(fast is not None)
    problems: list[Problem] = []
    slow = _typed_data(_decode(data, {}, Location("config.yaml", Span(1, 1, 1, 2)), problems))
    assert problems == []
    assert fast == slow
    assert list(fast) == list(slow)  # the same key order, which messages and output follow


@SETTINGS
@given(kubelet_data)
def test_single_document_view_never_raises(data: dict[str, Any]) -> None:
    view = single_document_view(_document(data), VERSION, {})
    _exercise(view)


@SETTINGS
@given(kubelet_data, kubelet_data, st.lists(st.tuples(st.sampled_from(list(_field_values)), _json_value(1)),
                                            max_size=3))
def test_layered_view_never_raises(config: dict[str, Any], dropin: dict[str, Any],
                                   flags: list[tuple[str, Any]]) -> None:
    builder = ViewBuilder(Location("config.yaml", Span(1, 1, 1, 2)))
    builder.add_document(_document(config), "config")
    builder.add_document(_document(dropin, "10-dropin.yaml"), "dropin", via=("--config-dir",))
    for name, value in flags:
        builder.add_flag_value((name,), value, Origin("flag", Location("kubeadm-flags.env", Span(1, 1, 1, 5))),
                               merge_map=name == "systemReserved")
    _exercise(builder.build(VERSION, {"KubeletTracing": True}))


@SETTINGS
@given(st.fixed_dictionaries({"kubeletconfig": kubelet_data}))
def test_configz_view_never_raises(data: dict[str, Any]) -> None:
    view = single_document_view(_document(data, "node.json"), VERSION, {}, root=("kubeletconfig",), kind="configz")
    _exercise(view)


def _exercise(view: KubeletView) -> None:
    for name in [*_field_values, "evictionHard.memory.available", "authentication.anonymous.enabled"]:
        view.get(name)
        view.is_set(name)
        view.raw(name)
        view.where(name)
        view.where(name, key=True)
        view.describe(name)
        view.origin(name).describe()


# ------------------------------------------------------------------ regressions found by these tests


def test_lone_surrogate_is_a_problem_not_a_crash() -> None:
    # libyaml encodes its input to UTF-8; text read with surrogateescape (or sent by an editor) used to raise
    stream = load_yaml("apiVersion: v1\nkind: x\udcff\n", "config.yaml")
    assert [(p.kind, p.span.line, p.span.column) for p in stream.problems] == [("yaml-syntax", 2, 8)]


def test_merge_key_with_a_complex_key_is_a_problem_not_a_crash() -> None:
    # ``<<`` merging a mapping whose key is itself a mapping: a set lookup of a list used to raise TypeError
    stream = load_yaml("<<:\n  apiVersion: true\n  ? x: true\n", "config.yaml")
    (document,) = stream.documents
    assert document.data == {"apiVersion": True}
    assert [p.kind for p in document.problems] == ["yaml-syntax"]
