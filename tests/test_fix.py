"""The fixer's pure core: golden before/after files and the edge cases around them.

Each directory under ``tests/data/fix/`` holds ``before.*``, ``after.*`` and
``edits.json``: applying the edits to ``before`` must give ``after`` byte
for byte.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from kubelint.diagnostics import Edit, Span, TextEdit, YamlEdit
from kubelint.fix import FixError, apply_edits_to_text
from kubelint.fix_text import apply_text_edits
from kubelint.fix_yaml import comments

GOLDEN = Path(__file__).parent / "data" / "fix"
# corpus/ holds odd-but-valid files for the property tests, not golden cases
CASES = sorted(path.name for path in GOLDEN.iterdir() if (path / "edits.json").exists())


def load_case(name: str) -> tuple[str, str, list[Edit]]:
    case = GOLDEN / name
    before = next(case.glob("before.*"))
    after = case / before.name.replace("before", "after")
    edits: list[Edit] = []
    for item in json.loads((case / "edits.json").read_text(encoding="utf-8")):
        if "text" in item:
            spec = item["text"]
            edits.append(TextEdit(before.name, Span(*spec["span"]), spec["new_text"]))
        else:
            spec = item["yaml"]
            edits.append(YamlEdit(before.name, spec.get("document", 0), tuple(spec["key_path"]), spec["op"],
                                  spec.get("value"), spec.get("new_key")))
    # bytes decoded by hand: read_text would translate newlines and hide a CRLF slip
    return before.read_bytes().decode("utf-8"), after.read_bytes().decode("utf-8"), edits


def test_every_fix_kind_has_a_golden_case() -> None:
    kinds: set[str] = set()
    for name in CASES:
        for edit in load_case(name)[2]:
            kinds.add(edit.op if isinstance(edit, YamlEdit) else "text")
    assert {"set", "rename", "delete", "text"} <= kinds
    assert {"rename", "set-scalar", "set-nested", "delete", "env-remove-flag", "json-config",
            "multi-document"} <= set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    before, after, edits = load_case(name)
    assert apply_edits_to_text(before, edits) == after


# text spans all refer to the original text, so only structural cases can go one by one
@pytest.mark.parametrize("name", [name for name in CASES if '"text"' not in (GOLDEN / name / "edits.json").read_text()])
def test_golden_edits_one_at_a_time_give_the_same_result(name: str) -> None:
    before, after, edits = load_case(name)
    text = before
    for edit in edits:
        text = apply_edits_to_text(text, [edit])
    assert text == after


@pytest.mark.parametrize("name", [name for name in CASES if (GOLDEN / name / "before.yaml").exists()])
def test_golden_keeps_every_comment_outside_deleted_entries(name: str) -> None:
    before, after, _ = load_case(name)
    deleted_comments = {"# insecure", "# removed in 1.26", "# ignored unless KubeletSeparateDiskGC",
                        "# no forward secrecy"}
    kept = [comment for comment in comments(before) if comment not in deleted_comments]
    assert kept == [comment for comment in comments(after) if comment in kept]


def test_multi_document_keeps_other_documents_byte_for_byte() -> None:
    before, after, _ = load_case("multi-document")
    # document 0 (with the directive and both markers) and the closing lines are untouched
    head = before[: before.index("# the gpu pool")]
    assert after.startswith(head)
    assert after.endswith("...\n# trailing comment after the last document\n")


def test_ruamel_fallback_in_a_stream_keeps_other_documents() -> None:
    text = textwrap.dedent("""\
        # first
        a:   1    # odd spacing ruamel would normalise
        b: True
        ---
        c:
          d: 1   # the only key
        e: ~
        ---
        f: [1,2]
        """)
    result = apply_edits_to_text(text, [YamlEdit("x.yaml", 1, ("c", "d"), "delete")])
    first, second, third = result.split("---\n")
    assert first == text.split("---\n")[0]
    assert third == text.split("---\n")[2]
    assert yaml.safe_load(second) == {"c": {}, "e": None}


# ---------------------------------------------------------------------------
# text edits


def test_text_edits_apply_from_the_end() -> None:
    text = 'KUBELET_EXTRA_ARGS="--a=1 --b=2 --c=3"\n'
    edits = [TextEdit("f", Span(1, 21, 1, 27), ""), TextEdit("f", Span(1, 33, 1, 38), "--c=4")]
    assert apply_text_edits(text, edits) == 'KUBELET_EXTRA_ARGS="--b=2 --c=4"\n'


def test_text_edits_that_overlap_are_refused() -> None:
    text = "abcdef\n"
    with pytest.raises(FixError, match="overlap"):
        apply_text_edits(text, [TextEdit("f", Span(1, 1, 1, 4), "x"), TextEdit("f", Span(1, 3, 1, 5), "y")])
    with pytest.raises(FixError, match="overlap"):
        apply_text_edits(text, [TextEdit("f", Span(1, 2, 1, 2), "x"), TextEdit("f", Span(1, 2, 1, 2), "y")])


@pytest.mark.parametrize("span", [Span(3, 1, 3, 2), Span(1, 1, 1, 9), Span(1, 5, 1, 2), Span(0, 1, 1, 1)])
def test_text_edit_outside_the_text_is_refused(span: Span) -> None:
    with pytest.raises(FixError):
        apply_text_edits("abcdef\n", [TextEdit("f", span, "")])


def test_text_edit_can_remove_a_whole_line_and_reach_the_end() -> None:
    text = "a\nb\nc\n"
    assert apply_text_edits(text, [TextEdit("f", Span(2, 1, 3, 1), "")]) == "a\nc\n"
    assert apply_text_edits(text, [TextEdit("f", Span(4, 1, 4, 1), "d\n")]) == "a\nb\nc\nd\n"


def test_text_edit_columns_count_characters_not_bytes() -> None:
    text = "x: \"ümlaut\" --flag\n"
    assert apply_text_edits(text, [TextEdit("f", Span(1, 12, 1, 19), "")]) == "x: \"ümlaut\"\n"


# ---------------------------------------------------------------------------
# YAML edits: rendering and refusals


def one(text: str, *edits: YamlEdit) -> str:
    return apply_edits_to_text(textwrap.dedent(text), list(edits))


def edit(path: tuple[str | int, ...], op: str = "set", value: Any = None, new_key: str | None = None,
         document: int = 0) -> YamlEdit:
    return YamlEdit("config.yaml", document, path, op, value, new_key)  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "rendered"), [
    ("yes", "'yes'"), ("on", "'on'"), ("y", "'y'"), ("1e3", "'1e3'"), ("0755", "'0755'"), ("10", "'10'"),
    ("null", "'null'"), ("", "''"), ("a: b", "'a: b'"), ("#x", "'#x'"), ("line\nbreak", '"line\\nbreak"'),
    ("10s", "10s"), ("systemd", "systemd"), (True, "true"), (None, "null"), (0.5, "0.5"), (250, "250"),
])
def test_new_scalars_read_back_as_what_was_meant(value: Any, rendered: str) -> None:
    result = one("a: 1\n", edit(("b",), value=value))
    assert result == f"a: 1\nb: {rendered}\n"
    assert yaml.safe_load(result)["b"] == value


def test_set_keeps_the_scalar_quoting_style() -> None:
    text = """\
    a: "x"
    b: 'y'
    c: z
    """
    result = one(text, edit(("a",), value="q\"uote"), edit(("b",), value="it's"), edit(("c",), value="w"))
    assert result == "a: \"q\\\"uote\"\nb: 'it''s'\nc: w\n"


def test_set_on_an_empty_value_and_under_a_null_parent() -> None:
    assert one("a:\nb: 1\n", edit(("a",), value=5)) == "a: 5\nb: 1\n"
    assert one("a:   # later\nb: 1\n", edit(("a", "c"), value=5)) == "a:   # later\n  c: 5\nb: 1\n"
    assert one("a: null  # n\nb: 1\n", edit(("a", "c"), value=5)) == "a:  # n\n  c: 5\nb: 1\n"


def test_set_replaces_a_collection_keeping_its_indentation() -> None:
    text = """\
    clusterDNS:
        - 10.0.0.1
        - 10.0.0.2
    x: 1
    """
    assert one(text, edit(("clusterDNS",), value=["10.0.0.3"])) == "clusterDNS:\n    - 10.0.0.3\nx: 1\n"
    assert one(text, edit(("clusterDNS",), value="10.0.0.3")) == "clusterDNS: 10.0.0.3\nx: 1\n"
    flow = "clusterDNS: [10.0.0.1]   # dns\nx: 1\n"
    assert one(flow, edit(("clusterDNS",), value=["a", "b c"])) == 'clusterDNS: [a, "b c"]   # dns\nx: 1\n'


def test_crlf_files_stay_crlf() -> None:
    text = "a: 1\r\nb:\r\n  c: 2\r\n"
    result = apply_edits_to_text(text, [edit(("b", "d"), value=3), edit(("a",), "delete")])
    assert result == "b:\r\n  c: 2\r\n  d: 3\r\n"


def test_no_trailing_newline_is_kept_when_adding_at_the_end() -> None:
    assert one("a: 1", edit(("b",), value=2)) == "a: 1\nb: 2"


def test_tab_indented_json_gets_tabs() -> None:
    text = '{\n\t"a": 1\n}\n'
    assert apply_edits_to_text(text, [edit(("b",), value={"c": True})]) == '{\n\t"a": 1,\n\t"b": {\n\t\t"c": true\n\t}\n}\n'


def test_rename_onto_an_existing_key_is_refused() -> None:
    with pytest.raises(FixError, match="already set"):
        one("maxPod: 1\nmaxPods: 2\n", edit(("maxPod",), "rename", new_key="maxPods"))


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(FixError, match="more than once"):
        one("a: 1\na: 2\n", edit(("a",), value=3))


def test_missing_paths_are_refused() -> None:
    with pytest.raises(FixError):
        one("a: 1\n", edit(("b",), "delete"))
    with pytest.raises(FixError):
        one("a: 1\n", edit(("b",), "rename", new_key="c"))
    with pytest.raises(FixError):
        one("a: [1]\n", edit(("a", 3), value=1))
    with pytest.raises(FixError, match="no YAML document 2"):
        one("a: 1\n", edit(("a",), value=2, document=2))


def test_an_edit_of_an_anchored_value_that_would_change_its_aliases_is_refused() -> None:
    text = """\
    base: &base
      x: 1
    copy: *base
    """
    with pytest.raises(FixError):
        one(text, edit(("base", "x"), value=2))
    with pytest.raises(FixError):
        one(text, edit(("copy", "x"), value=2))


def test_deleting_an_own_key_that_a_merge_key_would_reveal_is_refused() -> None:
    text = """\
    base: &base
      y: 2
    use:
      <<: *base
      y: 3
    """
    with pytest.raises(FixError, match="different data"):
        one(text, edit(("use", "y"), "delete"))
    # setting a key that only comes from the merge adds an own key over it
    assert one(text, edit(("use", "z"), value=1)).endswith("  y: 3\n  z: 1\n")


def test_a_comment_the_fallback_would_drop_makes_the_edit_fail() -> None:
    # ruamel attaches the comment line below a key to that key; deleting the
    # key through ruamel would drop a comment that belongs to the next entry
    text = """\
    - a: 1
      # about b
      b: 2
    """
    with pytest.raises(FixError, match="comment"):
        one(text, edit((0, "a"), "delete"))


def test_yaml_edits_on_a_broken_later_document_still_apply_to_an_earlier_one() -> None:
    text = "a: 1\n---\nb: [unclosed\n"
    assert apply_edits_to_text(text, [edit(("a",), value=2)]) == "a: 2\n---\nb: [unclosed\n"


def test_unknown_operation_and_value_types_are_refused() -> None:
    with pytest.raises(FixError):
        one("a: 1\n", edit(("a",), "move"))
    with pytest.raises(FixError):
        one("a: 1\n", edit(("a",), value=object()))


def test_the_pure_function_never_imports_ruamel_for_splices() -> None:
    code = textwrap.dedent("""
        import sys
        from kubelint.diagnostics import YamlEdit
        from kubelint.fix import apply_edits_to_text
        text = "a: 1  # c\\nb:\\n  c: 2\\nd: [1]\\n"
        edits = [YamlEdit("f", 0, ("a",), "set", 3), YamlEdit("f", 0, ("b", "e"), "set", {"x": [1]}),
                 YamlEdit("f", 0, ("d", 0), "delete"), YamlEdit("f", 0, ("a",), "rename", new_key="z")]
        print(apply_edits_to_text(text, edits))
        print(any(name.startswith("ruamel") for name in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent.parent).stdout
    assert out.splitlines()[-1] == "False"
    assert "z: 3  # c" in out


def test_a_bug_in_the_splice_falls_back_to_the_checked_ruamel_path(monkeypatch: pytest.MonkeyPatch) -> None:
    import kubelint.fix_yaml as fix_yaml

    def broken(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(fix_yaml, "_splice", broken)
    assert one("a: 1  # c\nb: 2\n", edit(("a",), value=3)) == "a: 3  # c\nb: 2\n"
    monkeypatch.setattr(fix_yaml, "_ruamel", broken)
    with pytest.raises(FixError, match="internal error in the fixer"):
        one("a: 1\n", edit(("a",), value=3))


@pytest.mark.parametrize("value", ["\U0002ebe1", "emoji😀", "a\x85b", "x\u2028y", "del\x7f", "nb\xa0sp", "tab\there",
                                   "bom\ufeff"])
def test_unusual_characters_read_back_unchanged_in_block_flow_and_json(value: str) -> None:
    text = 'a: 1\nb: {c: 1}\n'
    result = apply_edits_to_text(text, [edit(("a",), value=value), edit(("b", "c"), value=value)])
    assert yaml.safe_load(result) == {"a": value, "b": {"c": value}}
    assert json.loads(apply_edits_to_text('{"a": 1}', [edit(("a",), value=value)])) == {"a": value}
