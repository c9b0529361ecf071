"""Properties of the fixer over every YAML/JSON file of the repository.

* a random structural edit either is refused or changes exactly what it
  says: other keys, other documents, key order and comments stay;
* ``--fix`` run twice gives what ``--fix`` gave once;
* a fixer killed mid-write leaves the old file or the new one, whole.

Files are copied to a temporary directory before anything writes.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from kubelint import knowledge
from kubelint.analysis import Options, lint_paths
from kubelint.cli import main
from kubelint.diagnostics import YamlEdit
from kubelint.engine import Selection, all_rules
from kubelint.fix import FixError, apply_edits_to_text, fix_report, per_file_relint
from kubelint.loaders.yaml import YamlDocument, load_yaml

REPO = Path(__file__).resolve().parent.parent
MAX_BYTES = 256 * 1024


def corpus() -> list[Path]:
    """Every YAML/JSON file under examples/ and tests/ that parses into mappings."""
    found = []
    for top in ("examples", "tests"):
        for path in sorted((REPO / top).rglob("*")):
            if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
                continue
            if path.stat().st_size > MAX_BYTES:
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            stream = load_yaml(text, path.name)
            if stream.problems or not any(isinstance(d.data, dict) and d.data and not d.problems
                                          for d in stream.documents):
                continue
            found.append(path)
    return found


CORPUS = corpus()
TEXTS = {path: path.read_text(encoding="utf-8") for path in CORPUS}


def test_the_corpus_is_not_empty() -> None:
    names = {path.name for path in CORPUS}
    assert "kubelet-config-insecure.yaml" in names and "before.json" in names


# ---------------------------------------------------------------------------
# independent helpers: none of them calls the fixer's own checks

_COMMENT = re.compile(r"(?:^|\s)(#.*)$")


def comment_lines(text: str) -> list[tuple[int, str]]:
    """(1-based line, comment) by a plain line scan: '#' at a line start or after a blank."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _COMMENT.search(line)
        if match:
            found.append((number, match.group(1).rstrip()))
    return found


def lost_comments(old: str, new: str) -> Counter[str]:
    """Comments of ``old`` missing from ``new``, except those on lines a fix deleted outright."""
    def key(line: str) -> str:
        return line.split(":", 1)[0].strip().lower()

    deleted: set[int] = set()
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, first, last, new_first, new_last in matcher.get_opcodes():
        # a replaced block mixes edited lines (same key, comment must stay) with deleted ones
        survivors = {key(line) for line in new_lines[new_first:new_last]}
        for number in range(first, last):
            if tag == "delete" or (tag == "replace" and key(old_lines[number]) not in survivors):
                deleted.add(number + 1)
    kept = Counter(comment for line, comment in comment_lines(old) if line not in deleted)
    return kept - Counter(comment for _, comment in comment_lines(new))


def strict_equal(first: Any, second: Any, *, ordered: bool = True) -> bool:
    """Equality that tells 1 from 1.0 from True, and key order apart (if ``ordered``)."""
    if type(first) is not type(second):
        return False
    if isinstance(first, dict):
        same_keys = list(first) == list(second) if ordered else sorted(first) == sorted(second)
        return same_keys and all(strict_equal(first[k], second[k], ordered=ordered) for k in first)
    if isinstance(first, list):
        return len(first) == len(second) and all(strict_equal(a, b, ordered=ordered)
                                                  for a, b in zip(first, second, strict=True))
    if isinstance(first, float) and first != first:
        return bool(second != second)
    return bool(first == second)


def unshared_copy(data: Any) -> Any:
    return json.loads(json.dumps(data))


def mark(position: Any) -> int:
    return int(position.index)


def document_bounds(text: str) -> list[tuple[int, int]]:
    bounds = []
    start = 0
    for parsed in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(parsed, yaml.DocumentStartEvent):
            start = mark(parsed.start_mark)
        elif isinstance(parsed, yaml.DocumentEndEvent):
            bounds.append((start, mark(parsed.end_mark)))
    return bounds


def key_paths(data: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from key_paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*prefix, index)
            yield from key_paths(value, (*prefix, index))


def get(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
    st.sampled_from(["yes", "on", "N", "1e3", "0x1F", "0755", "~", "null", "'q'", '"d"', "a: b", "#c", "- x",
                     "*a", "&b", "!t", "10s", "systemd", "", " lead", "trail ", "a #b", "{x}", "[y]", "%p", "@q"]),
)
KEYS = st.one_of(
    st.from_regex(r"[a-zA-Z][a-zA-Z0-9._-]{0,10}", fullmatch=True),
    # keys that need quotes, or that YAML would read as something else
    st.sampled_from(["a b", "a: b", "#x", "x #y", "yes", "on", "1", "1.5", "null", "~", "-x", "?x", "x:", "é",
                     "'q'", '"d"', "[x]", "{y}", "*a", "&b", "!c", "%d", "@e", "`f", " lead", "trail ", ""]),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3),
                   st.dictionaries(KEYS, st.one_of(SCALARS, st.lists(SCALARS, max_size=2)), max_size=3))


def entry_lines(document: YamlDocument, path: tuple[str | int, ...]) -> set[int]:
    """Lines of the entry at ``path`` (key through the value's end): what a delete may take away."""
    position = document.positions.get(path)
    if position is None:  # reached through an alias: nothing of its own to lose
        return set()
    first = (position.key_span or position.value_span).line
    return set(range(first, position.value_span.end_line + 1))


# ---------------------------------------------------------------------------
# random edits


@settings(max_examples=int(os.environ.get("KUBELINT_FIX_EXAMPLES", "400")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_edits_change_only_what_they_say(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(CORPUS), label="file")
    text = TEXTS[path]
    stream = load_yaml(text, path.name)
    documents = [d for d in stream.documents if isinstance(d.data, dict) and d.data and not d.problems]
    document = data.draw(st.sampled_from(documents), label="document")
    before = unshared_copy(document.data)
    paths = list(key_paths(before))
    mappings = [p for p in [(), *paths] if isinstance(get(before, p), dict)]
    op = data.draw(st.sampled_from(["set-existing", "set-new", "rename", "delete"]), label="op")
    expected = unshared_copy(before)
    allowed_lines: set[int] = set()
    if op == "set-existing":
        target = data.draw(st.sampled_from(paths), label="path")
        value = data.draw(VALUES, label="value")
        edit = YamlEdit(path.name, document.index, target, "set", value)
        parent = get(expected, target[:-1])
        parent[target[-1]] = value
        allowed_lines = entry_lines(document, target)
    elif op == "set-new":
        parent_path = data.draw(st.sampled_from(mappings), label="parent")
        key = data.draw(KEYS.filter(lambda k: k not in get(before, parent_path)), label="key")
        value = data.draw(VALUES, label="value")
        edit = YamlEdit(path.name, document.index, (*parent_path, key), "set", value)
        get(expected, parent_path)[key] = value
    elif op == "rename":
        keyed = [p for p in paths if isinstance(p[-1], str)]
        target = data.draw(st.sampled_from(keyed), label="path")
        siblings = get(before, target[:-1])
        new_key = data.draw(KEYS.filter(lambda k: k not in siblings), label="new key")
        edit = YamlEdit(path.name, document.index, target, "rename", new_key=new_key)
        parent = get(expected, target[:-1])
        items = [(new_key if k == target[-1] else k, v) for k, v in parent.items()]
        parent.clear()
        parent.update(items)
    else:
        target = data.draw(st.sampled_from(paths), label="path")
        edit = YamlEdit(path.name, document.index, target, "delete")
        del get(expected, target[:-1])[target[-1]]
        allowed_lines = entry_lines(document, target)
    note(f"edit: {edit}")
    try:
        result = apply_edits_to_text(text, [edit])
    except FixError as error:
        # refusing is always safe, but only anchors and merge keys (where an
        # edit in one place shows in another) should need it
        note(f"refused: {error}")
        event(f"refused {op}")
        assert "&" in text or "<<" in text, str(error)
        return
    note(f"result:\n{result}")
    event(f"applied {op}")
    after = load_yaml(result, path.name)
    assert not after.problems
    new_documents = {d.index: d for d in after.documents}
    assert new_documents.keys() == {d.index: d for d in stream.documents}.keys()
    # the edited document holds exactly the expected data, key order included
    # (a key overriding a merge key's comes after the merged ones: order is moot there)
    ordered = "<<" not in text
    assert strict_equal(unshared_copy(new_documents[document.index].data), expected, ordered=ordered)
    # other documents keep their text byte for byte
    old_bounds, new_bounds = document_bounds(text), document_bounds(result)
    position = [d.index for d in stream.documents].index(document.index)
    assert result[: new_bounds[position][0]] == text[: old_bounds[position][0]]
    assert result[new_bounds[position][1]:] == text[old_bounds[position][1]:]
    # every comment outside the deleted or replaced entry is still there
    kept = Counter(comment for line, comment in comment_lines(text) if line not in allowed_lines)
    new_lines = [line.rstrip() for line in result.splitlines()]
    # a comment survives if as many lines still end with it (a new key may hold a '#' itself)
    assert all(sum(line.endswith(comment) for line in new_lines) >= count for comment, count in kept.items())


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(REPO)))
def test_setting_every_scalar_of_a_plain_file_is_never_refused(path: Path) -> None:
    """The splice path covers plain files completely: refusals there would be a bug."""
    text = TEXTS[path]
    if any(isinstance(token, yaml.AnchorToken | yaml.AliasToken) for token in yaml.scan(text, Loader=yaml.CSafeLoader)):
        pytest.skip("anchors and aliases may legitimately be refused")
    original_lines = set(text.splitlines())
    for document in load_yaml(text, path.name).documents:
        every = list(key_paths(document.data))
        # a stride keeps big files (the 110 kB SARIF schema) to a few dozen edits
        for key_path in every[:: max(1, len(every) // 30)]:
            value = get(document.data, key_path)
            span = document.value_span(key_path)
            if isinstance(value, dict | list) or span is None or span.line != span.end_line:
                continue  # collections and multi-line scalars change more than one line
            result = apply_edits_to_text(text, [YamlEdit(path.name, document.index, key_path, "set", "changed")])
            changed = [line for line in result.splitlines() if line not in original_lines]
            assert len(changed) == 1 and "changed" in changed[0]


# ---------------------------------------------------------------------------
# --fix twice == --fix once


@pytest.fixture
def copy_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(tmp_path)

    def copy(path: Path) -> Path:
        target = tmp_path / path.name
        shutil.copyfile(path, target)
        return target

    return copy


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(REPO)))
def test_fix_twice_equals_fix_once(path: Path, copy_of: Any) -> None:
    target = copy_of(path)
    runner = CliRunner()
    runner.invoke(main, ["check", "--fix", "--unsafe-fixes", "-q", target.name])
    once = target.read_bytes()
    second = runner.invoke(main, ["check", "--fix", "--unsafe-fixes", target.name])
    assert target.read_bytes() == once
    assert "Fixed 0 problems" in second.stdout
    assert not load_yaml(once.decode(), target.name).problems


def typo(key: str, flip: int) -> str:
    """A near miss of a known key: one letter's case flipped."""
    index = flip % len(key)
    return key[:index] + key[index].swapcase() + key[index + 1:]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fix_is_idempotent_on_configs_with_typos(data: st.DataObject, tmp_path: Path) -> None:
    kubelet = [p for p in CORPUS if "KubeletConfiguration" in TEXTS[p] and p.suffix == ".yaml"]
    source = data.draw(st.sampled_from(kubelet), label="file")
    text = TEXTS[source]
    keys = sorted(set(re.findall(r"^([a-z][A-Za-z]+):", text, re.MULTILINE)) - {"apiVersion", "kind"})
    chosen = data.draw(st.lists(st.sampled_from(keys), unique=True, max_size=4), label="keys")
    for key in chosen:
        text = re.sub(rf"^{key}:", typo(key, data.draw(st.integers(0, 40))) + ":", text, count=1, flags=re.MULTILINE)
    target = tmp_path / f"case-{data.draw(st.integers(0, 10**9))}.yaml"
    target.write_text(text, encoding="utf-8")
    options = Options(version=knowledge.default_target_version(), selection=Selection())
    rules = [rule for rule in all_rules() if options.selection.enabled(rule)]
    relint = per_file_relint(options, rules)
    report = lint_paths([target], options)
    first = fix_report(report, unsafe=True, relint=relint)
    fixed = first.texts.get(str(target), text)
    note(fixed)
    assert not lost_comments(text, fixed)
    target.write_text(fixed, encoding="utf-8")
    second = fix_report(lint_paths([target], options), unsafe=True, relint=relint)
    assert second.changed == []


# ---------------------------------------------------------------------------
# killed mid-write

KILLER = textwrap.dedent("""
    import os, sys, time
    import kubelint.fix as fix

    where, signal_file = sys.argv[2], sys.argv[3]

    def announce():
        with open(signal_file, "w") as handle:
            handle.write("now")
        time.sleep(60)

    if where == "write":
        def slow_write(handle, data):
            handle.write(data[: len(data) // 2])
            handle.flush()
            os.fsync(handle.fileno())
            announce()
            handle.write(data[len(data) // 2:])
        fix._write_all = slow_write
    else:
        def slow_sync(directory):
            announce()
        fix._fsync_directory = slow_sync

    from kubelint.cli import main
    main(["check", "--fix", "--select", "KL011", sys.argv[1]])
""")
BROKEN = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n" + "".join(
    f"# padding comment {n} to make the file long enough to be written in pieces\n" for n in range(200)
) + "maxPod: 250\n"


@pytest.mark.parametrize("where", ["write", "replace"])
def test_a_fixer_killed_mid_write_leaves_the_old_or_the_new_file_whole(where: str, tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(BROKEN, encoding="utf-8")
    fixed = BROKEN.replace("maxPod: 250", "maxPods: 250")
    signal_file = tmp_path / "signal"
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-c", KILLER, str(config), where, str(signal_file)],
                               cwd=tmp_path, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not signal_file.exists():
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.monotonic() < deadline, "the fixer never reached the write"
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
        if process.stderr:
            process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    content = config.read_text(encoding="utf-8")
    # killed while writing the temporary file: the original is untouched;
    # killed after the rename: the new file is complete
    assert content == (BROKEN if where == "write" else fixed)
