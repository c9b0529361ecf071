"""YAML (and JSON) → plain data plus the position of every key and value.

We build the data ourselves so that duplicate keys, alias bombs and absurd
nesting become problems instead of crashes. The values follow what the
kubelet sees after sigs.k8s.io/yaml turns YAML into JSON: mapping keys become
strings, timestamps stay strings.

Three paths produce the same result:

- the line path (``kubelint.loaders.yaml_lines``) reads plain block YAML,
  what nearly every node config is written in, line by line; it gives up on
  anything else;
- the fast path reads libyaml's event stream directly (no node graph, no
  PyYAML resolver run on every scalar) and keeps positions as libyaml's
  marks, turned into ``Span`` objects only when a caller asks for them;
- the composed path goes through ``yaml.compose_all`` and walks the node
  graph. It is the reference: whenever the fast path meets something it does
  not reproduce itself (a syntax error, merge keys, a key that is not a plain
  scalar, an alias used as a key, a document that is too large or too deep),
  it gives up and the composed path reads the whole text again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import Any, Final, NamedTuple

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from kubelint.diagnostics import Location, Span
from kubelint.records import MutableRecord, Record

KeyPath = tuple[str | int, ...]

# A document may not expand (through aliases) to more nodes than this, nor
# nest deeper: both bound time and memory on hostile input. Every node costs
# ~1 KB by the time rules see it (data, positions, the view's provenance), so
# 100,000 is ~100 MB; real files have a few hundred (a kubeconfig with 5,000
# users about 75,000).
MAX_EXPANDED_NODES = 100_000
MAX_DEPTH = 200
# Texts longer than this may hold more nodes than the limit ("[1,1,...]" is
# two characters a node): their nodes are counted on libyaml's event stream
# first, so that an oversized file is refused before it is composed in memory.
_PRECOUNT_CHARS = 2 * MAX_EXPANDED_NODES

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_CONSTRUCTED_TAGS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class NodePosition(NamedTuple):
    """Where a node's value is and, for a mapping's value, its key.

    A named tuple rather than a record: one is made for every node a view
    records, and a tuple is several times cheaper to make."""

    value_span: Span
    key_span: Span | None = None


class DuplicateKey(Record):
    __slots__ = ("first_span", "path", "span")
    path: Final[KeyPath]
    span: Final[Span]
    first_span: Final[Span]

    def __init__(self, path: KeyPath, span: Span, first_span: Span) -> None:
        self.path = path
        self.span = span
        self.first_span = first_span


class YamlProblem(Record):
    __slots__ = ("kind", "message", "span")
    kind: Final[str]  # rule name: yaml-syntax, yaml-too-complex
    span: Final[Span]
    message: Final[str]

    def __init__(self, kind: str, span: Span, message: str) -> None:
        self.kind = kind
        self.span = span
        self.message = message


class YamlDocument(MutableRecord):
    """One document of a YAML stream with a position for every node."""

    __slots__ = ("data", "duplicates", "index", "path", "positions", "problems", "span")
    path: str
    index: int
    data: Any
    span: Span
    positions: Mapping[KeyPath, NodePosition]
    duplicates: list[DuplicateKey]
    problems: list[YamlProblem]

    def __init__(self, path: str, index: int, data: Any, span: Span,
                 positions: Mapping[KeyPath, NodePosition] | None = None,
                 duplicates: list[DuplicateKey] | None = None, problems: list[YamlProblem] | None = None) -> None:
        self.path = path
        self.index = index
        self.data = data
        self.span = span
        self.positions = {} if positions is None else positions
        self.duplicates = [] if duplicates is None else duplicates
        self.problems = [] if problems is None else problems

    def value_span(self, path: KeyPath) -> Span | None:
        position = self.positions.get(path)
        return position.value_span if position else None

    def key_span(self, path: KeyPath) -> Span | None:
        position = self.positions.get(path)
        if position is None:
            return None
        return position.key_span or position.value_span

    def nearest_span(self, path: KeyPath, *, key: bool = False) -> Span:
        """The span of ``path``, or of its closest ancestor that exists."""
        for length in range(len(path), 0, -1):
            position = self.positions.get(path[:length])
            if position is not None:
                if key and length == len(path) and position.key_span is not None:
                    return position.key_span
                return position.key_span if length < len(path) and position.key_span else position.value_span
        return self.span

    def location(self, path: KeyPath, *, key: bool = False) -> Location:
        return Location(self.path, self.nearest_span(path, key=key))


class YamlStream(MutableRecord):
    __slots__ = ("documents", "problems")
    documents: list[YamlDocument]
    problems: list[YamlProblem]

    def __init__(self, documents: list[YamlDocument], problems: list[YamlProblem]) -> None:
        self.documents = documents
        self.problems = problems


def _span(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    end_line, end_column = end.line + 1, end.column + 1
    if (end_line, end_column) <= (start.line + 1, start.column + 1):
        end_column = start.column + 2
        end_line = start.line + 1
    return Span(start.line + 1, start.column + 1, end_line, end_column)


class _TooComplex(Exception):
    pass


class _Builder:
    """The composed path: builds data bottom-up from the node graph, sharing
    aliased nodes instead of expanding them.

    Each node's expanded size is memoised, so an alias bomb is detected by
    arithmetic on sizes, in time linear in the document's text.
    """

    def __init__(self, document: YamlDocument, positions: dict[KeyPath, NodePosition]) -> None:
        self.document = document
        self.positions = positions  # the document's, filled in here
        self.built: dict[int, tuple[Any, int, Span]] = {}

    def build(self, node: yaml.Node, path: KeyPath, depth: int) -> tuple[Any, int, Span]:
        """Return (value, expanded size, span) of ``node``."""
        memo = self.built.get(id(node))
        if memo is not None:
            return memo
        if depth > MAX_DEPTH:
            raise _TooComplex(f"document nests deeper than {MAX_DEPTH} levels")
        span = _span(node)
        if isinstance(node, yaml.SequenceNode):
            items = []
            size = 1
            positions = self.positions
            # a block collection ends where its last child ends (see _extend),
            # tracked as numbers: one Span per collection, not one per child
            end_line, end_column = span.line, span.column + 1
            for index, item in enumerate(node.value):
                item_path = (*path, index)
                value, item_size, item_span = self.build(item, item_path, depth + 1)
                if item_path not in positions:
                    positions[item_path] = NodePosition(item_span)
                items.append(value)
                size += item_size
                if (item_span.end_line, item_span.end_column) >= (span.line, span.column):
                    end_line, end_column = item_span.end_line, item_span.end_column
            result: tuple[Any, int, Span] = (
                items, self._checked(size),
                span if node.flow_style else Span(span.line, span.column, end_line, end_column),
            )
        elif isinstance(node, yaml.MappingNode):
            mapping, size, end = self._mapping(node, path, depth, span)
            result = (mapping, size, span if node.flow_style else end)
        else:
            result = (self._scalar(node), 1, span)
        self.built[id(node)] = result
        return result

    @staticmethod
    def _checked(size: int) -> int:
        if size > MAX_EXPANDED_NODES:
            raise _TooComplex(
                f"document expands to more than {MAX_EXPANDED_NODES:,} nodes "
                "(a YAML alias bomb?)"
            )
        return size

    def _mapping(
        self, node: yaml.MappingNode, path: KeyPath, depth: int, span: Span
    ) -> tuple[dict[str, Any], int, Span]:
        result: dict[str, Any] = {}
        size = 1
        first_key_spans: dict[str, Span] = {}
        positions = self.positions
        end_line, end_column = span.line, span.column + 1  # as in build(): the last child's end
        for key_node, value_node in _merged_pairs(node):
            key_span = _span(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.document.problems.append(
                    YamlProblem("yaml-syntax", key_span, "mapping keys must be plain scalars")
                )
                continue
            key = _json_key(self._scalar(key_node))
            child_path = path + (key,)  # noqa: RUF005 (faster than unpacking)
            if key in first_key_spans:
                self.document.duplicates.append(
                    DuplicateKey(child_path, key_span, first_key_spans[key])
                )
            else:
                first_key_spans[key] = key_span
            value, value_size, value_span = self.build(value_node, child_path, depth + 1)
            positions[child_path] = NodePosition(value_span, key_span)
            result[key] = value
            size += value_size + 1
            if (value_span.end_line, value_span.end_column) >= (span.line, span.column):
                end_line, end_column = value_span.end_line, value_span.end_column
        return result, self._checked(size), Span(span.line, span.column, end_line, end_column)

    @staticmethod
    def _scalar(node: yaml.Node) -> Any:
        if node.tag in _CONSTRUCTED_TAGS:
            return _construct_scalar(node.tag, node.value)
        return node.value


@lru_cache(maxsize=4096)
def _construct_scalar(tag: str, value: str) -> Any:
    """An int, float, bool or null scalar as PyYAML's SafeConstructor builds it.

    Called through the tag's constructor function, not ``construct_object``,
    which would keep every node it ever saw (and its marks) alive in the
    shared constructor; cached because "true", "0" and "10250" repeat."""
    try:
        return _SCALAR_CONSTRUCTOR.yaml_constructors[tag](_SCALAR_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    except (yaml.YAMLError, ValueError, OverflowError):
        return value


def _json_key(value: Any) -> str:
    # sigs.k8s.io/yaml turns every key into a JSON string
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _extend(span: Span, inner: Span) -> Span:
    """A block collection ends where its last child ends (libyaml ends it at
    the start of the next line)."""
    if (inner.end_line, inner.end_column) >= (span.line, span.column):
        return Span(span.line, span.column, inner.end_line, inner.end_column)
    return span


def _merged_pairs(node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    """Mapping pairs with ``<<`` merge keys expanded (explicit keys win)."""
    merged: list[tuple[yaml.Node, yaml.Node]] = []
    own: list[tuple[yaml.Node, yaml.Node]] = []
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in sources:
                if isinstance(source, yaml.MappingNode):
                    merged.extend(source.value)
        else:
            own.append((key_node, value_node))
    if merged:
        own_keys = {k.value for k, _ in own if isinstance(k, yaml.ScalarNode)}
        # a merged key that is not a scalar (``? {a: 1}``) is never an explicit key;
        # the mapping reports it as not a plain scalar
        yield from ((k, v) for k, v in merged if not isinstance(k, yaml.ScalarNode) or k.value not in own_keys)
    yield from own


def _error_span(error: yaml.YAMLError, text: str) -> Span:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is None:
        return Span(1, 1, 1, 2)
    line = mark.line + 1
    lines = text.splitlines()
    length = len(lines[line - 1]) if 0 < line <= len(lines) else 0
    column = mark.column + 1
    return Span(line, column, line, max(column + 1, min(length + 1, column + 1)))


def _error_message(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None)
    context = getattr(error, "context", None)
    if problem:
        message = str(problem)
        if context:
            message = f"{message} ({context})"
        return message
    return str(error).splitlines()[0] if str(error) else "invalid YAML"


def _char_at(text: str, span: Span) -> str:
    lines = text.splitlines()
    if 0 < span.line <= len(lines) and 0 < span.column <= len(lines[span.line - 1]):
        return lines[span.line - 1][span.column - 1]
    return ""


def _too_many_nodes(text: str) -> YamlProblem | None:
    """A problem when one document of ``text`` has more than MAX_EXPANDED_NODES
    nodes, found without building any; None otherwise (syntax errors included:
    composing reports them)."""
    count = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                count = 0
            elif isinstance(event, yaml.NodeEvent):  # scalars, aliases, collection starts
                count += 1
                if count > MAX_EXPANDED_NODES:
                    mark = event.start_mark
                    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
                    return YamlProblem(
                        "yaml-too-complex", Span(line, column, line, column + 1),
                        f"document has more than {MAX_EXPANDED_NODES:,} nodes; node configuration files have "
                        "a few hundred, and kubelint does not read YAML this large")
    except (yaml.YAMLError, UnicodeEncodeError, RecursionError):
        return None
    return None


# ---------------------------------------------------------------------------
# the fast path: data and positions straight from libyaml's event stream

# Positions are kept as libyaml's marks and turned into numbers (and Spans)
# only when asked for: reading a mark's line and column costs more than the
# rest of building a node. A node's span is a tuple whose first two items are
#   (start mark, end mark)        a scalar or a flow collection (``_span``);
#   (start mark, child's span)    a block collection, which ends where its
#                                 last child ends (see ``_extend``);
#   (start mark, None)            a block collection no child extends.
# A mapping value's position is (*its span's first two items, key's start
# mark, key's end mark), itself usable as the value's span.
_LazySpan = tuple[Any, ...]
# what building a node gives: (value, expanded size, span)
_Built = tuple[Any, int, _LazySpan]

# PyYAML's implicit resolvers (the YAML 1.1 bool/int/float/null/timestamp
# regexes) by a plain scalar's first character. The composer runs them on
# every plain scalar; the fast path only on those starting with one of these
# characters. (SafeLoader registers no resolver for any first character,
# under the key None; a test checks it stays so.)
_IMPLICIT_RESOLVERS: dict[Any, Any] = _Loader.yaml_implicit_resolvers
_implicit_tag: Callable[[type[yaml.Node], str, tuple[bool, bool]], str] = yaml.resolver.Resolver().resolve
_MERGE_TAG = "tag:yaml.org,2002:merge"
_Mark: type[Any] | None = getattr(getattr(yaml, "_yaml", None), "Mark", None)
_CParser: Callable[[str], Any] | None = (
    getattr(getattr(yaml, "_yaml", None), "CParser", None) if _Loader is not yaml.SafeLoader else None
)


class _Fallback(Exception):
    """The fast path met something only the composed path reproduces exactly."""


@lru_cache(maxsize=4096)
def _plain_scalar(value: str) -> Any:
    """A plain, untagged scalar as the composed path builds it (cached: "true",
    "0" and "10250" repeat)."""
    tag = _implicit_tag(yaml.ScalarNode, value, (True, False))
    return _construct_scalar(tag, value) if tag in _CONSTRUCTED_TAGS else value


@lru_cache(maxsize=4096)
def _plain_key(value: str) -> str | None:
    """A plain, untagged mapping key as a JSON key; None for the merge key ``<<``."""
    if _implicit_tag(yaml.ScalarNode, value, (True, False)) == _MERGE_TAG:
        return None
    return _json_key(_plain_scalar(value))


def _scalar_value(event: Any) -> Any:
    """A scalar's value as the composed path builds it, for any tag and style."""
    tag = event.tag
    if tag is None or tag == "!":  # the composer resolves libyaml's non-specific tag too
        return _plain_scalar(event.value) if event.implicit[0] else event.value
    return _construct_scalar(tag, event.value) if tag in _CONSTRUCTED_TAGS else event.value


def _key_value(event: Any) -> str | None:
    """A mapping key as the composed path builds it, for any tag and style;
    None for the merge key."""
    tag = event.tag
    if tag is None or tag == "!":
        return _plain_key(event.value) if event.implicit[0] else event.value
    if tag == _MERGE_TAG:
        return None
    return _json_key(_construct_scalar(tag, event.value) if tag in _CONSTRUCTED_TAGS else event.value)


def _end(span: _LazySpan) -> tuple[int, int]:
    """The 1-based end (line, column) of a lazy span."""
    while type(span[1]) is tuple:  # a block collection: its last child's end
        span = span[1]
    start, end = span[0], span[1]
    if end is None:
        return start.line + 1, start.column + 2
    end_line, end_column = end.line + 1, end.column + 1
    if end_line < start.line + 1 or (end_line == start.line + 1 and end_column <= start.column + 1):
        return start.line + 1, start.column + 2  # an empty node still covers a character
    return end_line, end_column


def _resolve(span: _LazySpan) -> Span:
    start = span[0]
    return Span(start.line + 1, start.column + 1, *_end(span))


def _node_position(raw: _LazySpan) -> NodePosition:
    """The NodePosition of a raw position: the value's span as ``_resolve``
    makes it, the key's (when the value is a mapping's) as ``_span`` does.
    Called for every node of a document a view is built from: the common
    cases are written out."""
    start, end = raw[0], raw[1]
    line, column = start.line, start.column  # 0-based, as libyaml counts
    if type(end) is _Mark:  # a scalar or a flow collection
        end_line, end_column = end.line, end.column
        if end_line < line or (end_line == line and end_column <= column):
            end_line, end_column = line, column + 1
        value_span = Span(line + 1, column + 1, end_line + 1, end_column + 1)
    else:
        value_span = Span(line + 1, column + 1, *_end(raw))
    if len(raw) == 2:
        return NodePosition(value_span)
    start, end = raw[2], raw[3]
    line, column = start.line, start.column
    end_line, end_column = end.line, end.column
    if end_line < line or (end_line == line and end_column <= column):
        end_line, end_column = line, column + 1
    return NodePosition(value_span, Span(line + 1, column + 1, end_line + 1, end_column + 1))


class NodePositions(Mapping[KeyPath, NodePosition]):
    """A document's positions, kept in the form its loader recorded them
    (libyaml's marks, or the line path's numbers) until a caller asks for one.

    A NodePosition (and its Spans) is made on each access, not kept: most
    positions are looked at once (when a view records where a field comes
    from) or never."""

    __slots__ = ("_convert", "_raw")

    def __init__(self, raw: dict[KeyPath, Any], convert: Callable[[Any], NodePosition] | None = None) -> None:
        self._raw = raw
        self._convert = _node_position if convert is None else convert

    def __getitem__(self, path: KeyPath) -> NodePosition:
        return self._convert(self._raw[path])

    def get(self, path: KeyPath, default: Any = None) -> Any:  # Mapping.get without its try/except
        raw = self._raw.get(path)
        return default if raw is None else self._convert(raw)

    def __contains__(self, path: object) -> bool:
        return path in self._raw

    def __iter__(self) -> Iterator[KeyPath]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __repr__(self) -> str:
        return f"NodePositions({dict(self.items())!r})"


class _EventBuilder:
    """Builds one document from libyaml's events as _Builder does from the
    composed nodes: same values, same positions in the same order (a child's
    after its own children's), same duplicates, same expanded sizes.

    Raises _Fallback for what it leaves to the composed path; it never
    reports a problem itself."""

    __slots__ = ("anchors", "duplicates", "next_event", "positions")

    def __init__(self, next_event: Callable[[], Any]) -> None:
        self.next_event = next_event
        self.positions: dict[KeyPath, _LazySpan] = {}
        self.duplicates: list[DuplicateKey] = []
        # what an alias stands for; None while the anchored collection is
        # open (an alias to it is recursive: the composed path reports it)
        self.anchors: dict[str, _Built | None] = {}

    def node(self, event: Any, path: KeyPath, depth: int) -> _Built:
        kind = type(event)
        if kind is ScalarEvent:
            built = (_scalar_value(event), 1, (event.start_mark, event.end_mark))
            if event.anchor is not None:
                self._define(event.anchor, built)
            return built
        if kind is MappingStartEvent:
            return self.mapping(event, path, depth)
        if kind is SequenceStartEvent:
            return self.sequence(event, path, depth)
        if kind is AliasEvent:
            aliased = self.anchors.get(event.anchor)
            if aliased is None:  # undefined (a composer error) or recursive
                raise _Fallback
            return aliased
        raise _Fallback  # not a node (libyaml raises first)

    def _define(self, anchor: str, built: _Built | None) -> None:
        """Define an anchor: a scalar's when it is read, a collection's (as None) when it opens."""
        if anchor in self.anchors:  # a duplicate anchor (a composer error)
            raise _Fallback
        self.anchors[anchor] = built

    @staticmethod
    def _extends(child_span: _LazySpan, start: Any) -> bool:
        """Whether an aliased child ends at or after a block collection's start.

        Any other child does: libyaml's marks only move forward."""
        return _end(child_span) >= (start.line + 1, start.column + 1)

    def mapping(self, start_event: Any, path: KeyPath, depth: int) -> _Built:
        if depth >= MAX_DEPTH:  # a child would be deeper than MAX_DEPTH
            raise _Fallback
        anchor = start_event.anchor
        if anchor is not None:
            self._define(anchor, None)
        next_event = self.next_event
        positions = self.positions
        implicit_resolvers = _IMPLICIT_RESOLVERS
        scalar_event = ScalarEvent
        result: dict[str, Any] = {}
        size = 1
        last_child: _LazySpan | None = None  # the span a block mapping ends with
        first_key_spans: dict[str, Span] | None = None
        while True:
            event = next_event()
            if type(event) is not scalar_event or event.anchor is not None:
                if type(event) is MappingEndEvent:
                    break
                raise _Fallback  # a collection, an alias or an anchored scalar as a key
            key_start, key_end = event.start_mark, event.end_mark
            key = event.value
            # an untagged key is its text unless it is plain and a resolver may match it
            if event.tag is not None or (key[:1] in implicit_resolvers and event.implicit[0]):
                json_key = _key_value(event)
                if json_key is None:
                    raise _Fallback  # the merge key
                key = json_key
            child_path = path + (key,)  # noqa: RUF005 (faster than unpacking)
            if key in result:
                if first_key_spans is None:
                    first_key_spans = {}
                # positions[child_path] still holds this mapping's first occurrence of the key
                first = first_key_spans.setdefault(key, _resolve(positions[child_path][2:]))
                self.duplicates.append(DuplicateKey(child_path, _resolve((key_start, key_end)), first))
            event = next_event()
            if type(event) is scalar_event:
                value = event.value
                if event.tag is None:
                    if value[:1] in implicit_resolvers and event.implicit[0]:
                        value = _plain_scalar(value)
                else:
                    value = _scalar_value(event)
                position = (event.start_mark, event.end_mark, key_start, key_end)
                if event.anchor is not None:
                    self._define(event.anchor, (value, 1, position[:2]))
                size += 2
                last_child = position
            else:
                value, value_size, span = self.node(event, child_path, depth + 1)
                position = (span[0], span[1], key_start, key_end)
                size += value_size + 1
                if type(event) is not AliasEvent or self._extends(span, start_event.start_mark):
                    last_child = span
            positions[child_path] = position
            result[key] = value
        if size > MAX_EXPANDED_NODES:
            raise _Fallback
        built = (result, size, (start_event.start_mark, event.end_mark if start_event.flow_style else last_child))
        if anchor is not None:
            self.anchors[anchor] = built
        return built

    def sequence(self, start_event: Any, path: KeyPath, depth: int) -> _Built:
        if depth >= MAX_DEPTH:
            raise _Fallback
        anchor = start_event.anchor
        if anchor is not None:
            self._define(anchor, None)
        next_event = self.next_event
        positions = self.positions
        implicit_resolvers = _IMPLICIT_RESOLVERS
        scalar_event = ScalarEvent
        items: list[Any] = []
        size = 1
        last_child: _LazySpan | None = None  # as in mapping()
        while True:
            event = next_event()
            if type(event) is scalar_event:
                value = event.value
                if event.tag is None:
                    if value[:1] in implicit_resolvers and event.implicit[0]:
                        value = _plain_scalar(value)
                else:
                    value = _scalar_value(event)
                span = (event.start_mark, event.end_mark)
                if event.anchor is not None:
                    self._define(event.anchor, (value, 1, span))
                size += 1
                last_child = span
                item_path = path + (len(items),)  # noqa: RUF005
            elif type(event) is SequenceEndEvent:
                break
            else:
                item_path = path + (len(items),)  # noqa: RUF005
                value, item_size, span = self.node(event, item_path, depth + 1)
                size += item_size
                if type(event) is not AliasEvent or self._extends(span, start_event.start_mark):
                    last_child = span
            if item_path not in positions:  # as _Builder: an earlier duplicate's item keeps its place
                positions[item_path] = span
            items.append(value)
        if size > MAX_EXPANDED_NODES:
            raise _Fallback
        built = (items, size, (start_event.start_mark, event.end_mark if start_event.flow_style else last_child))
        if anchor is not None:
            self.anchors[anchor] = built
        return built


def _load_events(text: str, path: str) -> YamlStream | None:
    """The fast path (see the module's docstring); None when it gives up."""
    if _CParser is None:  # no libyaml: the composed path, with PyYAML's own parser
        return None
    documents: list[YamlDocument] = []
    try:
        next_event = _CParser(text).get_event
        next_event()  # the stream's start
        index = 0
        while type(next_event()) is DocumentStartEvent:
            builder = _EventBuilder(next_event)
            data, _, span = builder.node(next_event(), (), 0)
            next_event()  # the document's end
            documents.append(YamlDocument(path=path, index=index, data=data, span=_resolve(span),
                                          positions=NodePositions(builder.positions),
                                          duplicates=builder.duplicates))
            index += 1
    except (yaml.YAMLError, UnicodeEncodeError, RecursionError, _Fallback):
        return None
    return YamlStream(documents, [])


def load_yaml(text: str, path: str) -> YamlStream:
    """Parse every document of ``text``; never raises."""
    if len(text) > _PRECOUNT_CHARS:
        oversized = _too_many_nodes(text)
        if oversized is not None:
            return YamlStream([], [oversized])
    from kubelint.loaders.yaml_lines import load_plain_block  # it builds on this module

    stream = load_plain_block(text, path)
    if stream is None:
        stream = _load_events(text, path)
    if stream is None:
        stream = _load_composed(text, path)
    return stream


def _load_composed(text: str, path: str) -> YamlStream:
    """The composed path (see the module's docstring); never raises."""
    documents: list[YamlDocument] = []
    problems: list[YamlProblem] = []
    try:
        for index, root in enumerate(yaml.compose_all(text, Loader=_Loader)):
            if root is None:
                continue
            positions: dict[KeyPath, NodePosition] = {}
            document = YamlDocument(path=path, index=index, data=None, span=_span(root), positions=positions)
            try:
                document.data, _, document.span = _Builder(document, positions).build(root, (), 0)
            except _TooComplex as too_complex:
                document.data = None
                document.problems.append(YamlProblem("yaml-too-complex", document.span, str(too_complex)))
            documents.append(document)
    except yaml.YAMLError as error:
        message = _error_message(error)
        span = _error_span(error, text)
        if _char_at(text, span) == "\t":
            message += "; YAML does not allow tabs for indentation"
        problems.append(YamlProblem("yaml-syntax", span, message))
    except RecursionError:
        problems.append(
            YamlProblem("yaml-too-complex", Span(1, 1, 1, 2), "document nests too deeply to parse")
        )
    except UnicodeEncodeError as error:
        # libyaml takes UTF-8: a lone surrogate (text decoded with
        # surrogateescape, or sent by an editor) cannot be handed to it
        line = text.count("\n", 0, error.start) + 1
        column = error.start - (text.rfind("\n", 0, error.start) + 1) + 1
        problems.append(YamlProblem("yaml-syntax", Span(line, column, line, column + 1),
                                    f"character U+{ord(text[error.start]):04X} is not valid Unicode text"))
    return YamlStream(documents, problems)
