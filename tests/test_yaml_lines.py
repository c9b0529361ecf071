"""The YAML loader's line path against the composed path (and so the event path).

``load_plain_block`` reads plain block YAML line by line and gives up on
anything else. Where it decides, it must give exactly what the composed
path gives: data with its types, every position in the same order, the
document's span, no duplicates and no problems. Checked on every YAML file of
the repository, on hand-picked cases at the edge of what it accepts, and on
generated texts made of exactly the constructs it reads (plus some it must
refuse), with noise mutations.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint.diagnostics import Span
from kubelint.loaders import yaml as loader
from kubelint.loaders.yaml import NodePositions, load_yaml
from kubelint.loaders.yaml_lines import flat_node_position, load_plain_block
from tests.test_yaml_fast_path import _repository_yaml_files, _seen

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=int(os.environ.get("KUBELINT_ROBUSTNESS_EXAMPLES", "300")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _line_path_agrees(text: str) -> bool:
    """The line path, when it decides, and load_yaml agree with the composed
    path on ``text``; True when the line path decided."""
    expected = _seen(loader._load_composed(text, "doc.yaml"))
    assert _seen(load_yaml(text, "doc.yaml")) == expected
    lines = load_plain_block(text, "doc.yaml")
    if lines is None:
        return False
    assert _seen(lines) == expected
    return True


def test_repository_yaml_files_load_the_same() -> None:
    decided = 0
    for path in _repository_yaml_files():
        text = path.read_bytes().decode("utf-8", errors="surrogateescape")
        try:
            decided += _line_path_agrees(text)
        except AssertionError as error:
            raise AssertionError(f"{path.relative_to(ROOT)}: {error}") from None
    assert decided > 30  # the line path is what reads ordinary configs


def test_example_configs_and_kubeconfigs_take_the_line_path() -> None:
    files = [path for path in (ROOT / "examples").rglob("*.yaml")
             if any(kind in path.read_text() for kind in ("KubeletConfiguration", "kind: Config"))]
    assert len(files) > 5
    for path in files:
        assert _line_path_agrees(path.read_text()), path


# texts the line path must read, each at an edge of what it accepts
DECIDED = [
    "a: 1\n",
    "a: 1",
    "  a: 1\n  b: x\n",
    "# head\n\napiVersion: v1   \nkind: X # trailing\n\n# tail\n",
    "a:\n  b:\n    c: deep\n  d: 2\ne: 3\n",
    "list:\n- a\n- 'b'\n- \"c\"\nnext: 1\n",
    "list:\n  - a\n  -   spaced\nnext: 1\n",
    "items:\n- key: k\n  value: v\n  effect: NoSchedule\n- key: other\nafter: x\n",
    "items:\n-   key: k\n    value: v\n",
    "outer:\n- a:\n  - x\n  - y\n  b: 2\n",
    "outer:\n- a:\n    b: 1\n",
    "flow: {}\nlist: []\nq: ''\ndq: \"\"\n",
    "plain: a#b\nurl: unix:///run/containerd/containerd.sock\nhost: 10.0.0.1:6443\ncomma: a, b\n",
    "bools: true\nno: false\nyes: No\nnull: ~\nn: null\nint: 10250\nneg: -1\nfloat: 1.5\ntime: 2001-12-14\n",
    "1: one\n0x10: hex\ntrue: t\n",
    "d: 10s\nq: 100Mi\np: 5%\nm: memory.available<100Mi\n",
    "k: v # c\nq: 'x' # c\ndq: \"y\"   # c\nf: {}  # c\n",
    "brackets: a]b[c}d{\nbang: a!b\nstar: a*b\n",
    "dash: -x\nneg: -.5\n",
    "a:\n  # a comment between\n  b: 1\n",
    "quoted: 'it # is'\ndq: \"a: b\"\n",
    "key_with-dash/and.dot_: v\n",
]

# texts it must leave to libyaml: outside what it reads, or not valid YAML
REFUSED = [
    "",
    "# only a comment\n",
    "---\na: 1\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "- a\n- b\n",
    "a: 1\na: 2\n",
    "a:\n",
    "a:\nb: 1\n",
    "a: [1, 2]\n",
    "a: {b: 1}\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: |\n  text\n",
    "a: >\n  text\n",
    "a: plain\n  continued\n",
    "a: 'it''s'\n",
    "a: \"esc\\n\"\n",
    "a: 'open\n  close'\n",
    "a: b: c\n",
    "a: b:\n",
    "a:\tb\n",
    "a:\n\tb: 1\n",
    "a: 1\r\nb: 2\r\n",
    "\ufeffa: 1\n",
    "a: caf\u00e9\n",
    "a: \x07\n",
    "a: \x7f\n",
    "a: 1\x85b: 2\n",
    "a: 1\u2028b: 2\n",
    "a: 1\x0cb: 2\n",
    "\"q\": 1\n",
    "? a\n: 1\n",
    "<<: {a: 1}\n",
    "a b: 1\n",
    "a:b\n",
    "a:\n  - x\n  b: 1\n",
    "a:\n- x\n  - y\n",
    "a:\n- - x\n",
    "a:\n-\n",
    "a:\n- # item on the next lines\n  x\n",
    "a: 1\n - b\n",
    "a:\n  b: 1\n c: 2\n",
    "a: 'x' y\n",
    "a: {}x\n",
    "a: -\n",
    "a: @x\n",
    "a: `x\n",
    "a: %x\n",
    "a: ?x\n",
    "a: 1\n  # deeper comment\n  b\n",
    "k" * 1001 + ": v\n",
    "a:\n" + "".join("  " * depth + f"k{depth}:\n" for depth in range(1, 205)) + "  " * 205 + "x: 1\n",
]


@pytest.mark.parametrize("text", DECIDED)
def test_line_path_reads_plain_block_yaml(text: str) -> None:
    assert _line_path_agrees(text)


@pytest.mark.parametrize("text", REFUSED)
def test_line_path_leaves_the_rest_to_libyaml(text: str) -> None:
    assert not _line_path_agrees(text)


def test_positions_are_numbers_made_into_spans_on_demand() -> None:
    document = load_yaml("a:\n  b: 1\nc:\n- x\n", "doc.yaml").documents[0]
    positions = document.positions
    assert isinstance(positions, NodePositions) and positions._convert is flat_node_position
    assert ("a", "b") in positions and ("nope",) not in positions
    assert positions.get(("nope",)) is None and positions.get(("nope",), 1) == 1
    assert positions[("a",)].value_span == Span(2, 3, 2, 7)
    assert positions[("a",)].key_span == Span(1, 1, 1, 2)
    assert positions[("c", 0)].key_span is None
    assert list(positions) == [("a", "b"), ("a",), ("c", 0), ("c",)]
    assert len(positions) == 4
    assert dict(positions) == {path: positions[path] for path in positions}
    assert "NodePositions(" in repr(positions)
    with pytest.raises(KeyError):
        positions[("nope",)]


# ------------------------------------------------------------------ generated texts

_KEYS = ["apiVersion", "kind", "enabled", "memory.available", "a", "b", "node.example.com/pool", "true", "1", "null",
         "yes", "0x1F", "on", "a-b", "_x", "k8s_io"]
_ODD_KEYS = ["- x", "'q'", "a b", "<<", "a:b", "-k"]  # keys the line path refuses
_VALUES = ["true", "False", "no", "~", "null", "0", "-1", "+7", "017", "0x1F", "1_000", "1:30", "1.5", "-.5", "1e3",
           ".inf", "2001-12-14", "10s", "100Mi", "5%", "10.96.0.10", "::1", "/var/lib/kubelet", "a b", "x:y",
           "a#b", "a # c", "unix:///run/x.sock", "'quoted'", '"dq"', "''", '""', "'a # b'", '"a: b"', "{}", "[]",
           "-x", "=", "a, b", "a]"]
_ODD_VALUES = ["[1]", "{a: 1}", "&x 1", "*x", "!!str 1", "|", "'it''s'", '"e\\n"', "a: b", "x:", "-", "@x",
               "'open", "{}x", "'x' y", "?x", ":x"]  # values the line path refuses


@st.composite
def _key(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(_ODD_KEYS if draw(st.integers(0, 39)) == 0 else _KEYS))


@st.composite
def _value(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(_ODD_VALUES if draw(st.integers(0, 39)) == 0 else _VALUES))


_AFTER = ["", "", "", "", "", " ", "   ", " # comment", "  #c", "#not a comment"]


@st.composite
def _block(draw: st.DrawFn, indent: int, depth: int, mapping: bool = False) -> list[str]:
    """The lines of a block mapping (or, below a key, sequence) at ``indent``."""
    pad = " " * indent
    lines: list[str] = []
    sequence = not mapping and depth > 0 and draw(st.integers(0, 3)) == 0
    keys: set[str] = set()
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        if draw(st.integers(0, 7)) == 0:
            lines.append(draw(st.sampled_from(["", pad + "# a comment", "   ", pad + "  # deeper comment"])))
        if sequence:
            dash = draw(st.sampled_from(["- ", "- ", "-   "]))
            if depth < 3 and draw(st.integers(0, 2)) == 0:  # an item that is a mapping
                inner = draw(_block(indent + len(dash), depth + 1, mapping=True))
                lines.append(pad + dash + inner[0].lstrip(" "))
                lines.extend(inner[1:])
            else:
                lines.append(pad + dash + draw(_value()) + draw(st.sampled_from(_AFTER)))
            continue
        key = draw(_key())
        if key in keys and draw(st.integers(0, 9)) != 0:
            continue  # mostly no duplicate keys: the line path leaves those to libyaml
        keys.add(key)
        if depth < 3 and draw(st.integers(0, 3)) == 0:
            lines.append(pad + key + ":" + draw(st.sampled_from(["", "", " # block below", "  "])))
            lines.extend(draw(_block(indent + draw(st.sampled_from([0, 1, 2, 4])), depth + 1)))
        else:
            lines.append(pad + key + ": " + draw(_value()) + draw(st.sampled_from(_AFTER)))
    return lines or [pad + "only: 1"]


@st.composite
def _plain_text(draw: st.DrawFn) -> str:
    lines = draw(_block(draw(st.sampled_from([0, 0, 0, 2])), 0))
    if draw(st.integers(0, 9)) == 0:  # a mutation: one character changed, inserted or removed
        text = "\n".join(lines)
        at = draw(st.integers(0, len(text)))
        change = draw(st.sampled_from(["insert", "delete", "replace"]))
        char = draw(st.sampled_from(list(" -:#'\"{}[]\n\tab1")))
        if change == "insert":
            text = text[:at] + char + text[at:]
        elif change == "delete":
            text = text[:at] + text[at + 1:]
        else:
            text = text[:at] + char + text[at + 1:]
        return text + draw(st.sampled_from(["", "\n"]))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@SETTINGS
@given(_plain_text())
def test_generated_plain_yaml_loads_the_same(text: str) -> None:
    _line_path_agrees(text)


def test_generated_plain_yaml_mostly_takes_the_line_path() -> None:
    """The generator is not all refusals: the line path is exercised."""
    decided = []

    @settings(max_examples=200, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(_plain_text())
    def run(text: str) -> None:
        decided.append(_line_path_agrees(text))

    run()
    assert sum(decided) > len(decided) // 5


@SETTINGS
@given(st.text(alphabet="ab1 :-#'\"{}[]\n", max_size=60))
def test_yaml_noise_loads_the_same(text: str) -> None:
    _line_path_agrees(text)
