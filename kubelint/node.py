"""The node view: what the kubelet on a node would actually run with.

From a node's filesystem (``--root``), a saved command line, or a group of
loose files that belong together, this builds:

- the kubelet's command line (systemd unit + drop-ins + environment files,
  expanded with provenance: ``kubelint.systemd_resolve``),
- the effective KubeletConfiguration: ``--config``, then ``--config-dir``
  drop-ins, then flags on top (``kubelint.kubelet_view``),
- the kubeconfigs named by ``--kubeconfig``/``--bootstrap-kubeconfig``,
- the container runtime's config at its default paths,
- the files the kubelet needs that are missing.

Every path here is a node path (``/var/lib/kubelet/config.yaml``); files are
shown relative to the root (``var/lib/kubelet/config.yaml``) and the
analysis prefixes them with how the user named the root.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kubelint import knowledge
from kubelint.diagnostics import FILE_START, Location, Severity, Span
from kubelint.discover import FileKind, classify
from kubelint.flag_values import ACCUMULATING_TYPES, FlagValueError, convert
from kubelint.kubelet_view import KubeletView, Origin, ViewBuilder, field_path
from kubelint.loaders.cmdline import (
    EnvValue,
    FlagOccurrence,
    ParsedFlags,
    Word,
    expand_exec_start,
    parse_kubelet_flags,
)
from kubelint.loaders.envfile import EnvFile, parse_env_file
from kubelint.loaders.problems import Problem
from kubelint.loaders.yaml import YamlDocument, load_yaml
from kubelint.models.defaults import Version
from kubelint.models.runtime import RuntimeConfig
from kubelint.systemd_resolve import NodeFilesystem, ResolvedService, resolve_kubelet_service

KUBELET_VARIABLE_ORDER = ("KUBELET_KUBECONFIG_ARGS", "KUBELET_CONFIG_ARGS", "KUBELET_KUBEADM_ARGS",
                          "KUBELET_EXTRA_ARGS", "KUBELET_OPTS", "KUBELET_ARGS")
CONTAINERD_CONFIG = "/etc/containerd/config.toml"
CRIO_CONFIG, CRIO_DROPINS = "/etc/crio/crio.conf", "/etc/crio/crio.conf.d"
DOCKER_CONFIG = "/etc/docker/daemon.json"


def is_bool_flag(name: str) -> bool:
    spec = knowledge.lookup_flag(name)
    return spec is not None and spec.type == "bool"


@dataclass(frozen=True)
class CommandLine:
    """The kubelet's arguments with provenance, and where to point for the whole."""

    words: tuple[Word, ...]
    flags: ParsedFlags
    origin: str
    anchor: Location | None

    def flag(self, name: str) -> FlagOccurrence | None:
        return self.flags.last(name)

    def value(self, name: str) -> str | None:
        occurrence = self.flags.last(name)
        return occurrence.effective_value if occurrence else None


def parse_command_line(words: Iterable[Word], origin: str, anchor: Location | None) -> CommandLine:
    words = tuple(words)
    return CommandLine(words, parse_kubelet_flags(words, is_bool_flag), origin, anchor)


def env_file_command_lines(env: EnvFile) -> list[CommandLine]:
    """Each ``KUBELET_*`` variable of an env file, read as kubelet arguments."""
    lines = []
    for assignment in env.assignments:
        if not assignment.name.startswith("KUBELET_"):
            continue
        origin = f"{assignment.name} in {env.path}:{assignment.line}"
        value = EnvValue(assignment.value, env.path, origin)
        words = expand_exec_start([Word("$" + assignment.name, None)], {assignment.name: value})
        anchor = Location(env.path, assignment.value_span)
        lines.append(parse_command_line(words, origin, anchor))
    return lines


@dataclass
class NodeDocument:
    """A YAML/JSON file the kubelet reads, parsed once."""

    display: str
    node_path: str
    text: str
    documents: list[YamlDocument]
    problems: list[Problem]


@dataclass(frozen=True)
class MissingFile:
    what: str
    node_path: str
    referenced_at: Location | None
    severity: Severity
    detail: str = ""


@dataclass
class NodeView:
    """Everything about one kubelet: command line, effective config, files."""

    version: Version
    root: Path | None
    service: ResolvedService | None
    command_line: CommandLine | None
    view: KubeletView
    config: NodeDocument | None = None
    config_node_path: str | None = None
    dropins: list[NodeDocument] = field(default_factory=list)
    config_dir: str | None = None
    kubeconfigs: dict[str, NodeDocument] = field(default_factory=dict)
    kubeconfig_paths: dict[str, str] = field(default_factory=dict)
    runtime: RuntimeConfig | None = None
    runtime_texts: dict[str, str] = field(default_factory=dict)
    missing: list[MissingFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # display → text, for code frames
    existing: set[str] = field(default_factory=set)  # node paths known to exist

    def exists(self, node_path: str) -> bool | None:
        """Whether a node path exists (None when there is no filesystem to ask)."""
        if self.root is None:
            return None
        return _fs(self.root).resolve(node_path).host_path is not None


def _fs(root: Path) -> NodeFilesystem:
    return NodeFilesystem(root)


def _display(node_path: str) -> str:
    return node_path.lstrip("/")


class NodeBuilder:
    """Reads a node's files (through ``NodeFilesystem``: never outside the root)."""

    def __init__(self, root: Path | None, version: Version, gate_defaults: dict[str, bool]) -> None:
        self.root = root
        self.fs = NodeFilesystem(root) if root is not None else None
        self.version = version
        self.gate_defaults = gate_defaults
        self.problems: list[Problem] = []
        self.texts: dict[str, str] = {}
        self.missing: list[MissingFile] = []

    # -- reading --

    def read(self, node_path: str) -> tuple[str | None, str | None]:
        """(display path, text) of a node file, or (display, None) when unreadable."""
        if self.fs is None:
            return _display(node_path), None
        resolved = self.fs.resolve(node_path)
        if resolved.error and "climbs above" in resolved.error:
            self.problems.append(Problem("symlink-escapes-root", Location(_display(node_path), FILE_START),
                                         f"{node_path} {resolved.error}"))
        text, _error = self.fs.read_text(resolved)
        display = resolved.display if resolved.host_path is not None else _display(node_path)
        if text is not None:
            if any("\udc80" <= ch <= "\udcff" for ch in text):
                self.problems.append(Problem("file-encoding", Location(display, FILE_START), "file is not valid UTF-8"))
                return display, None
            self.texts[display] = text
        return display, text

    def load_yaml_file(self, node_path: str) -> NodeDocument | None:
        display, text = self.read(node_path)
        if text is None or display is None:
            return None
        stream = load_yaml(text, display)
        problems = [Problem(p.kind, Location(display, p.span), p.message) for p in stream.problems]
        for document in stream.documents:
            problems.extend(Problem(p.kind, Location(display, p.span), p.message) for p in document.problems)
        return NodeDocument(display, node_path, text, stream.documents, problems)

    def list_config_dir(self, node_dir: str) -> list[str]:
        """``*.conf`` files under a --config-dir, recursively, in lexical path order."""
        if self.fs is None:
            return []
        found: list[str] = []
        pending = [node_dir.rstrip("/") or "/"]
        seen: set[str] = set()
        while pending:
            directory = pending.pop()
            resolved, names = self.fs.list_directory(directory)
            if resolved.host_path is None or resolved.node_path in seen:
                continue
            seen.add(resolved.node_path)
            for name in names:
                child = posixpath.join(directory, name)
                child_resolved = self.fs.resolve(child)
                if child_resolved.host_path is not None and child_resolved.host_path.is_dir():
                    pending.append(child)
                elif name.endswith(".conf"):
                    found.append(child)
        return sorted(found)


def build_from_root(root: Path, version: Version, gate_defaults: dict[str, bool],
                    *, unit_name: str = "kubelet.service") -> NodeView:
    service = resolve_kubelet_service(root, unit_name)
    builder = NodeBuilder(root, version, gate_defaults)
    command_line = None
    if service.found and service.exec_command is not None:
        command_line = parse_command_line(service.arguments, "ExecStart", service.exec_location)
    for used in service.files:
        builder.texts.setdefault(used.path, used.text)
    for loaded in service.env_files:
        builder.texts.setdefault(loaded.env_file.path, _env_text(root, loaded.env_file.path))
    return _build(builder, command_line, service)


def build_from_command_line(words: Iterable[Word], origin: str, root: Path | None, version: Version,
                            gate_defaults: dict[str, bool]) -> NodeView:
    builder = NodeBuilder(root, version, gate_defaults)
    command_line = parse_command_line(words, origin, None)
    return _build(builder, command_line, None)


def _env_text(root: Path, display: str) -> str:
    try:
        return (root / display).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _build(builder: NodeBuilder, command_line: CommandLine | None, service: ResolvedService | None) -> NodeView:
    anchor = (command_line.anchor if command_line and command_line.anchor else None) or Location("<kubelet>", FILE_START)
    view_builder = ViewBuilder(anchor)
    node = NodeView(builder.version, builder.root, service, command_line, view=None)  # type: ignore[arg-type]
    config_flag = command_line.flag("config") if command_line else None
    if config_flag is not None and config_flag.value:
        node.config_node_path = config_flag.value
        node.config = builder.load_yaml_file(config_flag.value)
        if node.config is None:
            builder.missing.append(MissingFile("kubelet config file (--config)", config_flag.value,
                                               config_flag.value_location, Severity.ERROR,
                                               "the kubelet exits at start when it cannot read its config file"))
        else:
            for document in node.config.documents:
                if _is_kubelet(document):
                    view_builder.add_document(document, "config")
                    # findings about defaults belong in the file that should change
                    view_builder.anchor = document.location(("kind",), key=True)
    dir_flag = command_line.flag("config-dir") if command_line else None
    if dir_flag is not None and dir_flag.value:
        node.config_dir = dir_flag.value
        for node_path in builder.list_config_dir(dir_flag.value):
            loaded = builder.load_yaml_file(node_path)
            if loaded is None:
                continue
            node.dropins.append(loaded)
            for document in loaded.documents:
                if _is_kubelet(document):
                    view_builder.add_document(document, "dropin")
    if command_line is not None:
        apply_flags(view_builder, command_line, builder.version)
    node.view = view_builder.build(builder.version, builder.gate_defaults)
    builder.problems.extend(node.view.problems)
    _load_kubeconfigs(builder, node, command_line)
    _load_runtime(builder, node)
    _check_referenced_files(builder, node)
    node.missing = builder.missing
    node.problems = builder.problems
    node.texts = builder.texts
    return node


def _is_kubelet(document: YamlDocument) -> bool:
    data = document.data
    return isinstance(data, dict) and (data.get("kind") == "KubeletConfiguration"
                                       or str(data.get("apiVersion", "")).startswith("kubelet.config.k8s.io/"))


def flag_origin(occurrence: FlagOccurrence) -> Origin:
    location = occurrence.value_location or occurrence.whole_location
    return Origin("flag", location, occurrence.name_location or occurrence.whole_location,
                  occurrence.via, None, occurrence.name)


def apply_flags(builder: ViewBuilder, command_line: CommandLine, version: Version) -> None:
    """Put every config-backed flag on top of the view, as the kubelet re-parses flags.

    Values that do not parse are left to the flag rules, which report them.
    """
    by_name: dict[str, list[FlagOccurrence]] = {}
    for occurrence in command_line.flags.occurrences:
        by_name.setdefault(occurrence.name, []).append(occurrence)
    for name, occurrences in by_name.items():
        spec = knowledge.lookup_flag(name)
        if spec is None or spec.config_field is None or spec.is_removed(version):
            continue
        path = field_path(spec.config_field)
        if spec.type in ACCUMULATING_TYPES:
            _apply_map_flag(builder, path, spec.type, spec.config_field, occurrences)
            continue
        last = occurrences[-1]
        text = last.effective_value
        if text is None:
            continue
        try:
            value = convert(spec.type, text, config_field=spec.config_field)
        except FlagValueError:
            continue
        builder.add_flag_value(path, value, flag_origin(last))


def _apply_map_flag(builder: ViewBuilder, path: tuple[str, ...], flag_type: str, config_field: str,
                    occurrences: list[FlagOccurrence]) -> None:
    merged: dict[str, Any] | list[Any] | None = None
    origins: dict[str, Origin] = {}
    for occurrence in occurrences:
        text = occurrence.effective_value
        if text is None:
            continue
        try:
            value = convert(flag_type, text, config_field=config_field)
        except FlagValueError:
            continue
        if isinstance(value, list):
            merged = [*(merged if isinstance(merged, list) else []), *value]
        elif isinstance(value, dict):
            merged = {**(merged if isinstance(merged, dict) else {}), **value}
            for key in value:
                origins[key] = flag_origin(occurrence)
    if merged is None:
        return
    last = flag_origin(occurrences[-1])
    if path == ("featureGates",) and isinstance(merged, dict):
        for gate, enabled in merged.items():
            builder.add_flag_value(path, {gate: enabled}, origins.get(gate, last))
        return
    builder.add_flag_value(path, merged, last)
    for key, origin in origins.items():
        builder.origins[(*path, key)] = origin


def _load_kubeconfigs(builder: NodeBuilder, node: NodeView, command_line: CommandLine | None) -> None:
    if command_line is None:
        return
    for role, flag in (("kubeconfig", "kubeconfig"), ("bootstrap", "bootstrap-kubeconfig")):
        occurrence = command_line.flag(flag)
        if occurrence is None or not occurrence.value:
            continue
        node.kubeconfig_paths[role] = occurrence.value
        loaded = builder.load_yaml_file(occurrence.value)
        if loaded is not None:
            node.kubeconfigs[role] = loaded
    kubeconfig = node.kubeconfig_paths.get("kubeconfig")
    bootstrap = node.kubeconfig_paths.get("bootstrap")
    if builder.root is None:
        return
    if kubeconfig and "kubeconfig" not in node.kubeconfigs and not (bootstrap and "bootstrap" in node.kubeconfigs):
        occurrence = command_line.flag("kubeconfig")
        detail = ("and no bootstrap kubeconfig to create it from" if bootstrap else
                  "and no --bootstrap-kubeconfig is given to create it")
        builder.missing.append(MissingFile("kubeconfig (--kubeconfig)", kubeconfig,
                                           occurrence.value_location if occurrence else None, Severity.ERROR,
                                           f"the kubelet cannot reach the API server: the file is missing {detail}"))


def _load_runtime(builder: NodeBuilder, node: NodeView) -> None:
    if builder.fs is None:
        return
    from kubelint.loaders.runtime import load_containerd, load_crio, load_docker_daemon, merge_crio

    endpoint = str(node.view.get("containerRuntimeEndpoint") or "")
    wants = ("crio" if "crio" in endpoint else "docker" if "dockershim" in endpoint or "cri-dockerd" in endpoint
             else "containerd" if "containerd" in endpoint else None)
    if wants in (None, "containerd"):
        display, text = builder.read(CONTAINERD_CONFIG)
        if text is not None and display is not None:
            node.runtime = load_containerd(text, display)
            node.runtime_texts[display] = text
            return
    if wants in (None, "crio"):
        main = None
        display, text = builder.read(CRIO_CONFIG)
        if text is not None and display is not None:
            main = load_crio(text, display)
            node.runtime_texts[display] = text
        dropins = []
        _, names = builder.fs.list_directory(CRIO_DROPINS)
        for name in names:
            if name.endswith(".conf"):
                dropin_display, dropin_text = builder.read(f"{CRIO_DROPINS}/{name}")
                if dropin_text is not None and dropin_display is not None:
                    dropins.append(load_crio(dropin_text, dropin_display))
                    node.runtime_texts[dropin_display] = dropin_text
        if main is not None or dropins:
            node.runtime = merge_crio(main, dropins)
            return
    if wants in (None, "docker"):
        display, text = builder.read(DOCKER_CONFIG)
        if text is not None and display is not None:
            node.runtime = load_docker_daemon(text, display)
            node.runtime_texts[display] = text


def _check_referenced_files(builder: NodeBuilder, node: NodeView) -> None:
    """Files named in the effective config that the kubelet needs at start."""
    if builder.fs is None:
        return
    view = node.view
    config_dir = posixpath.dirname(node.config_node_path) if node.config_node_path else "/"
    needed = (
        ("authentication.x509.clientCAFile", "client CA file", Severity.ERROR,
         "the kubelet exits at start when it cannot load its client CA bundle"),
        ("tlsCertFile", "serving certificate", Severity.ERROR, "the kubelet cannot serve its API"),
        ("tlsPrivateKeyFile", "serving key", Severity.ERROR, "the kubelet cannot serve its API"),
        ("staticPodPath", "static pod directory", Severity.WARNING,
         "static pods (the control plane on kubeadm control-plane nodes) will not start"),
    )
    for path, what, severity, detail in needed:
        value = view.raw(path)
        if not isinstance(value, str) or not value:
            continue
        node_path = value if value.startswith("/") else posixpath.normpath(posixpath.join(config_dir, value))
        if builder.fs.resolve(node_path).host_path is None:
            builder.missing.append(MissingFile(what, node_path, view.where(path), severity, detail))


def group_node(files: dict[str, tuple[FileKind, str]], version: Version,
               gate_defaults: dict[str, bool]) -> NodeView | None:
    """A node view from loose files that belong together (one directory of a repo).

    ``files`` maps display path → (kind, text). The command line comes from
    the env files' ``KUBELET_*`` variables (kubeadm's order), and the config
    from the KubeletConfiguration among the files.
    """
    configs = [path for path, (kind, _) in files.items() if kind is FileKind.KUBELET_CONFIG]
    partners = [path for path, (kind, _) in files.items()
                if kind in (FileKind.ENV_FILE, FileKind.CONTAINERD, FileKind.CRIO, FileKind.DOCKER)]
    if len(configs) != 1 or not partners:
        return None
    words: list[Word] = []
    anchor: Location | None = None
    for path, (kind, text) in sorted(files.items(), key=lambda item: _env_rank(item[0])):
        if kind is not FileKind.ENV_FILE:
            continue
        for line in env_file_command_lines(parse_env_file(text, path)):
            words.extend(line.words)
            anchor = anchor or line.anchor
    command_line = parse_command_line(words, "env files", anchor) if words else None
    view_builder = ViewBuilder(command_line.anchor if command_line and command_line.anchor else Location(configs[0], FILE_START))
    config_text = files[configs[0]][1]
    stream = load_yaml(config_text, configs[0])
    config = NodeDocument(configs[0], configs[0], config_text, stream.documents, [])
    for document in stream.documents:
        if _is_kubelet(document):
            view_builder.add_document(document, "config")
    if command_line is not None:
        apply_flags(view_builder, command_line, version)
    view = view_builder.build(version, gate_defaults)
    node = NodeView(version, None, None, command_line, view, config=config, config_node_path=configs[0])
    _load_group_runtime(node, files)
    node.texts = {path: text for path, (_, text) in files.items()}
    return node


def _env_rank(path: str) -> tuple[int, str]:
    name = posixpath.basename(path)
    order = {"kubeadm-flags.env": 0, "kubelet": 1}
    return order.get(name, 2), path


def _load_group_runtime(node: NodeView, files: dict[str, tuple[FileKind, str]]) -> None:
    from kubelint.loaders.runtime import load_containerd, load_crio, load_docker_daemon, merge_crio

    crio = []
    for path, (kind, text) in sorted(files.items()):
        if kind is FileKind.CONTAINERD and node.runtime is None:
            node.runtime = load_containerd(text, path)
        elif kind is FileKind.CRIO:
            crio.append(load_crio(text, path))
        elif kind is FileKind.DOCKER and node.runtime is None:
            node.runtime = load_docker_daemon(text, path)
        else:
            continue
        node.runtime_texts[path] = text
    if crio and node.runtime is None:
        node.runtime = merge_crio(crio[0], crio[1:])


_UNIT_PATHS = ("etc/systemd/system/kubelet.service", "usr/lib/systemd/system/kubelet.service",
               "lib/systemd/system/kubelet.service", "etc/systemd/system/kubelet.service.d",
               "usr/lib/systemd/system/kubelet.service.d")


def find_node_roots(directory: Path) -> list[Path]:
    """Directories below ``directory`` that look like a node's filesystem.

    Found in the order of their ``kubelet.service*`` entries sorted as paths
    (component by component); a root inside one found before is part of it."""
    from kubelint.discover import walk_entries

    found = [text for text in walk_entries(directory) if os.path.basename(text).startswith("kubelet.service")]
    found.sort(key=lambda text: text.split(os.sep))
    roots: list[Path] = []
    known: set[tuple[str, ...]] = set()  # the roots' parts: a root below one of them is skipped
    for text in found:
        for candidate in _UNIT_PATHS:
            if text.endswith("/" + candidate):
                root = Path(text[: -len(candidate) - 1])
                parts = root.parts
                if not any(parts[:length] in known for length in range(1, len(parts) + 1)):
                    roots.append(root)
                    known.add(parts)
    return roots


def classify_group_files(paths: Iterable[tuple[str, str]]) -> dict[str, tuple[FileKind, str]]:
    grouped: dict[str, tuple[FileKind, str]] = {}
    for display, text in paths:
        kind = classify(text, display)
        if kind is not None:
            grouped[display] = (kind, text)
    return grouped


def anchor_span(location: Location | None) -> Span:
    return location.span if location else FILE_START
