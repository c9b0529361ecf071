"""YAML (and JSON) → plain data plus the position of every key and value.

Parsing goes through ``yaml.compose_all`` with libyaml's C loader: the node
graph carries marks, and we build the data ourselves so that duplicate keys,
alias bombs and absurd nesting become problems instead of crashes. The
values follow what the kubelet sees after sigs.k8s.io/yaml turns YAML into
JSON: mapping keys become strings, timestamps stay strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Final

import yaml

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


class NodePosition(Record):
    __slots__ = ("key_span", "value_span")
    value_span: Final[Span]
    key_span: Final[Span | None]

    def __init__(self, value_span: Span, key_span: Span | None = None) -> None:
        self.value_span = value_span
        self.key_span = key_span


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
    positions: dict[KeyPath, NodePosition]
    duplicates: list[DuplicateKey]
    problems: list[YamlProblem]

    def __init__(self, path: str, index: int, data: Any, span: Span,
                 positions: dict[KeyPath, NodePosition] | None = None, duplicates: list[DuplicateKey] | None = None,
                 problems: list[YamlProblem] | None = None) -> None:
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
    """Builds data bottom-up, sharing aliased nodes instead of expanding them.

    Each node's expanded size is memoised, so an alias bomb is detected by
    arithmetic on sizes, in time linear in the document's text.
    """

    def __init__(self, document: YamlDocument) -> None:
        self.document = document
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
            positions = self.document.positions
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
        positions = self.document.positions
        end_line, end_column = span.line, span.column + 1  # as in build(): the last child's end
        for key_node, value_node in _merged_pairs(node):
            key_span = _span(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.document.problems.append(
                    YamlProblem("yaml-syntax", key_span, "mapping keys must be plain scalars")
                )
                continue
            key = _json_key(self._scalar(key_node))
            child_path = (*path, key)
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


def load_yaml(text: str, path: str) -> YamlStream:
    """Parse every document of ``text``; never raises."""
    documents: list[YamlDocument] = []
    problems: list[YamlProblem] = []
    if len(text) > _PRECOUNT_CHARS:
        oversized = _too_many_nodes(text)
        if oversized is not None:
            return YamlStream(documents, [oversized])
    try:
        for index, root in enumerate(yaml.compose_all(text, Loader=_Loader)):
            if root is None:
                continue
            document = YamlDocument(path=path, index=index, data=None, span=_span(root))
            try:
                document.data, _, document.span = _Builder(document).build(root, (), 0)
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
