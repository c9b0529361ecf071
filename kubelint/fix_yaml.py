"""Structural edits of YAML and JSON documents that keep everything else byte-for-byte.

A ``YamlEdit`` names a node by key path; this module turns it into the
smallest textual change that does the job:

* set of an existing scalar replaces only the scalar's text, in its quoting
  style; rename replaces only the key's text; delete removes the entry's
  lines (or, in flow style and JSON, the member and one comma);
* a new key is inserted as new lines after the last entry of its mapping,
  with the indentation the file already uses (and JSON separators in JSON);
* anything more tangled (anchors, merge keys, the last key of a mapping,
  an entry sharing its line with a ``- ``) falls back to a ruamel.yaml
  round trip of the one document concerned; every other document of the
  stream, its markers and directives are kept as they are.

Every result is checked before it is returned: the stream is parsed again
with the linter's own loader and must hold exactly the data the edit
promises (every other document and key unchanged, types included), and no
comment outside the edited node may be missing. An edit that fails the
check raises ``FixError``; the file is never changed by a guess.
"""

from __future__ import annotations

import copy
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from kubelint.diagnostics import YamlEdit
from kubelint.fix_text import FixError, LineIndex
from kubelint.loaders.yaml import YamlStream, load_yaml

# the loader's own key conversion, so that a key path means what the rules meant
from kubelint.loaders.yaml import _Builder as _LoaderBuilder  # isort: skip
from kubelint.loaders.yaml import _json_key  # isort: skip

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NULL_TAG = "tag:yaml.org,2002:null"
_BLOCK_STYLES = ("|", ">")
_WIDE = 1 << 30

# Plain scalars that PyYAML (YAML 1.1) reads as strings but the kubelet's
# go-yaml v2 resolves to numbers or booleans: always quote them.
_GO_YAML_NON_STRING = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[yYnN]|[-+]?0[xXoObB][0-9a-fA-F_]+"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)
_SIMPLE_FLOW_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*")


class _Unsupported(Exception):
    """The splice cannot express this edit; the ruamel path may."""


# ---------------------------------------------------------------------------
# public entry point


def apply_yaml_edit(text: str, edit: YamlEdit) -> str:
    """``text`` with one structural edit applied, or FixError if that is not safe."""
    if edit.op not in ("set", "rename", "delete"):
        raise FixError(f"unknown edit operation {edit.op!r}")
    if not edit.key_path:
        raise FixError("an edit needs a key path below the document root")
    if edit.op == "rename" and not isinstance(edit.new_key, str):
        raise FixError("a rename needs a new key")
    before = load_yaml(text, "")
    current = _document_data(before, edit.document)
    value = _plain_value(edit.value) if edit.op == "set" else None
    expected = _expected(current, edit, value)
    if edit.op == "rename" and edit.new_key == edit.key_path[-1]:
        return text
    target = _Target.parse(text, edit.document)
    failures: list[str] = []
    for attempt in (_splice, _ruamel):
        try:
            candidate, allowed = attempt(target, edit, value)
        except (_Unsupported, FixError) as reason:
            failures.append(str(reason))
            if isinstance(reason, FixError):
                break
            continue
        except Exception as error:  # a fixer bug must cost one fix, never a crash or an unchecked write
            failures.append(f"internal error in the fixer ({type(error).__name__}: {error})")
            continue
        problem = _verify(text, candidate, before, edit.document, expected, allowed)
        if problem is None:
            return candidate
        failures.append(problem)
    raise FixError(f"cannot apply '{edit.op}' at {_dotted(edit.key_path)} safely: {'; '.join(failures)}")


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(f"[{part}]" if isinstance(part, int) else part for part in path) or "<root>"


# ---------------------------------------------------------------------------
# what the edit means on plain data


def _document_data(stream: YamlStream, index: int) -> Any:
    for document in stream.documents:
        if document.index == index:
            if document.problems:
                raise FixError(f"document {index} could not be read completely")
            return document.data
    raise FixError(f"the file has no YAML document {index}")


def _plain_value(value: Any) -> Any:
    """The edit's value as JSON-like data (str subclasses and tuples normalised)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _plain_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_value(item) for item in value]
    raise FixError(f"cannot write a value of type {type(value).__name__}")


def _expected(data: Any, edit: YamlEdit, value: Any) -> Any:
    # an unshared copy: an edit at one alias of a YAML anchor must not count
    # as meant for every other alias of it
    root = _unshared(data)
    path = edit.key_path
    if edit.op == "set":
        if root is None:
            root = {}
        node = root
        for part in path[:-1]:
            node = _step_creating(node, part)
        last = path[-1]
        if isinstance(node, dict) and isinstance(last, str):
            node[last] = copy.deepcopy(value)
        elif isinstance(node, list) and _is_index(last) and 0 <= int(last) < len(node):
            node[int(last)] = copy.deepcopy(value)
        else:
            raise FixError(f"cannot set {_dotted(path)}: its parent is not a mapping")
        return root
    parent = root
    for part in path[:-1]:
        parent = _step(parent, part, path)
    last = path[-1]
    if edit.op == "rename":
        if not isinstance(parent, dict) or last not in parent:
            raise FixError(f"cannot rename {_dotted(path)}: no such key")
        new_key = str(edit.new_key)
        if new_key != last and new_key in parent:
            raise FixError(f"cannot rename {_dotted(path)}: {new_key!r} is already set")
        items = [(new_key if key == last else key, item) for key, item in parent.items()]
        parent.clear()
        parent.update(items)
        return root
    if isinstance(parent, dict) and last in parent:
        del parent[last]
    elif isinstance(parent, list) and _is_index(last) and 0 <= int(last) < len(parent):
        del parent[int(last)]
    else:
        raise FixError(f"cannot delete {_dotted(path)}: no such key")
    return root


def _unshared(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _unshared(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_unshared(value) for value in data]
    return data


def _is_index(part: object) -> bool:
    return isinstance(part, int) and not isinstance(part, bool)


def _step(node: Any, part: str | int, path: tuple[str | int, ...]) -> Any:
    if isinstance(node, dict) and isinstance(part, str) and part in node:
        return node[part]
    if isinstance(node, list) and _is_index(part) and 0 <= int(part) < len(node):
        return node[int(part)]
    raise FixError(f"{_dotted(path)} does not exist")


def _step_creating(node: Any, part: str | int) -> Any:
    if isinstance(node, dict) and isinstance(part, str):
        if node.get(part) is None:
            node[part] = {}
        return node[part]
    if isinstance(node, list) and _is_index(part) and 0 <= int(part) < len(node):
        if node[int(part)] is None:
            node[int(part)] = {}
        return node[int(part)]
    raise FixError(f"cannot create {part!r} under a {type(node).__name__}")


# ---------------------------------------------------------------------------
# the target document, with node positions


@dataclass(frozen=True)
class _Style:
    """Indentation as the document already writes it."""

    mapping: int = 2  # a nested mapping's keys, relative to its parent key
    offset: int = 0  # a sequence's dash, relative to its parent key (0: kubeadm's indentless style)
    dash: int = 2  # an item's content, relative to its dash


@dataclass
class _Target:
    text: str
    lines: LineIndex
    index: int
    root: yaml.Node
    refs: Counter[int]
    json_mode: bool
    _style: _Style | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, text: str, index: int) -> _Target:
        root = _compose(text, index)
        refs: Counter[int] = Counter({id(root): 1})
        seen: set[int] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            for child in _children(node):
                refs[id(child)] += 1
                stack.append(child)
        json_mode = isinstance(root, yaml.CollectionNode) and bool(root.flow_style)
        return cls(text, LineIndex(text), index, root, refs, json_mode)

    @property
    def style(self) -> _Style:
        if self._style is None:
            self._style = _detect_style(self.root)
        return self._style

    # -- offsets ----------------------------------------------------------

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def line_end(self, offset: int) -> int:
        """Offset of the newline ending ``offset``'s line (or the text's end)."""
        end = self.text.find("\n", offset)
        return len(self.text) if end == -1 else end

    def next_line(self, offset: int) -> int:
        end = self.line_end(offset)
        return end + 1 if end < len(self.text) else end

    def starts_line(self, offset: int) -> bool:
        return self.text[self.line_start(offset):offset].strip(" \t") == ""

    def rest_is_trivia(self, offset: int) -> bool:
        rest = self.text[offset:self.line_end(offset)].strip(" \t\r")
        return rest == "" or rest.startswith("#")

    def newline(self) -> str:
        return "\r\n" if "\r\n" in self.text else "\n"

    # -- nodes ------------------------------------------------------------

    def shared(self, node: yaml.Node) -> bool:
        return self.refs[id(node)] > 1

    def has_properties(self, node: yaml.Node) -> bool:
        """An anchor, a tag or an alias at the node's start: a splice would drop it."""
        start = node.start_mark.index
        return start < len(self.text) and self.text[start] in "&!*"

    def content_end(self, node: yaml.Node) -> int:
        """Where the node's own text ends (a block collection ends with its last child)."""
        if self.shared(node):
            raise _Unsupported("the value is shared through a YAML anchor")
        if isinstance(node, yaml.ScalarNode):
            end = int(node.end_mark.index)
            if node.style in _BLOCK_STYLES:
                while end > node.start_mark.index and self.text[end - 1] in " \t\r\n":
                    end -= 1
            return end
        if isinstance(node, yaml.CollectionNode) and (node.flow_style or not node.value):
            return int(node.end_mark.index)
        if isinstance(node, yaml.MappingNode):
            key, value = node.value[-1]
            return max(self.content_end(key), self.content_end(value))
        assert isinstance(node, yaml.SequenceNode)
        return self.content_end(node.value[-1])

    def colon_end(self, key: yaml.Node) -> int:
        """Offset just after the ``:`` that follows a key."""
        position = key.end_mark.index
        while position < len(self.text) and self.text[position] in " \t":
            position += 1
        if position >= len(self.text) or self.text[position] != ":":
            raise _Unsupported("unusual key syntax")
        return int(position) + 1


def _compose(text: str, index: int) -> yaml.Node:
    try:
        for position, root in enumerate(yaml.compose_all(text, Loader=_Loader)):
            if position == index:
                if root is None:
                    break
                return root
    except yaml.YAMLError as error:
        raise FixError(f"the file does not parse as YAML: {str(error).splitlines()[0]}") from None
    raise FixError(f"the file has no YAML document {index}")


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


def _key_text(node: yaml.Node) -> str | None:
    if not isinstance(node, yaml.ScalarNode):
        return None
    return _json_key(_LoaderBuilder._scalar(node))


def _detect_style(root: yaml.Node) -> _Style:
    mapping: Counter[int] = Counter()
    offset: Counter[int] = Counter()
    dash: Counter[int] = Counter()
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.extend(_children(node))
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            continue
        for key, value in node.value:
            if not isinstance(value, yaml.CollectionNode) or value.flow_style or not value.value:
                continue
            if isinstance(value, yaml.MappingNode):
                difference = value.value[0][0].start_mark.column - key.start_mark.column
                if difference > 0:
                    mapping[difference] += 1
            else:
                difference = value.start_mark.column - key.start_mark.column
                if difference >= 0:
                    offset[difference] += 1
                item = value.value[0]
                if item.start_mark.line == value.start_mark.line:
                    width = item.start_mark.column - value.start_mark.column
                    if width >= 2:
                        dash[width] += 1
    return _Style(
        mapping=mapping.most_common(1)[0][0] if mapping else 2,
        offset=offset.most_common(1)[0][0] if offset else 0,
        dash=dash.most_common(1)[0][0] if dash else 2,
    )


@dataclass(frozen=True)
class _Step:
    parent: yaml.Node
    key: yaml.Node | None  # None for a sequence item
    node: yaml.Node


def _navigate(target: _Target, path: tuple[str | int, ...]) -> list[_Step]:
    """The existing prefix of ``path``, one step per part."""
    steps: list[_Step] = []
    node = target.root
    for part in path:
        if _is_index(part):
            if isinstance(node, yaml.SequenceNode) and 0 <= int(part) < len(node.value):
                child = node.value[int(part)]
                steps.append(_Step(node, None, child))
                node = child
                continue
            return steps
        if not isinstance(node, yaml.MappingNode):
            return steps
        matches = [(key, value) for key, value in node.value
                   if key.tag != _MERGE_TAG and _key_text(key) == part]
        if len(matches) > 1:
            raise FixError(f"key {part!r} appears more than once; fix the duplicate first")
        if not matches:
            return steps
        key, value = matches[0]
        steps.append(_Step(node, key, value))
        node = value
    return steps


def _in_flow(steps: list[_Step], target: _Target) -> bool:
    parents = [step.parent for step in steps] or [target.root]
    return any(isinstance(node, yaml.CollectionNode) and node.flow_style for node in parents)


def _require_unshared(target: _Target, steps: list[_Step]) -> None:
    for step in steps:
        if target.shared(step.node) or target.shared(step.parent):
            raise _Unsupported("the path goes through a YAML anchor or alias")


# ---------------------------------------------------------------------------
# rendering


# Characters JSON leaves raw but YAML must not see raw: C1 controls and DEL
# (PyYAML refuses them), the YAML 1.1 line breaks, byte order marks, surrogates.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _json(value: Any, **options: Any) -> str:
    """JSON text that YAML reads back the same: raw where it can be (astral
    characters too: a surrogate pair escape would read back as two halves),
    escaped where YAML would see a line break or refuse the character."""
    text = json.dumps(value, ensure_ascii=False, **options)
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _scalar(value: Any, *, like: str | None = None, flow: bool = False, json_mode: bool = False) -> str:
    """A scalar as YAML text, in the quoting style ``like`` when it allows."""
    if json_mode or (isinstance(value, str) and ("\n" in value or not value.isprintable())):
        return _json(value)
    if not isinstance(value, str):
        if isinstance(value, float) and value != value:
            return ".nan"
        dumped: str = yaml.dump({"k": value}, Dumper=_Dumper, width=_WIDE)
        return dumped[3:].rstrip("\n")
    if like == '"':
        return _json(value)
    if like == "'":
        return "'" + value.replace("'", "''") + "'"
    if _GO_YAML_NON_STRING.fullmatch(value):
        return "'" + value + "'"
    if flow and not _SIMPLE_FLOW_PLAIN.fullmatch(value):
        return _json(value)
    dumped = yaml.dump({"k": value}, Dumper=_Dumper, allow_unicode=True, width=_WIDE)
    rendered = dumped[3:].rstrip("\n")
    # PyYAML double-quotes with \U escapes for astral characters; JSON's quoting keeps them raw
    return rendered if "\n" not in rendered and not rendered.startswith('"') else _json(value)


def _key(key: str, *, like: str | None = None, flow: bool = False, json_mode: bool = False) -> str:
    if json_mode or like == '"' or "\n" in key or not key.isprintable():
        return _json(key)
    if like == "'":
        return "'" + key.replace("'", "''") + "'"
    if flow and not _SIMPLE_FLOW_PLAIN.fullmatch(key):
        return _json(key)
    dumped: str = yaml.dump({key: None}, Dumper=_Dumper, allow_unicode=True, width=_WIDE)
    if dumped.startswith("? ") or not dumped.endswith(": null\n"):
        return _json(key)
    return dumped[: -len(": null\n")]


def _inline(value: Any, *, like: str | None = None, flow: bool = False, json_mode: bool = False) -> str:
    """A value on one line: scalars, empty collections, or flow collections."""
    if isinstance(value, dict):
        if json_mode:
            return _json(value)
        members = ", ".join(f"{_key(k, flow=True)}: {_inline(v, flow=True)}" for k, v in value.items())
        return "{" + members + "}"
    if isinstance(value, list):
        if json_mode:
            return _json(value)
        return "[" + ", ".join(_inline(item, flow=True) for item in value) + "]"
    return _scalar(value, like=like, flow=flow, json_mode=json_mode)


def _needs_block(value: Any) -> bool:
    return isinstance(value, dict | list) and bool(value)


def _entry_lines(key: str, value: Any, column: int, style: _Style) -> list[str]:
    head = " " * column + _key(key) + ":"
    if isinstance(value, dict) and value:
        lines = [head]
        for child_key, child in value.items():
            lines.extend(_entry_lines(child_key, child, column + style.mapping, style))
        return lines
    if isinstance(value, list) and value:
        return [head, *_item_lines(value, column + style.offset, style)]
    return [head + " " + _inline(value)]


def _item_lines(items: list[Any], dash_column: int, style: _Style) -> list[str]:
    lines: list[str] = []
    prefix = " " * dash_column + "-" + " " * (style.dash - 1)
    content = dash_column + style.dash
    for item in items:
        if isinstance(item, dict) and item:
            inner: list[str] = []
            for key, value in item.items():
                inner.extend(_entry_lines(key, value, content, style))
            inner[0] = prefix + inner[0][content:]
            lines.extend(inner)
        else:
            lines.append(prefix + _inline(item))
    return lines


def _value_lines(value: Any, key_column: int, style: _Style, *, column: int | None = None) -> list[str]:
    """A non-empty collection as block lines for the value of a key at ``key_column``."""
    if isinstance(value, dict):
        inner = key_column + style.mapping if column is None else column
        lines: list[str] = []
        for key, item in value.items():
            lines.extend(_entry_lines(key, item, inner, style))
        return lines
    dash = key_column + style.offset if column is None else column
    return _item_lines(value, dash, style)


# ---------------------------------------------------------------------------
# splices


Splice = tuple[int, int, str]


def _splice(target: _Target, edit: YamlEdit, value: Any) -> tuple[str, list[tuple[int, int]]]:
    steps = _navigate(target, edit.key_path)
    found = len(steps) == len(edit.key_path)
    if edit.op == "set":
        splices = _set_existing(target, steps, value) if found else _insert(target, steps, edit.key_path, value)
    elif not found:
        raise FixError(f"{_dotted(edit.key_path)} does not exist or comes from a YAML merge key")
    elif edit.op == "rename":
        splices = _rename(target, steps, str(edit.new_key))
    else:
        splices = _delete(target, steps)
    text = target.text
    allowed: list[tuple[int, int]] = []
    for start, end, new in sorted(splices, reverse=True):
        text = text[:start] + new + text[end:]
        allowed.append((start, end))
    return text, allowed


def _set_existing(target: _Target, steps: list[_Step], value: Any) -> list[Splice]:
    _require_unshared(target, steps)
    step = steps[-1]
    node = step.node
    if target.has_properties(node):
        raise _Unsupported("the value carries an anchor or a tag")
    if _in_flow(steps, target):
        if isinstance(node, yaml.ScalarNode) and node.style in _BLOCK_STYLES:
            raise _Unsupported("block scalar inside a flow collection")
        like = node.style if isinstance(node, yaml.ScalarNode) else None
        rendered = _inline(value, like=like, flow=True, json_mode=target.json_mode)
        return [(node.start_mark.index, node.end_mark.index, rendered)]
    if isinstance(step.parent, yaml.SequenceNode) or step.key is None:
        return _replace_item(target, node, value)
    return _replace_block_value(target, step.key, node, value)


def _replace_item(target: _Target, node: yaml.Node, value: Any) -> list[Splice]:
    """Replace a block sequence item, which starts on its dash's line."""
    start = int(node.start_mark.index)
    if isinstance(node, yaml.ScalarNode) and node.style in _BLOCK_STYLES:
        raise _Unsupported("replacing a block scalar")
    if start == node.end_mark.index:
        raise _Unsupported("an empty sequence item")
    flow = isinstance(node, yaml.CollectionNode) and bool(node.flow_style)
    if flow or (isinstance(node, yaml.ScalarNode) and not _needs_block(value)):
        like = node.style if isinstance(node, yaml.ScalarNode) else None
        return [(start, int(node.end_mark.index), _inline(value, like=like, flow=flow))]
    _dash(target, node)  # the item must sit right after its dash
    end = target.content_end(node)
    if not target.rest_is_trivia(end):
        raise _Unsupported("more content after the item on its line")
    column = int(node.start_mark.column)
    if isinstance(value, dict) and value:
        lines = _value_lines(value, column, target.style, column=column)
        return [(start, end, target.newline().join(lines)[column:])]
    return [(start, end, _inline(value))]


def _replace_block_value(target: _Target, key: yaml.Node, node: yaml.Node, value: Any) -> list[Splice]:
    """Replace the value of ``key`` in a block mapping."""
    key_column = int(key.start_mark.column)
    style = target.style
    on_key_line = node.start_mark.line == key.start_mark.line or node.start_mark.index == node.end_mark.index
    if on_key_line:
        start, end = int(node.start_mark.index), int(node.end_mark.index)
        if isinstance(node, yaml.ScalarNode) and node.style in _BLOCK_STYLES:
            raise _Unsupported("replacing a block scalar")
        if not _needs_block(value) or (isinstance(node, yaml.CollectionNode) and node.flow_style):
            like = node.style if isinstance(node, yaml.ScalarNode) else None
            rendered = _inline(value, like=like, flow=isinstance(node, yaml.CollectionNode))
            if start == end and not target.text[start - 1:start].isspace():
                rendered = " " + rendered
            return [(start, end, rendered)]
        if not target.rest_is_trivia(end):
            raise _Unsupported("more content after the value on its line")
        colon = target.colon_end(key)
        newline = target.newline()
        line_end = target.line_end(end)
        if target.text[line_end - 1:line_end] == "\r":
            line_end -= 1
        block = newline + newline.join(_value_lines(value, key_column, style))
        return [(colon, end, ""), (line_end, line_end, block)]
    # a block collection below the key
    if not target.starts_line(node.start_mark.index):
        raise _Unsupported("the value shares its first line")
    end = target.content_end(node)
    if not target.rest_is_trivia(end):
        raise _Unsupported("more content after the value on its line")
    first = target.line_start(node.start_mark.index)
    last = target.next_line(end)
    if not _needs_block(value):
        # the value moves up to the key's line; the key line's comment stays
        colon = target.colon_end(key)
        return [(colon, colon, " " + _inline(value)), (first, last, "")]
    same_kind = isinstance(value, dict) == isinstance(node, yaml.MappingNode)
    column = int(node.start_mark.column) if same_kind else None
    newline = target.newline()
    lines = _value_lines(value, key_column, style, column=column)
    ends_with_newline = last > end and target.text[last - 1:last] == "\n"
    block = newline.join(lines) + (newline if ends_with_newline else "")
    return [(first, last, block)]


def _insert(target: _Target, steps: list[_Step], path: tuple[str | int, ...], value: Any) -> list[Splice]:
    _require_unshared(target, steps)
    missing = path[len(steps):]
    if not all(isinstance(part, str) for part in missing):
        raise FixError(f"cannot create sequence items ({_dotted(path)})")
    nested: Any = value
    for part in reversed(missing[1:]):
        nested = {part: nested}
    first = str(missing[0])
    node = steps[-1].node if steps else target.root
    if isinstance(node, yaml.MappingNode):
        if node.flow_style:
            return _flow_insert(target, node, first, nested)
        if not node.value:
            raise _Unsupported("an empty block mapping")
        return _block_insert(target, node, first, nested)
    is_null = isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG
    if is_null and steps and steps[-1].key is not None and isinstance(steps[-1].parent, yaml.MappingNode) \
            and not steps[-1].parent.flow_style:
        return _replace_block_value(target, steps[-1].key, node, {first: nested})
    raise _Unsupported("the parent is not a mapping with entries")


def _block_insert(target: _Target, mapping: yaml.MappingNode, key: str, value: Any) -> list[Splice]:
    column = int(mapping.value[0][0].start_mark.column)
    end = target.content_end(mapping)
    if not target.rest_is_trivia(end):
        raise _Unsupported("more content after the mapping's last value")
    newline = target.newline()
    lines = _entry_lines(key, value, column, target.style)
    line_end = target.line_end(end)
    if line_end == len(target.text):
        return [(line_end, line_end, newline + newline.join(lines))]
    return [(line_end + 1, line_end + 1, newline.join(lines) + newline)]


_COMMA_GAP = re.compile(r"\s*,\s*")
_COLON_GAP = re.compile(r"\s*:\s*")


def _flow_insert(target: _Target, mapping: yaml.MappingNode, key: str, value: Any) -> list[Splice]:
    text = target.text
    json_mode = target.json_mode
    if not mapping.value:
        inside = mapping.start_mark.index + 1
        if text[inside:mapping.end_mark.index - 1].strip():
            raise _Unsupported("unusual empty mapping")
        member = f"{_key(key, flow=True, json_mode=json_mode)}: {_inline(value, flow=True, json_mode=json_mode)}"
        return [(inside, inside, member)]
    last_key, last_value = mapping.value[-1]
    if target.has_properties(last_key) or target.shared(last_value):
        raise _Unsupported("anchors in a flow mapping")
    colon_gap = text[last_key.end_mark.index:last_value.start_mark.index]
    if not _COLON_GAP.fullmatch(colon_gap):
        raise _Unsupported("unusual flow mapping")
    if len(mapping.value) > 1:
        separator = text[mapping.value[-2][1].end_mark.index:last_key.start_mark.index]
        if not _COMMA_GAP.fullmatch(separator):
            raise _Unsupported("comments inside a flow mapping")
    elif last_key.start_mark.line != mapping.start_mark.line:
        separator = "," + target.newline() + text[target.line_start(last_key.start_mark.index):last_key.start_mark.index]
    else:
        separator = ", "
    like = last_key.style if isinstance(last_key, yaml.ScalarNode) else None
    rendered_key = _key(key, like=like or None, flow=True, json_mode=json_mode)
    multiline = "\n" in separator
    if multiline and _needs_block(value) and json_mode:
        indent = text[target.line_start(last_key.start_mark.index):last_key.start_mark.index]
        outer = _line_indent(text, target.line_start(mapping.start_mark.index))
        unit = indent[len(outer):] if indent.startswith(outer) and len(indent) > len(outer) else "  "
        rendered = _json(value, indent=unit).replace("\n", "\n" + indent)
    elif json_mode:
        compact = separator.strip(" \t\r\n") == "," and not separator.endswith(" ")
        rendered = _json(value, separators=(",", ":") if compact and ": " not in colon_gap else (", ", ": "))
    else:
        rendered = _inline(value, flow=True)
    end = int(last_value.end_mark.index)
    return [(end, end, separator + rendered_key + colon_gap + rendered)]


def _line_indent(text: str, line_start: int) -> str:
    line = text[line_start:text.find("\n", line_start) if "\n" in text[line_start:] else len(text)]
    return line[: len(line) - len(line.lstrip(" \t"))]


def _rename(target: _Target, steps: list[_Step], new_key: str) -> list[Splice]:
    step = steps[-1]
    key = step.key
    if key is None or not isinstance(step.parent, yaml.MappingNode):
        raise FixError("only mapping keys can be renamed")
    if not isinstance(key, yaml.ScalarNode) or key.style in _BLOCK_STYLES or target.has_properties(key):
        raise _Unsupported("a key with an anchor, a tag or a block style")
    _require_unshared(target, steps[:-1])
    if target.shared(step.parent):
        raise _Unsupported("the mapping is shared through a YAML anchor")
    rendered = _key(new_key, like=key.style or None, flow=_in_flow(steps, target), json_mode=target.json_mode)
    return [(key.start_mark.index, key.end_mark.index, rendered)]


def _delete(target: _Target, steps: list[_Step]) -> list[Splice]:
    step = steps[-1]
    _require_unshared(target, steps[:-1])
    parent = step.parent
    if target.shared(parent):
        raise _Unsupported("the collection is shared through a YAML anchor")
    assert isinstance(parent, yaml.CollectionNode)
    if isinstance(parent, yaml.MappingNode):
        assert step.key is not None
        keys = [key for key, _ in parent.value]
        position = next(i for i, key in enumerate(keys) if key is step.key)
        nodes = [value for _, value in parent.value]
    else:
        keys = list(parent.value)
        position = next(i for i, item in enumerate(parent.value) if item is step.node)
        nodes = keys

    def member(i: int) -> tuple[int, int]:
        if parent.flow_style:
            return int(keys[i].start_mark.index), int(nodes[i].end_mark.index)
        start = int(keys[i].start_mark.index) if isinstance(parent, yaml.MappingNode) else _dash(target, keys[i])
        end = target.content_end(nodes[i])
        if isinstance(parent, yaml.MappingNode):
            end = max(end, target.content_end(keys[i]))
        return start, end

    if parent.flow_style:
        return [_flow_remove(target, member, len(keys), position)]
    if len(keys) < 2:
        # the last entry goes: the collection stays, empty, on its key's line
        holder = steps[-2] if len(steps) > 1 else None
        if holder is None or holder.key is None or not isinstance(holder.parent, yaml.MappingNode) \
                or holder.parent.flow_style:
            raise _Unsupported("the collection would become empty")
        return _replace_block_value(target, holder.key, parent, {} if isinstance(parent, yaml.MappingNode) else [])
    start, end = member(position)
    if not target.starts_line(start):
        raise _Unsupported("the entry shares its line with a sequence dash")
    if not target.rest_is_trivia(end):
        raise _Unsupported("more content after the value on its line")
    first = target.line_start(start)
    last = target.next_line(end)
    if last == len(target.text) and not target.text.endswith("\n") and first > 0:
        first -= 1  # the last line goes, and so does the newline before it
    return [(first, last, "")]


def _dash(target: _Target, item: yaml.Node) -> int:
    position = int(item.start_mark.index) - 1
    while position >= 0 and target.text[position] in " \t":
        position -= 1
    if position < 0 or target.text[position] != "-":
        raise _Unsupported("sequence item without a dash before it")
    return position


def _flow_remove(target: _Target, member: Callable[[int], tuple[int, int]], count: int, position: int) -> Splice:
    start, end = member(position)
    if count == 1:
        return (start, end, "")
    if position < count - 1:
        following = member(position + 1)[0]
        if not _COMMA_GAP.fullmatch(target.text[end:following]):
            raise _Unsupported("comments inside a flow collection")
        return (start, following, "")
    preceding = member(position - 1)[1]
    if not _COMMA_GAP.fullmatch(target.text[preceding:start]):
        raise _Unsupported("comments inside a flow collection")
    return (preceding, end, "")


# ---------------------------------------------------------------------------
# the ruamel.yaml fallback: one document round-tripped, the rest untouched


def _document_region(text: str, index: int) -> tuple[int, int]:
    """Offsets of the document's content: after its ``---`` line, before ``...`` or the next ``---``."""
    count = -1
    start: int | None = None
    previous_end = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                count += 1
                if count != index:
                    continue
                if event.explicit:
                    after = _mark(event.end_mark)
                    line_end = text.find("\n", after)
                    line_end = len(text) if line_end == -1 else line_end
                    rest = text[after:line_end].strip(" \t\r")
                    if rest and not rest.startswith("#"):
                        raise _Unsupported("the document starts on its '---' line")
                    start = min(line_end + 1, len(text))
                else:
                    start = previous_end
            elif isinstance(event, yaml.DocumentEndEvent):
                if count == index and start is not None:
                    return start, _mark(event.start_mark)
                previous_end = _mark(event.end_mark)
                if event.explicit:
                    line_end = text.find("\n", previous_end)
                    previous_end = len(text) if line_end == -1 else line_end + 1
    except yaml.YAMLError:
        pass
    raise _Unsupported(f"cannot delimit document {index}")


def _mark(mark: Any) -> int:
    return int(mark.index)


def _ruamel(target: _Target, edit: YamlEdit, value: Any) -> tuple[str, list[tuple[int, int]]]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError as RuamelError

    start, end = _document_region(target.text, target.index)
    chunk = target.text[start:end]
    handler = YAML(typ="rt")
    handler.preserve_quotes = True
    handler.width = _WIDE
    handler.allow_unicode = True
    style = target.style
    handler.indent(mapping=style.mapping, sequence=style.offset + style.dash, offset=style.offset)
    try:
        data = handler.load(chunk)
        data = _ruamel_apply(data, edit, _ruamel_value(value))
        output = io.StringIO()
        handler.dump(data, output)
    except (RuamelError, KeyError, IndexError, TypeError, ValueError) as error:
        raise _Unsupported(f"ruamel.yaml could not apply it ({type(error).__name__})") from None
    body = output.getvalue().rstrip("\n")
    stripped = chunk.rstrip("\r\n")
    body += chunk[len(stripped):]
    if "\r\n" in chunk:
        body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return target.text[:start] + body + target.text[end:], _ruamel_allowed(target, edit, start, end)


def _ruamel_allowed(target: _Target, edit: YamlEdit, start: int, end: int) -> list[tuple[int, int]]:
    """Comments a ruamel edit may drop: those of the deleted or replaced node."""
    if edit.op == "rename":
        return []
    try:
        steps = _navigate(target, edit.key_path)
    except FixError:
        return []
    if len(steps) != len(edit.key_path):
        return []
    step = steps[-1]
    first = step.key if step.key is not None else step.node
    try:
        last = target.content_end(step.node)
    except _Unsupported:
        return []
    if edit.op == "delete":
        return [(target.line_start(first.start_mark.index), target.line_end(last))]
    return [(int(step.node.start_mark.index), last)]


def _ruamel_value(value: Any) -> Any:
    """Strings that YAML 1.1 or go-yaml would not read as strings get quotes."""
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    if isinstance(value, dict):
        return {key: _ruamel_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_ruamel_value(item) for item in value]
    if isinstance(value, str) and _scalar(value).startswith(("'", '"')):
        return SingleQuotedScalarString(value)
    return value


def _ruamel_apply(data: Any, edit: YamlEdit, value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap

    path = edit.key_path
    if edit.op == "set":
        if data is None:
            data = CommentedMap()
        node = data
        for part in path[:-1]:
            if isinstance(node, dict):
                if node.get(part) is None:
                    node[part] = CommentedMap()
                node = node[part]
            else:
                node = node[int(part)]
        if isinstance(node, dict):
            node[path[-1]] = value
        else:
            node[int(path[-1])] = value
        return data
    node = data
    for part in path[:-1]:
        node = node[part] if isinstance(node, dict) else node[int(part)]
    last = path[-1]
    if edit.op == "delete":
        del node[last if isinstance(node, dict) else int(last)]
        return data
    keys = list(node)
    position = keys.index(last)
    moved = node[last]
    comment = node.ca.items.pop(last, None) if hasattr(node, "ca") else None
    del node[last]
    node.insert(position, edit.new_key, moved)
    if comment is not None:
        node.ca.items[edit.new_key] = comment
    return data


# ---------------------------------------------------------------------------
# the check every result passes


def _canonical(data: Any) -> str:
    # json with sort_keys tells 1 from 1.0 from true, which == does not
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=repr)


def _verify(old_text: str, new_text: str, before: YamlStream, index: int, expected: Any,
            allowed: list[tuple[int, int]]) -> str | None:
    after = load_yaml(new_text, "")
    if len(after.problems) > len(before.problems):
        return "the result would not parse"
    old_documents = {document.index: document for document in before.documents}
    new_documents = {document.index: document for document in after.documents}
    if old_documents.keys() != new_documents.keys():
        return "the documents of the stream would change"
    for position, old in old_documents.items():
        new = new_documents[position]
        want = expected if position == index else old.data
        if _canonical(new.data) != _canonical(want):
            if position == index:
                return "the result would hold different data than the edit promises"
            return f"document {position} would change"
        if len(new.problems) > len(old.problems) or len(new.duplicates) > len(old.duplicates):
            return "the result would have new problems"
    kept = Counter(comment for offset, comment in _comments(old_text)
                   if not any(start <= offset < end for start, end in allowed))
    lost = kept - Counter(comment for _, comment in _comments(new_text))
    if lost:
        return f"the comment {next(iter(lost))!r} would be lost"
    return None


def comments(text: str) -> list[str]:
    """Every comment of a YAML stream, in order (for tests and checks)."""
    return [comment for _, comment in _comments(text)]


def _comments(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each comment: a ``#`` between tokens runs to the line's end."""
    found: list[tuple[int, str]] = []
    previous = 0
    try:
        for token in yaml.scan(text, Loader=_Loader):
            start = int(token.start_mark.index)
            if start > previous:
                found.extend(_gap_comments(text, previous, start))
            previous = max(previous, int(token.end_mark.index))
    except yaml.YAMLError:
        pass  # the part before a syntax error still counts
    return found


def _gap_comments(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    position = text.find("#", start, end)
    while position != -1:
        line_end = text.find("\n", position, end)
        stop = end if line_end == -1 else line_end
        yield position, text[position:stop].rstrip(" \t\r")
        position = text.find("#", stop, end)
