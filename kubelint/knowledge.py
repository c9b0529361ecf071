"""Typed, lazy access to the knowledge kubelint's rules use (the YAML files in ``rules/``).

Every loader reads its file once (``functools.cache``) and returns frozen objects, so rules
can call these helpers freely. Versions are ``(major, minor)`` tuples such as ``(1, 30)``;
:func:`parse_version` turns ``"1.30"`` into one.

The data files are validated against ``schemas/rules-data/*.schema.json`` by the test
suite; this module trusts their shape and does not re-validate at run time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any, Final, Literal, cast

import yaml

from kubelint._resources import data_file
from kubelint.records import Record

Version = tuple[int, int]
FlagStatus = Literal["active", "deprecated", "removed"]
FlagState = Literal["not-yet", "active", "deprecated", "removed"]
GateStageName = Literal["alpha", "beta", "ga", "deprecated"]

__all__ = [
    "CipherSuite",
    "CisCheck",
    "CisCondition",
    "CisPeers",
    "EvictionSignal",
    "FeatureGate",
    "FlagSpec",
    "GateStage",
    "MinorNotes",
    "Source",
    "TLSVersion",
    "Version",
    "canonical_cipher_name",
    "cipher_suites",
    "cis_check",
    "cis_checks",
    "cis_strong_ciphers",
    "data_versions",
    "default_eviction_hard",
    "default_target_version",
    "eviction_signals",
    "feature_gate_coverage",
    "feature_gates",
    "flag_table",
    "flags_by_config_field",
    "format_version",
    "gate_list_complete_for",
    "lookup_flag",
    "merge_default_eviction_settings_since",
    "normalize_flag_name",
    "parse_version",
    "sources",
    "supported_versions",
    "tls_versions",
    "version_notes",
]

_DATA_FILES = ("kubelet-flags", "feature-gates", "tls", "eviction", "versions", "cis")
_VERSION_RE = re.compile(r"^\s*v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+][0-9A-Za-z.+-]*)?\s*$")


# --------------------------------------------------------------------------- versions


def parse_version(text: str) -> Version:
    """Parse ``"1.30"`` (also ``"v1.30"``, ``"1.30.2"``, ``"v1.30.2-eks.1"``) into ``(1, 30)``.

    Raises ``ValueError`` with a message that names the bad input and the expected form.
    """
    if not isinstance(text, str):
        raise ValueError(f"Kubernetes version must be a string like '1.30', got {type(text).__name__}")
    match = _VERSION_RE.match(text)
    if match is None:
        raise ValueError(f"invalid Kubernetes version {text!r}: expected MAJOR.MINOR such as '1.30'")
    major, minor = int(match.group(1)), int(match.group(2))
    if major != 1:
        raise ValueError(f"invalid Kubernetes version {text!r}: only 1.x releases exist")
    return (major, minor)


def format_version(version: Version) -> str:
    """``(1, 30)`` -> ``"1.30"``."""
    return f"{version[0]}.{version[1]}"


def _opt_version(value: object) -> Version | None:
    return None if value is None else _data_version(str(value))


@cache
def _data_version(text: str) -> Version:
    # the data files name the same few dozen releases ~1,000 times
    return parse_version(text)


# --------------------------------------------------------------------------- raw loading


@cache
def _raw(name: str) -> dict[str, Any]:
    # the JSON snapshot of the file when it is current: PyYAML's constructor
    # costs more than the rest of a one-file run (see kubelint.snapshots)
    from kubelint import snapshots

    snapshot = snapshots.load(f"knowledge/{name}")
    if isinstance(snapshot, dict):
        return snapshot
    return read_data_file(name)


def read_data_file(name: str) -> dict[str, Any]:
    """``rules/<name>.yaml`` parsed, without the snapshot."""
    path = data_file("rules", f"{name}.yaml")
    with path.open("r", encoding="utf-8") as handle:
        loaded = yaml.load(handle, Loader=yaml.CSafeLoader)
    if not isinstance(loaded, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return cast(dict[str, Any], loaded)


def _strs(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(str(item) for item in cast(list[object], value))


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


class Source(Record):
    __slots__ = ("key", "title", "url")
    key: Final[str]
    title: Final[str]
    url: Final[str | None]

    def __init__(self, key: str, title: str, url: str | None) -> None:
        self.key = key
        self.title = title
        self.url = url


@cache
def sources(data: str) -> Mapping[str, Source]:
    """The ``sources`` map of one data file (``"kubelet-flags"``, ``"feature-gates"``, ...)."""
    if data not in _DATA_FILES:
        raise ValueError(f"unknown data file {data!r}; expected one of {', '.join(_DATA_FILES)}")
    raw = cast(dict[str, dict[str, Any]], _raw(data)["sources"])
    return MappingProxyType(
        {key: Source(key, str(item["title"]), _opt_str(item.get("url"))) for key, item in raw.items()}
    )


def data_versions() -> dict[str, str]:
    """Schema versions of the data files plus the version ranges they cover (for reports)."""
    out = {name: str(_raw(name)["schema_version"]) for name in _DATA_FILES}
    low, high = supported_versions()
    gates_low, gates_high = feature_gate_coverage()
    out["kubernetes"] = f"{format_version(low)}-{format_version(high)}"
    out["default_target"] = format_version(default_target_version())
    out["feature_gates_verified"] = f"{format_version(gates_low)}-{format_version(gates_high)}"
    return out


# --------------------------------------------------------------------------- kubelet flags


class FlagSpec(Record):
    """One kubelet command-line flag (see ``rules/kubelet-flags.yaml``)."""

    __slots__ = (
        "added_in", "aliases", "config_field", "default", "deprecated_in", "deprecation_kind", "name", "note", "os",
        "removed_in", "replacement", "sources", "status", "type", "values",
    )
    name: Final[str]
    aliases: Final[tuple[str, ...]]
    type: Final[str]
    default: Final[str | None]
    config_field: Final[str | None]
    status: Final[FlagStatus]
    deprecated_in: Final[Version | None]
    removed_in: Final[Version | None]
    added_in: Final[Version | None]
    deprecation_kind: Final[str | None]
    replacement: Final[str | None]
    os: Final[tuple[str, ...]]
    values: Final[tuple[str, ...] | None]
    sources: Final[tuple[str, ...]]
    note: Final[str | None]

    def __init__(self, name: str, aliases: tuple[str, ...], type: str, default: str | None, config_field: str | None,
                 status: FlagStatus, deprecated_in: Version | None, removed_in: Version | None,
                 added_in: Version | None, deprecation_kind: str | None, replacement: str | None,
                 os: tuple[str, ...], values: tuple[str, ...] | None, sources: tuple[str, ...],
                 note: str | None) -> None:
        self.name = name
        self.aliases = aliases
        self.type = type
        self.default = default
        self.config_field = config_field
        self.status = status
        self.deprecated_in = deprecated_in
        self.removed_in = removed_in
        self.added_in = added_in
        self.deprecation_kind = deprecation_kind
        self.replacement = replacement
        self.os = os
        self.values = values
        self.sources = sources
        self.note = note

    @property
    def flag_only(self) -> bool:
        """True when no KubeletConfiguration field backs the flag."""
        return self.config_field is None

    def is_removed(self, version: Version) -> bool:
        """The kubelet of ``version`` refuses the flag as unknown.

        A removed flag without a ``removed_in`` release went away before, or at an
        unverified point of, the supported window: it counts as removed everywhere.
        """
        if self.status != "removed":
            return False
        return self.removed_in is None or version >= self.removed_in

    def is_deprecated(self, version: Version) -> bool:
        """Accepted by the kubelet of ``version`` but deprecated there."""
        if self.is_removed(version) or self.deprecated_in is None:
            return False
        return version >= self.deprecated_in

    def exists_in(self, version: Version) -> bool:
        """The kubelet of ``version`` accepts the flag (deprecated or not)."""
        if self.is_removed(version):
            return False
        return self.added_in is None or version >= self.added_in

    def state(self, version: Version) -> FlagState:
        if self.added_in is not None and version < self.added_in:
            return "not-yet"
        if self.is_removed(version):
            return "removed"
        if self.is_deprecated(version):
            return "deprecated"
        return "active"

    def available_on(self, os_name: str) -> bool:
        return os_name in self.os


def normalize_flag_name(name: str) -> str:
    """``--cluster_dns`` / ``cluster_dns`` / ``-v`` -> ``cluster-dns`` / ``v`` (the kubelet maps ``_`` to ``-``)."""
    return name.lstrip("-").replace("_", "-")


def _flag_from_raw(item: dict[str, Any]) -> FlagSpec:
    values = item.get("values")
    return FlagSpec(
        name=str(item["name"]),
        aliases=_strs(item.get("aliases")),
        type=str(item["type"]),
        default=_opt_str(item["default"]),
        config_field=_opt_str(item["config_field"]),
        status=cast(FlagStatus, item["status"]),
        deprecated_in=_opt_version(item["deprecated_in"]),
        removed_in=_opt_version(item["removed_in"]),
        added_in=_opt_version(item.get("added_in")),
        deprecation_kind=_opt_str(item.get("deprecation_kind")),
        replacement=_opt_str(item["replacement"]),
        os=_strs(item["os"]),
        values=None if values is None else _strs(values),
        sources=_strs(item["sources"]),
        note=_opt_str(item.get("note")),
    )


@cache
def _flags() -> tuple[FlagSpec, ...]:
    return tuple(_flag_from_raw(item) for item in cast(list[dict[str, Any]], _raw("kubelet-flags")["flags"]))


@cache
def flag_table() -> Mapping[str, FlagSpec]:
    """Every known flag keyed by its hyphenated name and by each alias (``h`` -> ``help``)."""
    table: dict[str, FlagSpec] = {}
    for spec in _flags():
        table[normalize_flag_name(spec.name)] = spec
    for spec in _flags():
        for alias in spec.aliases:
            table.setdefault(normalize_flag_name(alias), spec)
    return MappingProxyType(table)


def lookup_flag(name: str) -> FlagSpec | None:
    """Find a flag as written on a command line (dashes and underscores allowed)."""
    return flag_table().get(normalize_flag_name(name))


@cache
def flags_by_config_field() -> Mapping[str, FlagSpec]:
    """Config field path -> the flag that sets it (first one wins; removed flags last)."""
    ordered = sorted(_flags(), key=lambda spec: spec.status == "removed")
    table: dict[str, FlagSpec] = {}
    for spec in ordered:
        if spec.config_field is not None:
            table.setdefault(spec.config_field, spec)
    return MappingProxyType(table)


# --------------------------------------------------------------------------- feature gates


class GateStage(Record):
    __slots__ = ("default", "locked", "since", "stage")
    since: Final[Version]
    stage: Final[GateStageName]
    default: Final[bool]
    locked: Final[bool]

    def __init__(self, since: Version, stage: GateStageName, default: bool, locked: bool) -> None:
        self.since = since
        self.stage = stage
        self.default = default
        self.locked = locked


class FeatureGate(Record):
    """A feature gate and its history (see ``rules/feature-gates.yaml``)."""

    __slots__ = ("name", "note", "origin", "planned_removal", "removed_in", "sources", "stages")
    name: Final[str]
    origin: Final[str]
    stages: Final[tuple[GateStage, ...]]
    removed_in: Final[Version | None]
    planned_removal: Final[Version | None]
    sources: Final[tuple[str, ...]]
    note: Final[str | None]

    def __init__(self, name: str, origin: str, stages: tuple[GateStage, ...], removed_in: Version | None,
                 planned_removal: Version | None, sources: tuple[str, ...], note: str | None) -> None:
        self.name = name
        self.origin = origin
        self.stages = stages
        self.removed_in = removed_in
        self.planned_removal = planned_removal
        self.sources = sources
        self.note = note

    def stage_for(self, version: Version) -> GateStage | None:
        """The stage in force at ``version``, or None when the kubelet does not know the gate."""
        if self.removed_in is not None and version >= self.removed_in:
            return None
        current: GateStage | None = None
        for stage in self.stages:
            if stage.since <= version:
                current = stage
            else:
                break
        return current

    def known_in(self, version: Version) -> bool:
        """The kubelet of ``version`` accepts this gate name."""
        return self.stage_for(version) is not None

    def default_for(self, version: Version) -> bool | None:
        """Default value at ``version``; None when the gate is unknown there."""
        stage = self.stage_for(version)
        return None if stage is None else stage.default

    def is_locked(self, version: Version) -> bool:
        """Locked to its default at ``version`` (setting the other value is refused)."""
        stage = self.stage_for(version)
        return stage is not None and stage.locked


def _gate_from_raw(item: dict[str, Any]) -> FeatureGate:
    stages = tuple(
        GateStage(
            since=_data_version(str(stage["since"])),
            stage=cast(GateStageName, stage["stage"]),
            default=bool(stage["default"]),
            locked=bool(stage["locked"]),
        )
        for stage in cast(list[dict[str, Any]], item["stages"])
    )
    return FeatureGate(
        name=str(item["name"]),
        origin=str(item.get("origin", "kube")),
        stages=tuple(sorted(stages, key=lambda stage: stage.since)),
        removed_in=_opt_version(item["removed_in"]),
        planned_removal=_opt_version(item.get("planned_removal")),
        sources=_strs(item["sources"]),
        note=_opt_str(item.get("note")),
    )


@cache
def feature_gates() -> Mapping[str, FeatureGate]:
    """Every known gate, keyed by its exact (case-sensitive) name."""
    raw = cast(list[dict[str, Any]], _raw("feature-gates")["gates"])
    return MappingProxyType({gate.name: gate for gate in map(_gate_from_raw, raw)})


@cache
def feature_gate_coverage() -> tuple[Version, Version]:
    """Minors for which the gate name list is believed complete (inclusive)."""
    coverage = cast(dict[str, Any], _raw("feature-gates")["coverage"])
    return parse_version(str(coverage["verified_from"])), parse_version(str(coverage["verified_through"]))


def gate_list_complete_for(version: Version) -> bool:
    """True when an unknown gate name at ``version`` can be reported with confidence."""
    low, high = feature_gate_coverage()
    return low <= version <= high


# --------------------------------------------------------------------------- TLS


class CipherSuite(Record):
    __slots__ = ("aliases", "id", "insecure", "name", "note", "tls_versions")
    name: Final[str]
    id: Final[int]
    tls_versions: Final[tuple[str, ...]]
    insecure: Final[bool]
    aliases: Final[tuple[str, ...]]
    note: Final[str | None]

    def __init__(self, name: str, id: int, tls_versions: tuple[str, ...], insecure: bool, aliases: tuple[str, ...],
                 note: str | None) -> None:
        self.name = name
        self.id = id
        self.tls_versions = tls_versions
        self.insecure = insecure
        self.aliases = aliases
        self.note = note


class TLSVersion(Record):
    __slots__ = ("name", "note", "protocol", "recommended")
    name: Final[str]
    protocol: Final[str]
    recommended: Final[bool]
    note: Final[str | None]

    def __init__(self, name: str, protocol: str, recommended: bool, note: str | None) -> None:
        self.name = name
        self.protocol = protocol
        self.recommended = recommended
        self.note = note


@cache
def _suites() -> tuple[CipherSuite, ...]:
    raw = cast(list[dict[str, Any]], _raw("tls")["cipher_suites"])
    return tuple(
        CipherSuite(
            name=str(item["name"]),
            id=int(str(item["id"]), 16),
            tls_versions=_strs(item["tls_versions"]),
            insecure=bool(item["insecure"]),
            aliases=_strs(item.get("aliases")),
            note=_opt_str(item.get("note")),
        )
        for item in raw
    )


@cache
def cipher_suites() -> Mapping[str, CipherSuite]:
    """Every name the kubelet accepts in tlsCipherSuites (canonical names and legacy aliases)."""
    table: dict[str, CipherSuite] = {}
    for suite in _suites():
        table[suite.name] = suite
        for alias in suite.aliases:
            table[alias] = suite
    return MappingProxyType(table)


def canonical_cipher_name(name: str) -> str | None:
    """Go's name for an accepted suite name or alias; None when the kubelet would refuse it."""
    suite = cipher_suites().get(name)
    return None if suite is None else suite.name


@cache
def cis_strong_ciphers(benchmark: str = "cis-1.12") -> tuple[str, ...]:
    """The CIS 4.2.12 allow-list as the benchmark spells it (``cis-1.12``: 6, ``cis-1.11``: 8)."""
    lists = cast(dict[str, dict[str, Any]], _raw("tls")["cis_strong_ciphers"])
    if benchmark not in lists:
        raise ValueError(f"no CIS cipher list for {benchmark!r}; known: {', '.join(sorted(lists))}")
    return _strs(lists[benchmark]["suites"])


@cache
def tls_versions() -> Mapping[str, TLSVersion]:
    raw = cast(list[dict[str, Any]], _raw("tls")["tls_versions"])
    return MappingProxyType({
        str(item["name"]): TLSVersion(
            name=str(item["name"]),
            protocol=str(item["protocol"]),
            recommended=bool(item["recommended"]),
            note=_opt_str(item.get("note")),
        )
        for item in raw
    })


# --------------------------------------------------------------------------- eviction


class EvictionSignal(Record):
    __slots__ = ("condition", "ignored", "name", "note", "os", "resource", "supported")
    name: Final[str]
    resource: Final[str | None]
    condition: Final[str | None]
    supported: Final[bool]
    ignored: Final[bool]
    os: Final[tuple[str, ...]]
    note: Final[str | None]

    def __init__(self, name: str, resource: str | None, condition: str | None, supported: bool, ignored: bool,
                 os: tuple[str, ...], note: str | None) -> None:
        self.name = name
        self.resource = resource
        self.condition = condition
        self.supported = supported
        self.ignored = ignored
        self.os = os
        self.note = note


@cache
def eviction_signals() -> Mapping[str, EvictionSignal]:
    """Signal names, including declared-but-unsupported ones (check ``supported``)."""
    raw = cast(list[dict[str, Any]], _raw("eviction")["signals"])
    return MappingProxyType({
        str(item["name"]): EvictionSignal(
            name=str(item["name"]),
            resource=_opt_str(item["resource"]),
            condition=_opt_str(item["condition"]),
            supported=bool(item["supported"]),
            ignored=bool(item.get("ignored", False)),
            os=_strs(item.get("os")),
            note=_opt_str(item.get("note")),
        )
        for item in raw
    })


@cache
def _eviction_defaults() -> tuple[tuple[str, Version, tuple[tuple[str, str], ...]], ...]:
    raw = cast(list[dict[str, Any]], _raw("eviction")["default_eviction_hard"])
    rows = [
        (
            str(item["os"]),
            parse_version(str(item["since"])),
            tuple((str(key), str(value)) for key, value in cast(dict[str, object], item["thresholds"]).items()),
        )
        for item in raw
    ]
    return tuple(sorted(rows, key=lambda row: (row[0], row[1])))


def default_eviction_hard(version: Version, os: str = "linux") -> dict[str, str]:
    """The evictionHard the kubelet of ``version`` applies when the config file has none.

    ``os`` is ``linux``, ``windows`` or anything else (the generic defaults). Versions
    before the first recorded entry get that first entry. Returns a fresh dict.
    """
    key = os if os in ("linux", "windows") else "other"
    rows = [row for row in _eviction_defaults() if row[0] == key]
    if not rows:
        raise ValueError(f"no default evictionHard recorded for {os!r}")
    chosen = rows[0]
    for row in rows:
        if row[1] <= version:
            chosen = row
    return dict(chosen[2])


@cache
def merge_default_eviction_settings_since() -> Version:
    """First minor with ``mergeDefaultEvictionSettings``."""
    raw = cast(dict[str, Any], _raw("eviction")["merge_default_eviction_settings"])
    return parse_version(str(raw["since"]))


# --------------------------------------------------------------------------- versions


class MinorNotes(Record):
    __slots__ = ("changes", "note", "sources", "version")
    version: Final[Version]
    changes: Final[tuple[str, ...]]
    sources: Final[tuple[str, ...]]
    note: Final[str | None]

    def __init__(self, version: Version, changes: tuple[str, ...], sources: tuple[str, ...], note: str | None) -> None:
        self.version = version
        self.changes = changes
        self.sources = sources
        self.note = note


@cache
def supported_versions() -> tuple[Version, Version]:
    """``(lowest, highest)`` target versions kubelint understands, inclusive."""
    supported = cast(dict[str, Any], _raw("versions")["supported"])
    return parse_version(str(supported["min"])), parse_version(str(supported["max"]))


@cache
def default_target_version() -> Version:
    return parse_version(str(_raw("versions")["default_target"]))


@cache
def version_notes() -> Mapping[Version, MinorNotes]:
    raw = cast(list[dict[str, Any]], _raw("versions")["minors"])
    notes = (
        MinorNotes(
            version=parse_version(str(item["version"])),
            changes=_strs(item["changes"]),
            sources=_strs(item["sources"]),
            note=_opt_str(item.get("note")),
        )
        for item in raw
    )
    return MappingProxyType({entry.version: entry for entry in notes})


# --------------------------------------------------------------------------- CIS


class CisCondition(Record):
    __slots__ = ("op", "scope", "value")
    op: Final[str]
    value: Final[str | int | float | bool | None]
    scope: Final[str | None]

    def __init__(self, op: str, value: str | int | float | bool | None, scope: str | None) -> None:
        self.op = op
        self.value = value
        self.scope = scope


class CisPeers(Record):
    __slots__ = ("checkov", "kube_bench", "kubescape")
    kube_bench: Final[str | None]
    kubescape: Final[tuple[str, ...]]
    checkov: Final[tuple[str, ...]]

    def __init__(self, kube_bench: str | None, kubescape: tuple[str, ...], checkov: tuple[str, ...]) -> None:
        self.kube_bench = kube_bench
        self.kubescape = kubescape
        self.checkov = checkov


class CisCheck(Record):
    __slots__ = (
        "benchmark", "config_default", "config_fields", "expected", "flag_default", "flags", "id", "kind", "note",
        "peers", "remediation", "scored", "sources", "target", "title", "unit_directive", "unset_passes",
    )
    id: Final[str]
    benchmark: Final[str]
    title: Final[str]
    kind: Final[str]
    target: Final[str | None]
    scored: Final[bool]
    flags: Final[tuple[str, ...]]
    config_fields: Final[tuple[str, ...]]
    unit_directive: Final[str | None]
    expected: Final[tuple[CisCondition, ...]]
    unset_passes: Final[bool | None]
    flag_default: Final[str | None]
    config_default: Final[str | None]
    remediation: Final[str]
    peers: Final[CisPeers]
    sources: Final[tuple[str, ...]]
    note: Final[str | None]

    def __init__(self, id: str, benchmark: str, title: str, kind: str, target: str | None, scored: bool,
                 flags: tuple[str, ...], config_fields: tuple[str, ...], unit_directive: str | None,
                 expected: tuple[CisCondition, ...], unset_passes: bool | None, flag_default: str | None,
                 config_default: str | None, remediation: str, peers: CisPeers, sources: tuple[str, ...],
                 note: str | None) -> None:
        self.id = id
        self.benchmark = benchmark
        self.title = title
        self.kind = kind
        self.target = target
        self.scored = scored
        self.flags = flags
        self.config_fields = config_fields
        self.unit_directive = unit_directive
        self.expected = expected
        self.unset_passes = unset_passes
        self.flag_default = flag_default
        self.config_default = config_default
        self.remediation = remediation
        self.peers = peers
        self.sources = sources
        self.note = note

    @property
    def label(self) -> str:
        """``"CIS 1.12 4.2.1"``."""
        return f"CIS {self.benchmark.removeprefix('cis-')} {self.id}"


def _check_from_raw(item: dict[str, Any]) -> CisCheck:
    peers = cast(dict[str, Any], item["peers"])
    defaults = cast(dict[str, Any], item.get("defaults") or {})
    unset = item["unset_passes"]
    return CisCheck(
        id=str(item["id"]),
        benchmark=str(item["benchmark"]),
        title=str(item["title"]),
        kind=str(item["kind"]),
        target=_opt_str(item.get("target")),
        scored=bool(item["scored"]),
        flags=_strs(item["flags"]),
        config_fields=_strs(item["config_fields"]),
        unit_directive=_opt_str(item.get("unit_directive")),
        expected=tuple(
            CisCondition(
                op=str(cond["op"]),
                value=cast("str | int | float | bool | None", cond.get("value")),
                scope=_opt_str(cond.get("scope")),
            )
            for cond in cast(list[dict[str, Any]], item["expected"])
        ),
        unset_passes=None if unset is None else bool(unset),
        flag_default=_opt_str(defaults.get("flag")),
        config_default=_opt_str(defaults.get("config")),
        remediation=str(item["remediation"]),
        peers=CisPeers(
            kube_bench=_opt_str(peers.get("kube_bench")),
            kubescape=_strs(peers.get("kubescape")),
            checkov=_strs(peers.get("checkov")),
        ),
        sources=_strs(item["sources"]),
        note=_opt_str(item.get("note")),
    )


@cache
def cis_checks() -> tuple[CisCheck, ...]:
    """All recorded CIS kubelet checks, in file order (CIS 1.12 first)."""
    raw = cast(list[dict[str, Any]], _raw("cis")["checks"])
    return tuple(_check_from_raw(item) for item in raw)


def cis_check(check_id: str, benchmark: str = "cis-1.12") -> CisCheck:
    """One check by ID and benchmark; raises ``KeyError`` when it is not recorded."""
    for check in cis_checks():
        if check.id == check_id and check.benchmark == benchmark:
            return check
    raise KeyError(f"no CIS check {check_id} in {benchmark}")
