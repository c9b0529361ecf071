"""The YAML loader's fast path (libyaml events) against its composed path.

``load_yaml`` builds data and positions from libyaml's event stream and
falls back to the composed path (``yaml.compose_all`` and a walk of the node
graph, the loader as it was before the fast path) for what it does not
reproduce itself. Both must agree on everything a caller sees: data (types
included: ``1``, ``1.0`` and ``True`` differ), every position in the same
order, duplicate keys and problems. Checked on every YAML file of the
repository and on generated texts that mix every implicit scalar type,
anchors, aliases, merge keys, flow style, comments and several documents.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint.diagnostics import Span
from kubelint.loaders import yaml as loader
from kubelint.loaders.yaml import NodePositions, YamlStream, load_yaml

ROOT = Path(__file__).resolve().parent.parent
YAML_SUFFIXES = (".yaml", ".yml", ".json", ".conf")
SETTINGS = settings(max_examples=int(os.environ.get("KUBELINT_ROBUSTNESS_EXAMPLES", "300")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _typed(value: Any) -> Any:
    """``value`` with every scalar's type spelled out (``1 == 1.0 == True`` in Python)."""
    if isinstance(value, dict):
        return ("dict", [(key, _typed(child)) for key, child in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(child) for child in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def _seen(stream: YamlStream) -> Any:
    """Everything a caller of load_yaml can see, positions in their order."""
    return (
        [(document.path, document.index, _typed(document.data), document.span,
          [(path, position.value_span, position.key_span) for path, position in document.positions.items()],
          document.duplicates, document.problems)
         for document in stream.documents],
        stream.problems,
    )


def _assert_same(text: str) -> bool:
    """load_yaml and the fast path (when it does not give up) agree with the
    composed path on ``text``; True when the fast path decided."""
    expected = _seen(loader._load_composed(text, "doc.yaml"))
    assert _seen(load_yaml(text, "doc.yaml")) == expected
    fast = loader._load_events(text, "doc.yaml")
    if fast is None:
        return False
    assert _seen(fast) == expected
    return True


def _repository_yaml_files() -> list[Path]:
    return sorted(path for folder in ("examples", "tests") for path in (ROOT / folder).rglob("*")
                  if path.suffix in YAML_SUFFIXES and path.is_file())


def test_repository_yaml_files_load_the_same() -> None:
    files = _repository_yaml_files()
    assert len(files) > 100
    decided = 0
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="surrogateescape")
        try:
            decided += _assert_same(text)
        except AssertionError as error:
            raise AssertionError(f"{path.relative_to(ROOT)}: {error}") from None
    # most are valid YAML without merge keys: the fast path decides them
    assert decided > len(files) // 2


def test_example_kubelet_configs_take_the_fast_path() -> None:
    configs = [path for path in (ROOT / "examples").rglob("*.yaml") if "KubeletConfiguration" in path.read_text()]
    assert configs
    for path in configs:
        assert _assert_same(path.read_text()), path


# ------------------------------------------------------------------ hand-picked cases

CASES = [
    "",
    "# only a comment\n",
    "---\n",
    "--- \n...\n---\na: 1\n",
    "a: 1\n---\nb: [1, 2]\n...\n--- >\n  folded\n",
    "a:\nb: ~\nc: null\nd: Null\ne: ''\n",
    "bools: [yes, No, ON, off, y, n, True, FALSE]\n",
    "ints: [0x1F, 0o17, 017, 0b101, 1_000, -1:30, 190:20:30, +12, -0]\n",
    "floats: [1.5, -.5, .inf, -.Inf, .NaN, 1.0e+3, 1e3, 6.8523015e+5, 1_0.5, 1:30.5]\n",
    "stamps: [2001-12-14, 2001-12-14t21:59:43.10-05:00, 2002-12-14 21:59:43.10 -5]\n",
    "quoted: ['1', \"true\", 'null', \"~\"]\nplain: [=, <<, a b]\n",
    "tagged: [!!str 3, !!int 42, !!float 1, !!bool yes, !!null '', !!int x, !!binary aGk=, !custom v, ! 12, ! '12']\n",
    "!!map {a: 1}\n",
    "!!str 12\n",
    "1: one\n1.5: x\ntrue: t\nnull: n\n~: tilde\n0x10: hex\n'2': quoted\n!!int '3': tagged\n",
    "a: 1\nb: 2\na: 3\nb: {x: 1}\na: 4\n",
    "a: [x, y]\na: [z]\nb: {c: 1}\nb: {c: 2, c: 3, d: 4}\n",
    "base: &b {x: 1, y: [1, 2]}\nother: *b\nlist: [*b, *b]\nscalar: &s hello\nagain: *s\n",
    "base: &b\n  x: 1\n  y:\n  - 1\n  - 2\nother: *b\nlast:\n  k: *b\n",
    "seq:\n- &a one\n- *a\n- &m {k: v}\n- *m\n",
    "top:\n  later: 1\n  first: &x [1]\nend:\n  - *x\n",
    "a: &x 1\nblock:\n  - *x\n",
    "a: &x 1\nblock:\n  k: *x\n",
    "undefined: *nope\n",
    "a: &dup 1\nb: &dup 2\n",
    "rec: &r [*r]\n",
    "rec: &r {a: *r}\n",
    "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",
    "a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n  x: 3\n",
    "c:\n  <<: {x: 1, x: 2}\n",
    "c:\n  !!merge <<: {x: 1}\n",
    "? [a, b]\n: 1\n",
    "[a]: 1\n",
    "&k key: value\nother: *k\n",
    "*x : 1\n",
    "a:\n\tb: 1\n",
    "a: [1, 2\n",
    "a: b: c\n",
    "- a\nb: 1\n",
    "key: |\n  literal\n  text\nnext: >-\n  folded\n  text\n",
    "multi: plain\n  continued\n  scalar\n",
    "empty_flow: []\nempty_map: {}\nnested: [[], {}, [[]]]\n",
    "- \n- \n-\n",
    "? a\n? b\n: 1\n",
    ": x\n",
    "a: 1 # comment\n# between\nb: [1, # inside\n  2]\n",
    '{"json": true, "n": 1.0, "list": [1, "2", null], "obj": {"a": {}}}',
    "a: \ud800\n",
    "x: " + "[" * 250 + "]" * 250 + "\n",
    "".join(" " * i + f"k{i}:\n" for i in range(205)),
    "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)),
    "\ufeffa: 1\n",
    "a: 1\r\nb:\r\n  - 2\r\n",
    "%YAML 1.1\n---\na: 1\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n",
]


@pytest.mark.parametrize("text", CASES)
def test_hand_picked_cases_load_the_same(text: str) -> None:
    _assert_same(text)


def test_fast_path_decides_ordinary_documents() -> None:
    # the cases before the first one that is a composer error or a merge key
    for text in CASES[:CASES.index("undefined: *nope\n")]:
        assert _assert_same(text), text


def test_safe_loader_has_no_wildcard_resolver() -> None:
    # the fast path skips the resolvers for a plain scalar whose first
    # character has none registered; a resolver for any character would break that
    assert None not in loader._IMPLICIT_RESOLVERS


def test_positions_are_made_on_demand_and_behave_as_a_mapping() -> None:
    document = load_yaml("a:\n  b: 1\nc: [x]\n", "doc.yaml").documents[0]
    positions = document.positions
    assert isinstance(positions, NodePositions)
    assert ("a", "b") in positions and ("nope",) not in positions
    assert positions.get(("nope",)) is None and positions.get(("nope",), 1) == 1
    assert positions[("a",)].value_span == Span(2, 3, 2, 7)
    assert positions[("a",)].key_span == Span(1, 1, 1, 2)
    assert positions.get(("c", 0)) == positions[("c", 0)]
    assert positions[("c", 0)].key_span is None
    assert list(positions) == [("a", "b"), ("a",), ("c", 0), ("c",)]
    assert len(positions) == 4
    assert dict(positions) == {path: positions[path] for path in positions}
    with pytest.raises(KeyError):
        positions[("nope",)]
    assert document.nearest_span(("a", "b", "c")) == Span(2, 3, 2, 4)  # the key "b"


# ------------------------------------------------------------------ generated texts

_PLAIN_SCALARS = [
    "true", "False", "YES", "no", "On", "off", "y", "N", "null", "NULL", "~", "0", "-1", "+7", "0x1F", "0o17", "017",
    "0b101", "1_000", "1:30", "-1:30:00", "1.5", "-.5", "1e3", "1.0e+3", ".inf", "-.INF", ".nan", "2001-12-14",
    "2001-12-14t21:59:43.10-05:00", "10s", "1m30s", "100Mi", "5%", "=", "<<", "a b", "x:y", "/var/lib/kubelet",
    "TLS_ECDHE_RSA", "10.96.0.10", "::1", "8080", "3.14.15", "1__0", "0x", "0b", "_1", "1_", "-", ".", "+.5",
]
_QUOTED_SCALARS = ["'quoted'", '"dq"', "'1'", '"true"', "''", '""', "'it''s'", '"tab\\tnew\\nline"', "'~'"]
_TAGGED_SCALARS = ["!!str 3", "!!int 42", "!!float 1", "!!bool yes", "!!null ''", "!!int x", "!!float y",
                   "!!binary aGk=", "!!timestamp 2001-12-14", "!custom v", "! 12", "! '12'", "!!str"]
_KEYS = ["apiVersion", "kind", "port", "enabled", "evictionHard", "memory.available", "a", "b", "c", "true", "1",
         "null", "~", "1.5", "0x1F", "'q'", '"dq"', "!!int 7", "!!str 1", "yes", "", "- x", "k k"]


@st.composite
def _scalar(draw: st.DrawFn) -> str:
    return draw(st.one_of(st.sampled_from(_PLAIN_SCALARS), st.sampled_from(_QUOTED_SCALARS),
                          st.sampled_from(_TAGGED_SCALARS),
                          st.text(alphabet="abcxyz019._-/:", min_size=1, max_size=8)))


@st.composite
def _anchor(draw: st.DrawFn, anchors: list[str]) -> str:
    """Mostly nothing, sometimes a new anchor in front of a node (rarely one already used)."""
    choice = draw(st.integers(0, 79))
    if choice >= 8 or (choice == 0 and not anchors):
        return ""
    name = draw(st.sampled_from(anchors)) if choice == 0 else f"a{len(anchors)}"
    anchors.append(name)
    return f"&{name} "


@st.composite
def _alias(draw: st.DrawFn, anchors: list[str]) -> str:
    """An alias to an anchor defined before (or, rarely, to none)."""
    if draw(st.integers(0, 19)) == 0:
        return "*undefined"
    return "*" + draw(st.sampled_from(anchors))


@st.composite
def _flow(draw: st.DrawFn, depth: int, anchors: list[str]) -> str:
    """A flow node: scalar, alias, [sequence] or {mapping}."""
    kinds = ["scalar", "scalar", "sequence", "mapping"] if depth < 3 else ["scalar"]
    kind = draw(st.sampled_from([*kinds, "alias"] if anchors else kinds))
    if kind == "scalar":
        return draw(_anchor(anchors)) + draw(_scalar())
    if kind == "alias":
        return draw(_alias(anchors))
    anchor = draw(_anchor(anchors))
    children = draw(st.lists(st.deferred(lambda: _flow(depth + 1, anchors)), max_size=3))
    if kind == "sequence":
        return anchor + "[" + ", ".join(children) + "]"
    keys = draw(st.lists(st.sampled_from(_KEYS), min_size=len(children), max_size=len(children)))
    return anchor + "{" + ", ".join(f"{key}: {child}" for key, child in zip(keys, children, strict=True)) + "}"


@st.composite
def _block(draw: st.DrawFn, indent: int, depth: int, anchors: list[str]) -> list[str]:
    """The lines of a block mapping or sequence at ``indent``."""
    pad = " " * indent
    lines: list[str] = []
    sequence = draw(st.booleans())
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        if draw(st.integers(0, 9)) == 0:
            lines.append(pad + "# a comment")
        lead = pad + "- " if sequence else pad + draw(st.sampled_from(_KEYS)) + ": "
        if not sequence and draw(st.integers(0, 24)) == 0:
            merge = draw(st.sampled_from(["{m: 1, a: 2}", "x", "[{a: 1}, {b: 2}]"]))
            if anchors and draw(st.booleans()):
                merge = draw(_alias(anchors))
            lines.append(pad + "<<: " + merge)
            continue
        kind = draw(st.sampled_from(["flow", "flow", "flow", "block", "literal"] if depth < 3 else ["flow"]))
        if kind == "block":
            anchor = draw(_anchor(anchors))
            lines.append(lead + anchor.rstrip() if anchor else lead.rstrip())
            child_indent = indent + draw(st.sampled_from([0, 2] if not sequence else [2]))
            lines.extend(draw(_block(child_indent, depth + 1, anchors)))
        elif kind == "literal":
            lines.append(lead + draw(st.sampled_from(["|", ">", "|-", ">+"])))
            lines.extend(pad + "  " + line for line in draw(st.lists(st.sampled_from(["text", "", "more text"]),
                                                                       min_size=1, max_size=3)))
        else:
            comment = draw(st.sampled_from(["", "", " # trailing"]))
            lines.append(lead + draw(_flow(depth, anchors)) + comment)
    return lines


@st.composite
def _stream(draw: st.DrawFn) -> str:
    documents = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        anchors: list[str] = []  # anchors are per document
        if draw(st.integers(0, 5)) == 0:
            documents.append(draw(_flow(0, anchors)))
        else:
            documents.append("\n".join(draw(_block(0, 0, anchors))))
    separator = draw(st.sampled_from(["\n---\n", "\n...\n---\n", "\n--- # doc\n"]))
    return draw(st.sampled_from(["", "---\n", "# head\n"])) + separator.join(documents) + "\n"


@SETTINGS
@given(_stream())
def test_generated_yaml_loads_the_same(text: str) -> None:
    _assert_same(text)


def test_generated_yaml_mostly_takes_the_fast_path() -> None:
    """The generator is not all errors and merge keys: the fast path is exercised."""
    decided = []

    @settings(max_examples=150, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(_stream())
    def run(text: str) -> None:
        decided.append(_assert_same(text))

    run()
    assert sum(decided) > len(decided) // 4


@SETTINGS
@given(st.text(alphabet="ab01 :-[]{},&*!#'\"\n\t\r<~.|>?%", max_size=60))
def test_yaml_noise_loads_the_same(text: str) -> None:
    _assert_same(text)


def test_compose_and_events_parse_the_same_texts() -> None:
    """The composed path's parser is the C one the fast path reads events from."""
    assert loader._Loader is yaml.CSafeLoader
    assert loader._CParser is not None
