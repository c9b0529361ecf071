"""The effective KubeletConfiguration and where each value comes from.

A view is built from layers, lowest first: the ``--config`` file, the
``--config-dir`` drop-ins (JSON merge patch: structs and maps merge, lists
and scalars are replaced), then command-line flags. Typed decoding and
defaulting run on the merged result, as in the kubelet's ``server.go``.
The same view serves a lone file (one layer) and a whole node, so every
KubeletConfiguration rule works in both places.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, cast

from kubelint.diagnostics import Location, Span
from kubelint.loaders.problems import Problem
from kubelint.loaders.yaml import KeyPath, YamlDocument
from kubelint.models.defaults import Version, default_eviction_hard, defaults_for, get_path, set_path
from kubelint.records import MutableRecord, Record

if TYPE_CHECKING:
    # pydantic is imported only when a config does not decode cleanly
    # (kubelint.models.kubelet_fields decodes the others)
    from kubelint.models.kubelet_config import KubeletConfiguration

FieldPath = tuple[str, ...]
_T = TypeVar("_T")
OriginKind = Literal["config", "dropin", "flag", "default", "configz"]

# Fields whose value is a map: a path below them names a map entry.
MAP_FIELDS = frozenset(
    {
        "staticPodURLHeader", "cpuManagerPolicyOptions", "topologyManagerPolicyOptions",
        "qosReserved", "evictionHard", "evictionSoft", "evictionSoftGracePeriod",
        "evictionMinimumReclaim", "featureGates", "systemReserved", "kubeReserved",
    }
)


class YamlTarget(Record):
    """Where a value lives in a YAML/JSON document, for structural fixes."""

    __slots__ = ("document", "key_path", "path")
    path: Final[str]
    document: Final[int]
    key_path: Final[KeyPath]

    def __init__(self, path: str, document: int, key_path: KeyPath) -> None:
        self.path = path
        self.document = document
        self.key_path = key_path


class Origin(Record):
    __slots__ = ("flag", "key_location", "kind", "location", "target", "via")
    kind: Final[OriginKind]
    location: Final[Location | None]
    key_location: Final[Location | None]
    via: Final[tuple[str, ...]]
    target: Final[YamlTarget | None]
    flag: Final[str | None]

    def __init__(self, kind: OriginKind, location: Location | None = None, key_location: Location | None = None,
                 via: tuple[str, ...] = (), target: YamlTarget | None = None, flag: str | None = None) -> None:
        self.kind = kind
        self.location = location
        self.key_location = key_location
        self.via = via
        self.target = target
        self.flag = flag

    def describe(self) -> str:
        if self.kind == "default":
            return "kubelet default"
        where = str(self.location) if self.location else "?"
        if self.flag:
            where = f"--{self.flag} at {where}"
        if self.via:
            where += " (via " + " → ".join(self.via) + ")"
        return where


def field_path(path: str | FieldPath) -> FieldPath:
    """``"evictionHard.imagefs.available"`` → ``("evictionHard", "imagefs.available")``."""
    if isinstance(path, tuple):
        return path
    known = _FIELD_PATHS.get(path)
    if known is None:
        known = _split_field_path(path)
        if len(_FIELD_PATHS) < 4096:  # bounded: a language server sees arbitrary paths
            _FIELD_PATHS[path] = known
    return known


# rules ask for the same few dozen dotted paths for every file
_FIELD_PATHS: dict[str, FieldPath] = {}


def _split_field_path(path: str) -> FieldPath:
    parts = path.split(".")
    for index, part in enumerate(parts):
        if part in MAP_FIELDS and index + 1 < len(parts):
            return (*parts[: index + 1], ".".join(parts[index + 1 :]))
    return tuple(parts)


def _lookup(data: dict[str, Any], path: str | FieldPath) -> Any:
    """``get_path(data, field_path(path))`` in one call: rules make a hundred
    and fifty such lookups a file, mostly of dotted paths already split once,
    and most of a single part."""
    fpath = _FIELD_PATHS.get(path) if type(path) is str else path
    if fpath is None:
        fpath = field_path(path)
    if len(fpath) == 1:
        return data.get(fpath[0])
    found: Any = data
    for part in fpath:
        if not isinstance(found, dict):
            return None
        found = found.get(part)
    return found


def dotted(path: FieldPath) -> str:
    return ".".join(path)


def document_origin(document: YamlDocument, key_path: KeyPath, kind: OriginKind,
                    via: tuple[str, ...]) -> Origin:
    """Where the value at ``key_path`` of ``document`` was written."""
    position = document.positions.get(key_path) if key_path else None
    if position is not None:
        # nearest_span() of a path that exists, without its search
        value_span = position.value_span
        key_span = position.key_span if position.key_span is not None else value_span
    else:
        value_span = document.nearest_span(key_path)
        key_span = document.nearest_span(key_path, key=True)
    return Origin(kind, Location(document.path, value_span), Location(document.path, key_span), via,
                  YamlTarget(document.path, document.index, key_path))


class KubeletView(MutableRecord):
    """Effective configuration: explicit values, defaults and provenance."""

    __slots__ = ("_derived", "anchor", "defaults", "effective", "explicit_raw", "gates", "history", "origins",
                 "problems", "uses_config_file", "version")
    explicit_raw: dict[str, Any]
    effective: dict[str, Any]
    # a plain dict, or for a lone document a DocumentOrigins that builds each Origin when asked
    origins: Mapping[FieldPath, Origin]
    history: dict[FieldPath, list[tuple[Any, Origin]]]
    defaults: dict[FieldPath, Any]
    version: Version
    gates: dict[str, bool]
    uses_config_file: bool
    anchor: Location
    problems: list[Problem]
    _derived: dict[Hashable, Any]

    def __init__(self, explicit_raw: dict[str, Any], effective: dict[str, Any], origins: Mapping[FieldPath, Origin],
                 history: dict[FieldPath, list[tuple[Any, Origin]]], defaults: dict[FieldPath, Any], version: Version,
                 gates: dict[str, bool], uses_config_file: bool, anchor: Location,
                 problems: list[Problem] | None = None) -> None:
        self.explicit_raw = explicit_raw
        self.effective = effective
        self.origins = origins
        self.history = history
        self.defaults = defaults
        self.version = version
        self.gates = gates
        self.uses_config_file = uses_config_file
        self.anchor = anchor
        self.problems = [] if problems is None else problems
        self._derived = {}

    def derived(self, key: Hashable, compute: Callable[[KubeletView], _T]) -> _T:
        """``compute(self)``, computed once per view: several rules derive the
        same thing (eviction thresholds) from one view, which never changes
        once built. ``key`` names what ``compute`` derives."""
        if key not in self._derived:
            self._derived[key] = compute(self)
        return cast(_T, self._derived[key])

    def get(self, path: str | FieldPath) -> Any:
        """The effective typed value (explicit or default), or None."""
        # _lookup's first steps written out: rules call this a hundred times a file
        fpath = _FIELD_PATHS.get(path) if type(path) is str else path
        if fpath is not None and len(fpath) == 1:
            return self.effective.get(fpath[0])
        return _lookup(self.effective, path)

    def is_set(self, path: str | FieldPath) -> bool:
        return _lookup(self.explicit_raw, path) is not None

    def raw(self, path: str | FieldPath) -> Any:
        """The value as written (before typing and defaulting)."""
        return _lookup(self.explicit_raw, path)

    def origin(self, path: str | FieldPath) -> Origin:
        fpath = field_path(path)
        for length in range(len(fpath), 0, -1):
            found = self.origins.get(fpath[:length])
            if found is not None:
                return found
        return Origin("default")

    def origin_kind(self, path: str | FieldPath, *, exact: bool = False) -> OriginKind:
        """``origin(path).kind`` (with ``exact``, of ``path`` itself, not an
        ancestor; "default" when nothing set it), without building an Origin
        where the view can tell: rules ask for the kind far more often than
        for the locations, and a lone document's origins all share one kind."""
        fpath = field_path(path)
        origins = self.origins
        if type(origins) is DocumentOrigins:
            # merged into nothing: a path is set where its first part is
            return origins.kind if (fpath if exact else fpath[:1]) in origins else "default"
        if exact:
            found = origins.get(fpath)
            return found.kind if found is not None else "default"
        return self.origin(fpath).kind

    def where(self, path: str | FieldPath, *, key: bool = False) -> Location:
        """Where to point at ``path``: its value, its key, an ancestor, or the anchor."""
        origin = self.origin(path)
        if key and origin.key_location is not None:
            return origin.key_location
        return origin.location or self.anchor

    def target(self, path: str | FieldPath) -> YamlTarget | None:
        origin = self.origins.get(field_path(path))
        return origin.target if origin else None

    def gate(self, name: str) -> bool:
        return self.gates.get(name, False)

    def describe(self, path: str | FieldPath) -> str:
        fpath = field_path(path)
        if fpath in self.defaults:
            kind = "legacy flag default" if not self.uses_config_file else "kubelet default"
            text = f"{kind} for {self.version[0]}.{self.version[1]}"
            if fpath in self.origins:  # a zero the defaulter replaced
                text += f", replacing the zero value at {self.origins[fpath].describe()}"
            return text
        if fpath in self.origins:
            return self.origins[fpath].describe()
        return "not set"


# top-level keys that are not settings: they get no origin and no value
_NOT_SETTINGS = ("apiVersion", "kind")


class DocumentOrigins(Mapping[FieldPath, Origin]):
    """The origins of a document merged into an empty view, each built when asked for.

    A lone config has an origin for every value it holds (a hundred or so,
    each with two locations and a fix target), and rules ask for a handful:
    building them all cost more than parsing the file. Merged into nothing,
    the document's own paths are the origins' paths (a list entry's index as
    a string), so membership is a walk down its data, and the order is the
    document's. Reads only: a builder turns this into a plain dict before it
    merges anything on top (``ViewBuilder.origins``).
    """

    __slots__ = ("_built", "_size", "data", "document", "kind", "root", "via")

    def __init__(self, document: YamlDocument, data: dict[str, Any], root: KeyPath, kind: OriginKind,
                 via: tuple[str, ...]) -> None:
        self.document = document
        self.data = data  # the document's data below ``root``
        self.root = root
        self.kind: OriginKind = kind
        self.via = via
        self._built: dict[FieldPath, Origin] = {}
        self._size: int | None = None

    def _key_path(self, path: FieldPath) -> KeyPath | None:
        """Where ``path`` is in the document, or None when the document does not hold it."""
        if type(path) is not tuple or not path or path[0] in _NOT_SETTINGS:
            return None
        node: Any = self.data
        key_path: list[str | int] = list(self.root)
        for part in path:
            if isinstance(node, dict):
                if part not in node:
                    return None
                node = node[part]
                key_path.append(part)
            elif isinstance(node, list):
                index = _list_index(part, len(node))
                if index is None:
                    return None
                node = node[index]
                key_path.append(index)
            else:
                return None
        return tuple(key_path)

    def _origin(self, path: FieldPath, key_path: KeyPath) -> Origin:
        origin = document_origin(self.document, key_path, self.kind, self.via)
        self._built[path] = origin
        return origin

    def get(self, path: FieldPath, default: Any = None) -> Any:
        built = self._built.get(path)
        if built is not None:
            return built
        key_path = self._key_path(path)
        if key_path is None:
            return default
        return self._origin(path, key_path)

    def __getitem__(self, path: FieldPath) -> Origin:
        found: Origin | None = self.get(path)
        if found is None:
            raise KeyError(path)
        return found

    def __contains__(self, path: object) -> bool:
        if type(path) is tuple and len(path) == 1:  # a top-level setting: most questions are about one
            return path[0] in self.data and path[0] not in _NOT_SETTINGS
        return path in self._built or self._key_path(path) is not None  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[FieldPath]:
        for path, _ in self.paths():
            yield path

    def __len__(self) -> int:
        if self._size is None:
            self._size = sum(1 for _ in self.paths())
        return self._size

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self.items())!r})"

    def paths(self) -> Iterator[tuple[FieldPath, KeyPath]]:
        """Every (origin path, document path), parents before children, in document order."""
        for key, value in self.data.items():
            if key not in _NOT_SETTINGS:
                yield from _tree_paths((key,), value, (*self.root, key))

    def eager(self) -> dict[FieldPath, Origin]:
        """Every origin, built."""
        return {path: self._built.get(path) or self._origin(path, key_path) for path, key_path in self.paths()}


def _tree_paths(path: FieldPath, value: Any, key_path: KeyPath) -> Iterator[tuple[FieldPath, KeyPath]]:
    yield path, key_path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _tree_paths((*path, key), child, (*key_path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _tree_paths((*path, str(index)), item, (*key_path, index))


def _list_index(part: object, length: int) -> int | None:
    """The list index ``part`` names as an origin path element (``str(index)`` exactly)."""
    if type(part) is not str or not part.isascii() or not part.isdigit() or (part[0] == "0" and part != "0"):
        return None
    index = int(part)
    return index if index < length else None


class ViewBuilder:
    """Collects layers, then resolves them into a ``KubeletView``."""

    def __init__(self, anchor: Location) -> None:
        self.raw: dict[str, Any] = {}
        self._origins: dict[FieldPath, Origin] = {}
        # the first document while nothing else is merged: its values are shared,
        # not copied, and its origins built on request (see DocumentOrigins)
        self._lazy: DocumentOrigins | None = None
        self.history: dict[FieldPath, list[tuple[Any, Origin]]] = {}
        self.anchor = anchor
        self.uses_config_file = False
        self.cli_gates: dict[str, bool] = {}
        # the kubelet defaults the parsed config before flags are applied, so
        # a zero given by a flag stays zero
        self.flag_paths: set[FieldPath] = set()
        # who set evictionHard as a whole: the --config file ("config"), or a
        # --eviction-hard flag ("flag", replacing the map); drop-ins merge keys
        self.eviction_hard_owner: str | None = None
        # True while the first document merges into an empty builder: its keys
        # are unique and children follow parents, so nothing is ever below a
        # path being replaced (skips a scan of every origin per key)
        self._nothing_below = False

    @property
    def origins(self) -> dict[FieldPath, Origin]:
        """Every value's origin, by path (building those of a lazily held first document)."""
        self._make_eager()
        return self._origins

    def add_document(self, document: YamlDocument, kind: OriginKind = "config", *,
                     root: KeyPath = (), via: tuple[str, ...] = ()) -> None:
        """Merge a KubeletConfiguration document (``root`` for /configz dumps)."""
        data = _get_raw(document.data, root)
        if not isinstance(data, dict):
            return
        if kind in ("config", "configz"):
            self.uses_config_file = True
            if "evictionHard" in data:
                self.eviction_hard_owner = "config"
        if self._lazy is None and not self._origins and not self.raw:
            # merged into nothing, the document's values are the view's: share them
            # (copied only if another layer comes, see _make_eager)
            self._lazy = DocumentOrigins(document, data, root, kind, via)
            self.raw = {key: value for key, value in data.items() if key not in _NOT_SETTINGS}
            return
        self._make_eager()
        self._merge_document(document, data, root, kind, via)

    def _make_eager(self) -> None:
        """Merge the lazily held first document the eager way, before anything goes on top of it."""
        lazy = self._lazy
        if lazy is None:
            return
        self._lazy = None
        self.raw = {}
        self._merge_document(lazy.document, lazy.data, lazy.root, lazy.kind, lazy.via)

    def _merge_document(self, document: YamlDocument, data: dict[str, Any], root: KeyPath, kind: OriginKind,
                        via: tuple[str, ...]) -> None:
        self._nothing_below = not self._origins and not self.raw
        try:
            for key, value in data.items():
                if key in _NOT_SETTINGS:
                    continue
                self._merge((key,), value, document, root, kind, via)
        finally:
            self._nothing_below = False

    def _merge(self, path: FieldPath, value: Any, document: YamlDocument, root: KeyPath,
               kind: OriginKind, via: tuple[str, ...]) -> None:
        existing = get_path(self.raw, path)
        doc_path = (*root, *path)
        if isinstance(value, dict) and isinstance(existing, dict):
            self._record(path, value, document, doc_path, kind, via, replace=False)
            for key, child in value.items():
                self._merge((*path, key), child, document, root, kind, via)
            return
        self._forget_below(path)
        # record first: the history keeps the value being replaced, not the new one
        self._record(path, value, document, doc_path, kind, via, replace=True)
        set_path(self.raw, path, copy_data(value))
        if isinstance(value, dict):
            for key, child in value.items():
                self._record_tree((*path, key), child, document, (*doc_path, key), kind, via)
        elif isinstance(value, list):
            self._record_items(path, value, document, doc_path, kind, via)

    def _record_items(self, path: FieldPath, items: list[Any], document: YamlDocument, doc_path: KeyPath,
                      kind: OriginKind, via: tuple[str, ...]) -> None:
        # list entries get their own origin (path ("clusterDNS", "1")) so rules can point at one entry
        for index, item in enumerate(items):
            self._record_tree((*path, str(index)), item, document, (*doc_path, index), kind, via)

    def _record_tree(self, path: FieldPath, value: Any, document: YamlDocument, doc_path: KeyPath,
                     kind: OriginKind, via: tuple[str, ...]) -> None:
        self._record(path, value, document, doc_path, kind, via, replace=True)
        if isinstance(value, dict):
            for key, child in value.items():
                self._record_tree((*path, key), child, document, (*doc_path, key), kind, via)
        elif isinstance(value, list):
            self._record_items(path, value, document, doc_path, kind, via)

    def _record(self, path: FieldPath, value: Any, document: YamlDocument, doc_path: KeyPath,
                kind: OriginKind, via: tuple[str, ...], *, replace: bool) -> None:
        origin = document_origin(document, doc_path, kind, via)
        previous = self._origins.get(path)
        if previous is not None and replace:
            self.history.setdefault(path, []).append((get_path(self.raw, path), previous))
        self._origins[path] = origin

    def _forget_below(self, path: FieldPath) -> None:
        if self._nothing_below:
            return
        for known in [p for p in self._origins if len(p) > len(path) and p[: len(path)] == path]:
            del self._origins[known]

    def add_flag_value(self, path: FieldPath, value: Any, origin: Origin, *, merge_map: bool = False) -> None:
        """Apply a command-line flag on top (flags win; map flags replace the map,
        except feature gates, which merge per gate)."""
        self._make_eager()
        self.flag_paths.add(path)
        if path == ("evictionHard",):
            self.eviction_hard_owner = "flag"
        if path == ("featureGates",) and isinstance(value, dict):
            for gate, enabled in value.items():
                self.cli_gates[gate] = enabled
                self._set_with_history((*path, gate), enabled, origin)
            return
        if merge_map and isinstance(value, dict):
            for key, item in value.items():
                self._set_with_history((*path, key), item, origin)
            return
        self._forget_below(path)
        self._set_with_history(path, value, origin)

    def _set_with_history(self, path: FieldPath, value: Any, origin: Origin) -> None:
        previous = self._origins.get(path)
        if previous is not None:
            self.history.setdefault(path, []).append((get_path(self.raw, path), previous))
        set_path(self.raw, path, copy_data(value))
        self._origins[path] = origin

    def _effective_eviction_hard(self, explicit: dict[str, Any], version: Version) -> dict[str, Any] | None:
        """evictionHard as the kubelet ends up with it.

        The config loader fills the default map when the file has none
        (merging it in only with mergeDefaultEvictionSettings, 1.33+);
        drop-ins then merge key by key; a --eviction-hard flag replaces all.
        """
        written = explicit.get("evictionHard")
        if not isinstance(written, dict):
            return None
        if self.eviction_hard_owner == "flag":
            return written
        merge = explicit.get("mergeDefaultEvictionSettings") is True and version >= _merge_defaults_since()
        if self.eviction_hard_owner == "config" and not merge:
            return written
        merged: dict[str, Any] = dict(default_eviction_hard(version))
        merged.update(written)
        return merged

    def build(self, version: Version, known_gate_defaults: dict[str, bool]) -> KubeletView:
        origins: Mapping[FieldPath, Origin] = self._lazy if self._lazy is not None else self._origins
        problems: list[Problem] = []
        explicit = _decode_typed(self.raw, origins, self.anchor, problems)
        explicit.pop("apiVersion", None)
        explicit.pop("kind", None)
        gates = dict(known_gate_defaults)
        gates.update(explicit.get("featureGates") or {})
        gates.update(self.cli_gates)
        defaults = defaults_for(explicit, version, legacy_flags=not self.uses_config_file, gates=gates,
                                keep_zero=self.flag_paths)
        explicit_raw = _without_invalid(self.raw, explicit)
        hard = self._effective_eviction_hard(explicit, version)
        # the decoder built ``explicit`` afresh and nothing else keeps it: it becomes
        # the effective values (read above, before the defaults go in)
        effective = explicit
        for path, value in defaults.items():
            if type(value) not in _IMMUTABLE:
                value = copy_data(value)  # a list or map default is the view's own
            if len(path) == 1:
                effective[path[0]] = value
            else:
                set_path(effective, path, value)
        if hard is not None:
            effective["evictionHard"] = hard
        return KubeletView(
            explicit_raw=explicit_raw,
            effective=effective,
            origins=origins,
            history=self.history,
            defaults=defaults,
            version=version,
            gates=gates,
            uses_config_file=self.uses_config_file,
            anchor=self.anchor,
            problems=problems,
        )


def copy_data(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """``copy.deepcopy`` for decoded data, ~10x faster: dicts and lists are
    copied (sharing kept, as deepcopy keeps it, so an alias-heavy document
    stays small); str, numbers, None and the frozen Duration/Quantity/Percent
    values are immutable and shared; anything else goes to deepcopy."""
    kind = type(value)
    if kind in _IMMUTABLE:
        return value
    if kind is dict or kind is list:
        if memo is None:
            memo = {}
        known = memo.get(id(value))
        if known is not None:
            return known
        if kind is dict:
            copied: Any = {}
            memo[id(value)] = copied
            for key, item in value.items():
                copied[key] = copy_data(item, memo)
        else:
            copied = []
            memo[id(value)] = copied
            copied.extend(copy_data(item, memo) for item in value)
        return copied
    return copy.deepcopy(value)


def _immutable_types() -> frozenset[type]:
    from kubelint.models.types import Duration, Percent, Quantity

    return frozenset({str, int, float, bool, type(None), Duration, Quantity, Percent})


_IMMUTABLE = _immutable_types()


def _typed_data(value: Any) -> Any:
    """Model → nested dicts keyed by JSON names, keeping ``Duration``/``Quantity`` objects.

    Rules (and the defaulter's zero test) must see typed durations and
    quantities, whatever pydantic's serializers would make of them.
    """
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        data: dict[str, Any] = {}
        for name, info in type(value).model_fields.items():
            item = getattr(value, name)
            if item is not None:
                data[info.alias or name] = _typed_data(item)
        return data
    if isinstance(value, dict):
        return {key: _typed_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed_data(item) for item in value]
    return value


def _merge_defaults_since() -> Version:
    return (1, 33)  # mergeDefaultEvictionSettings, kubernetes PR #127577


def _get_raw(data: Any, path: KeyPath) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        else:
            return None
    return data


def _without_invalid(raw: dict[str, Any], explicit: dict[str, Any]) -> dict[str, Any]:
    """Raw values, minus those that failed to decode (kept only if typed)."""
    result: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in explicit:
            continue
        if type(value) is dict and key not in MAP_FIELDS:
            typed = explicit[key]
            result[key] = _without_invalid(value, typed) if type(typed) is dict else value
        else:
            result[key] = value
    return result


def _decode_typed(raw: dict[str, Any], origins: Mapping[FieldPath, Origin], anchor: Location,
                  problems: list[Problem]) -> dict[str, Any]:
    """The explicit values, typed: without pydantic when every value is clean."""
    from kubelint.models.kubelet_fields import fast_decode

    typed = fast_decode(raw)
    if typed is not None:
        return typed
    decoded: dict[str, Any] = _typed_data(_decode(raw, origins, anchor, problems))
    return decoded


def _decode(raw: dict[str, Any], origins: Mapping[FieldPath, Origin], anchor: Location,
            problems: list[Problem]) -> KubeletConfiguration:
    """Decode like the kubelet; values of the wrong type become problems and are dropped."""
    from pydantic import ValidationError

    from kubelint.models.kubelet_config import KubeletConfiguration

    data = copy.deepcopy(raw)
    for _attempt in range(50):
        try:
            return KubeletConfiguration.model_validate(data)
        except ValidationError as error:
            removed = False
            for item in error.errors():
                loc = tuple(str(part) for part in item["loc"])
                path = _error_path(data, loc)
                if not path:
                    continue
                origin = _origin_for(origins, path)
                location = origin.location if origin and origin.location else anchor
                problems.append(Problem("invalid-value-type", location, _type_message(path, item)))
                if _delete_path(data, path):
                    removed = True
            if not removed:
                break
    return KubeletConfiguration.model_construct()


def _error_path(data: Any, loc: tuple[str, ...]) -> FieldPath:
    """Trim pydantic's loc (which may name union branches) to a data path."""
    path: list[str] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            path.append(part)
            node = node[int(part)]
        else:
            continue
    return tuple(path)


def _origin_for(origins: Mapping[FieldPath, Origin], path: FieldPath) -> Origin | None:
    for length in range(len(path), 0, -1):
        candidate = path[:length]
        if candidate in origins:
            return origins[candidate]
    return None


def _delete_path(data: Any, path: FieldPath) -> bool:
    node = data
    for part in path[:-1]:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    last = path[-1]
    if isinstance(node, dict) and last in node:
        del node[last]
        return True
    if isinstance(node, list) and last.isdigit() and int(last) < len(node):
        del node[int(last)]
        return True
    return False


_TYPE_WORDS = {
    "int_type": "an integer",
    "bool_type": "a boolean (true or false)",
    "string_type": "a string",
    "float_type": "a number",
    "dict_type": "a mapping",
    "list_type": "a list",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def _type_message(path: FieldPath, item: Any) -> str:
    name = dotted(path)
    error_type = str(item.get("type", ""))
    value = item.get("input")
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    if error_type in _TYPE_WORDS:
        return f"{name} must be {_TYPE_WORDS[error_type]}, got {shown}; the kubelet fails to decode the file"
    if error_type in ("less_than_equal", "greater_than_equal"):
        return f"{name} {shown} does not fit its integer type; the kubelet fails to decode the file"
    message = str(item.get("msg", "invalid value")).removeprefix("Value error, ")
    return f"{name}: {message}; the kubelet fails to decode the file"


def iter_leaf_paths(data: Any, prefix: FieldPath = ()) -> Iterator[FieldPath]:
    if isinstance(data, dict) and data:
        for key, value in data.items():
            yield from iter_leaf_paths(value, (*prefix, key))
    elif prefix:
        yield prefix


def single_document_view(document: YamlDocument, version: Version, gate_defaults: dict[str, bool],
                         *, root: KeyPath = (), kind: OriginKind = "config") -> KubeletView:
    anchor_span = document.nearest_span((*root, "kind"), key=True) if root == () else document.nearest_span(root, key=True)
    builder = ViewBuilder(Location(document.path, anchor_span if anchor_span else Span(1, 1, 1, 2)))
    builder.add_document(document, kind, root=root)
    return builder.build(version, gate_defaults)
