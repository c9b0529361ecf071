"""What systemd would run for the kubelet of a node, read from a copy of the node's filesystem.

``resolve_kubelet_service(root)`` treats ``root`` as the node's ``/``: it finds
the unit and its drop-ins the way systemd's unit search path does, applies
their directives in systemd's order, loads the environment files the service
would load at start, and expands ``ExecStart=`` into argv words that each know
the file and span their text came from.

Rules that matter and are easy to get wrong:

* The first unit file found on the search path wins; drop-ins are collected
  from ``<unit>.d/*.conf`` in every directory of the path, a drop-in of the
  same file name in a higher-priority directory hides the lower one, and all
  are applied in lexical order of file name, whichever directory they are in.
* Variables from ``EnvironmentFile=`` override ``Environment=`` for the same
  name (systemd.exec(5)); files are read in order when the service starts,
  so a missing file without ``-`` makes the start fail.
* More than one ``ExecStart=`` left after resets is refused unless
  ``Type=oneshot`` -- the usual cause is a drop-in without ``ExecStart=``
  (empty) before its own ``ExecStart=``.

Symlinks are followed inside ``root`` only, as in a chroot: absolute targets
are taken relative to ``root``, a target that climbs above it is reported and
not followed, a link to ``/dev/null`` masks. Nothing here raises on a broken
tree; every oddity becomes a ``ResolveProblem``.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import stat
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kubelint.diagnostics import Location, Severity, Span
from kubelint.loaders.cmdline import EnvValue, UnsetVariable, Word, expand_exec_start, word_from_mapped
from kubelint.loaders.envfile import EnvAssignment, EnvFile, parse_env_file
from kubelint.loaders.systemd import (
    Directive,
    ExecCommand,
    Extract,
    UnitFile,
    UnitProblem,
    environment_file_entries,
    exec_start_words,
    is_dropin_path,
    parse_unit,
    specifiers_for_unit,
    split_environment_assignments,
    split_words,
)
from kubelint.loaders.textpos import MappedText

UNIT_SEARCH_PATH: tuple[str, ...] = (
    "/etc/systemd/system.control",
    "/run/systemd/system.control",
    "/run/systemd/transient",
    "/run/systemd/generator.early",
    "/etc/systemd/system",
    "/etc/systemd/system.attached",
    "/run/systemd/system",
    "/run/systemd/system.attached",
    "/run/systemd/generator",
    "/usr/local/lib/systemd/system",
    "/usr/lib/systemd/system",
    "/lib/systemd/system",
    "/run/systemd/generator.late",
)
"""systemd's system unit search path, highest priority first (Debian builds put /lib before /usr/lib)."""

MAX_SYMLINKS = 40
MAX_FILE_BYTES = 8 * 1024 * 1024
# units and env files are parsed with a position per character (~100 bytes
# each): bound them like kubelint.analysis.MAX_UNIT_TEXT does for loose files
MAX_UNIT_BYTES = 1024 * 1024
MANAGER_ENVIRONMENT: Mapping[str, str] = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"}
SERVICE_SECTION = "Service"
# Names kubeadm and common binary installs use: an unset reference close to one of them is a typo.
WELL_KNOWN_VARIABLES = (
    "KUBELET_KUBECONFIG_ARGS",
    "KUBELET_CONFIG_ARGS",
    "KUBELET_KUBEADM_ARGS",
    "KUBELET_EXTRA_ARGS",
    "KUBELET_OPTS",
    "KUBELET_ARGS",
)

FileRole = Literal["unit", "drop-in", "environment-file"]
VariableSource = Literal["Environment", "EnvironmentFile", "manager"]


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResolveProblem:
    """A finding about the service; ``fatal`` when it keeps the service from starting at all."""

    location: Location | None
    message: str
    kind: str
    severity: Severity = Severity.ERROR
    fatal: bool = False


@dataclass(frozen=True, slots=True)
class UsedFile:
    """A file the service reads; ``path`` is relative to the root, after following symlinks."""

    role: FileRole
    path: str
    requested: str
    text: str


@dataclass(frozen=True, slots=True)
class LoadedEnvFile:
    env_file: EnvFile
    optional: bool
    loaded_by: Location


@dataclass(frozen=True, slots=True)
class EnvVariable:
    """A variable of the service's final environment and where it was set.

    ``overrides`` lists earlier assignments of the same name that this one
    replaced, oldest first.
    """

    name: str
    value: str
    mapped: MappedText
    location: Location | None
    name_location: Location | None
    source: VariableSource
    origin: str
    loaded_by: Location | None = None
    overrides: tuple[Location, ...] = ()

    def as_env_value(self) -> EnvValue:
        return EnvValue(self.mapped, self.location.path if self.location else None, self.origin)


@dataclass(frozen=True, slots=True)
class ResolvedService:
    """The kubelet service as systemd would start it.

    ``argv`` is what the process receives (``argv[0]`` is the executable
    unless the ``@`` prefix names another); ``arguments`` is ``argv[1:]``,
    the input for flag parsing. ``environment`` is the final environment;
    ``unit_environment`` holds only what ``Environment=`` lines set, and
    ``environment_file_settings`` the ``EnvironmentFile=`` values in effect
    as written (``-`` prefix included), which is what ``systemctl show`` lists.
    """

    root: Path
    unit_name: str
    unit: UnitFile | None
    dropins: tuple[UnitFile, ...]
    env_files: tuple[LoadedEnvFile, ...]
    files: tuple[UsedFile, ...]
    environment: Mapping[str, EnvVariable]
    exec_command: ExecCommand | None
    exec_location: Location | None
    executable: Word | None
    argv: tuple[Word, ...]
    unset_variables: tuple[UnsetVariable, ...]
    problems: tuple[ResolveProblem, ...]
    service_type: str = "simple"
    masked: bool = False
    masked_dropins: tuple[str, ...] = ()
    unit_environment: Mapping[str, EnvVariable] = field(default_factory=dict)
    environment_file_settings: tuple[str, ...] = ()

    @property
    def arguments(self) -> tuple[Word, ...]:
        return self.argv[1:]

    @property
    def found(self) -> bool:
        return self.unit is not None

    @property
    def will_start(self) -> bool:
        """False when systemd would refuse to load or start the service."""
        return self.found and not self.masked and not any(problem.fatal for problem in self.problems)


# ---------------------------------------------------------------------------
# The node's filesystem, seen from inside
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NodePath:
    """Where a node path leads inside the root.

    ``node_path`` is the absolute path on the node after following symlinks;
    ``error`` says why it could not be followed (then ``host_path`` is None).
    """

    requested: str
    node_path: str
    host_path: Path | None
    masked: bool = False
    error: str | None = None

    @property
    def display(self) -> str:
        return self.node_path.lstrip("/")


class NodeFilesystem:
    """Reads a node's files under ``root`` without ever leaving it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def resolve(self, node_path: str) -> NodePath:
        pending = deque(part for part in node_path.split("/") if part not in ("", "."))
        current: list[str] = []
        links = 0
        while pending:
            part = pending.popleft()
            if part == "..":
                if not current:
                    return self._failed(node_path, current, pending, "climbs above the node root (not followed)")
                current.pop()
                continue
            candidate = self.root.joinpath(*current, part)
            try:
                info = os.lstat(candidate)
            except FileNotFoundError:
                return self._failed(node_path, [*current, part], pending, "does not exist")
            except NotADirectoryError:
                return self._failed(node_path, current, pending, "has a file where a directory is expected")
            except OSError as error:
                return self._failed(node_path, [*current, part], pending, f"cannot be read ({error.strerror})")
            if not stat.S_ISLNK(info.st_mode):
                current.append(part)
                continue
            links += 1
            if links > MAX_SYMLINKS:
                return self._failed(node_path, [*current, part], pending, "is part of a symlink loop")
            target = self._read_link(candidate)
            if target is None:
                return self._failed(node_path, [*current, part], pending, "is a symlink that cannot be read")
            if _is_dev_null(target, current):
                return NodePath(node_path, "/dev/null", None, masked=True)
            if target.startswith("/"):
                current = []
            pending.extendleft(reversed([piece for piece in target.split("/") if piece not in ("", ".")]))
        return NodePath(node_path, "/" + "/".join(current), self.root.joinpath(*current))

    def _read_link(self, path: Path) -> str | None:
        try:
            return os.readlink(path)
        except OSError:
            return None

    def _failed(self, requested: str, reached: list[str], pending: deque[str], reason: str) -> NodePath:
        node_path = "/" + "/".join([*reached, *pending])
        return NodePath(requested, node_path, None, error=reason)

    def read_text(self, resolved: NodePath, limit: int = MAX_FILE_BYTES) -> tuple[str | None, str | None]:
        """The file's text (undecodable bytes kept as surrogates), or why it cannot be read."""
        if resolved.host_path is None:
            return None, resolved.error or "cannot be read"
        try:
            info = os.stat(resolved.host_path)
        except OSError as error:
            return None, f"cannot be read ({error.strerror})"
        if stat.S_ISDIR(info.st_mode):
            return None, "is a directory, not a file"
        if not stat.S_ISREG(info.st_mode):
            return None, "is not a regular file"
        if info.st_size > limit:
            return None, f"is too large ({info.st_size} bytes)"
        try:
            data = resolved.host_path.read_bytes()
        except OSError as error:
            return None, f"cannot be read ({error.strerror})"
        return data.decode("utf-8", errors="surrogateescape"), None

    def list_directory(self, node_dir: str) -> tuple[NodePath, list[str]]:
        resolved = self.resolve(node_dir)
        if resolved.host_path is None:
            return resolved, []
        try:
            return resolved, sorted(entry.name for entry in os.scandir(resolved.host_path))
        except OSError:
            return resolved, []

    def glob(self, pattern: str) -> list[str]:
        """Node paths matching a glob pattern, sorted like glob(3); hidden names need a leading dot."""
        matches = [""]
        for part in (piece for piece in pattern.split("/") if piece):
            matches = [found for base in matches for found in self._glob_step(base, part)]
        return sorted(matches)

    def _glob_step(self, base: str, part: str) -> list[str]:
        if not any(char in part for char in "*?["):
            return [f"{base}/{part}"]
        _, names = self.list_directory(base or "/")
        return [f"{base}/{name}" for name in names if fnmatch.fnmatchcase(name, part) and _visible(name, part)]


def _visible(name: str, pattern: str) -> bool:
    return not name.startswith(".") or pattern.startswith(".")


def _is_dev_null(target: str, current: list[str]) -> bool:
    absolute = target if target.startswith("/") else "/" + "/".join([*current, target])
    return os.path.normpath(absolute) == "/dev/null"


# ---------------------------------------------------------------------------
# Finding the unit and its drop-ins
# ---------------------------------------------------------------------------


def dropin_directory_names(unit_name: str) -> tuple[list[str], str]:
    """The unit's own drop-in directories, most specific first, and the type-wide one.

    ``kubelet.service`` gives ``kubelet.service.d``; a dashed name such as
    ``kube-let.service`` adds ``kube-.service.d``; every service also reads
    ``service.d``.
    """
    stem, _, suffix = unit_name.rpartition(".")
    names = [f"{unit_name}.d"]
    pieces = stem.split("-")
    for count in range(len(pieces) - 1, 0, -1):
        names.append("-".join(pieces[:count]) + f"-.{suffix}.d")
    return names, f"{suffix}.d"


class _Resolver:
    def __init__(self, root: Path, unit_name: str) -> None:
        self.root = root
        self.unit_name = unit_name
        self.fs = NodeFilesystem(root)
        self.problems: list[ResolveProblem] = []
        self.files: list[UsedFile] = []
        self.masked_dropins: list[str] = []
        self.masked = False

    # -- problems --

    def problem(
        self,
        location: Location | None,
        message: str,
        kind: str,
        severity: Severity = Severity.ERROR,
        *,
        fatal: bool = False,
    ) -> None:
        self.problems.append(ResolveProblem(location, message, kind, severity, fatal))

    def unit_problems(self, path: str, problems: list[UnitProblem] | tuple[UnitProblem, ...]) -> None:
        for found in problems:
            location = Location(path, found.span)
            self.problem(location, found.message, found.kind, found.severity, fatal=found.fatal)

    # -- files --

    def find_unit(self) -> tuple[NodePath, str] | None:
        """The first readable unit file on the search path, with its text; None when masked or absent."""
        for directory in UNIT_SEARCH_PATH:
            requested = f"{directory}/{self.unit_name}"
            resolved = self.fs.resolve(requested)
            if resolved.masked:
                self._report_masked(requested.lstrip("/"), f"{requested} points to /dev/null")
                return None
            if resolved.error == "does not exist" and resolved.node_path == requested:
                continue
            text, error = self.fs.read_text(resolved, MAX_UNIT_BYTES)
            if text is None:
                # systemd only considers regular files and symlinks to them; it looks further down the path.
                self.problem(None, f"{requested} {error}: skipped", "unreadable-file", Severity.WARNING)
                continue
            if not text.strip():
                self._report_masked(resolved.display, f"{resolved.display} is empty")
                return None
            return resolved, text
        return None

    def _report_masked(self, path: str, why: str) -> None:
        self.masked = True
        message = f"{self.unit_name} is masked ({why}): systemd will not start it"
        self.problem(Location(path, Span(1, 1, 1, 1)), message, "masked", fatal=True)

    def load_unit_file(self, resolved: NodePath, role: FileRole, text: str | None = None) -> UnitFile | None:
        if text is None:
            text, error = self.fs.read_text(resolved, MAX_UNIT_BYTES)
            if text is None:
                self.problem(None, f"{resolved.requested} {error}", "unreadable-file", Severity.WARNING)
                return None
        self.files.append(UsedFile(role, resolved.display, resolved.requested, text))
        if _has_surrogates(text):
            location = Location(resolved.display, Span(1, 1, 1, 1))
            self.problem(location, "file is not valid UTF-8", "invalid-utf8", Severity.WARNING)
        unit = parse_unit(text, resolved.display, unit_type=self.unit_name.rpartition(".")[2])
        self.unit_problems(resolved.display, unit.problems)
        return unit

    def find_dropins(self) -> list[NodePath]:
        """Drop-ins in application order: lexical by file name, the highest-priority one per name."""
        chosen: dict[str, NodePath] = {}
        own_dirs, type_dir = dropin_directory_names(self.unit_name)
        # systemd lists the unit's own directories on every search path before the type-wide ones.
        for directory in UNIT_SEARCH_PATH:
            for dropin_dir in own_dirs:
                self._collect_dropins(f"{directory}/{dropin_dir}", chosen)
        for directory in UNIT_SEARCH_PATH:
            self._collect_dropins(f"{directory}/{type_dir}", chosen)
        return [chosen[name] for name in sorted(chosen)]

    def _collect_dropins(self, node_dir: str, chosen: dict[str, NodePath]) -> None:
        resolved_dir, names = self.fs.list_directory(node_dir)
        if resolved_dir.error not in (None, "does not exist"):
            self.problem(None, f"{node_dir} {resolved_dir.error}", "unreadable-file", Severity.WARNING)
        for name in names:
            if not name.endswith(".conf"):
                self._report_ignored_dropin(node_dir, name)
                continue
            if name in chosen:
                self._report_hidden_dropin(chosen[name], f"{node_dir}/{name}")
                continue
            chosen[name] = self.fs.resolve(f"{node_dir}/{name}")

    def _report_ignored_dropin(self, node_dir: str, name: str) -> None:
        path = f"{node_dir}/{name}".lstrip("/")
        message = f"{path} does not end in .conf: systemd ignores it"
        self.problem(Location(path, Span(1, 1, 1, 1)), message, "ignored-dropin", Severity.INFO)

    def _report_hidden_dropin(self, winner: NodePath, loser: str) -> None:
        message = f"{loser.lstrip('/')} is hidden by {winner.requested.lstrip('/')} (same file name, higher priority)"
        self.problem(Location(loser.lstrip("/"), Span(1, 1, 1, 1)), message, "masked-dropin", Severity.INFO)

    def load_dropins(self) -> list[UnitFile]:
        dropins: list[UnitFile] = []
        for resolved in self.find_dropins():
            if resolved.masked:
                self.masked_dropins.append(resolved.requested.lstrip("/"))
                continue
            if resolved.error is not None:
                self.problem(
                    None, f"drop-in {resolved.requested} {resolved.error}", "unreadable-file", Severity.WARNING
                )
                continue
            dropin = self.load_unit_file(resolved, "drop-in")
            if dropin is not None:
                dropins.append(dropin)
        return dropins

    def specifiers(self, unit_path: str) -> dict[str, str]:
        values = specifiers_for_unit(self.unit_name, "/" + unit_path)
        values.update(self._host_specifiers())
        return values

    def _host_specifiers(self) -> dict[str, str]:
        found: dict[str, str] = {}
        hostname = self._first_line("/etc/hostname")
        if hostname:
            found["H"] = hostname
            found["l"] = hostname.partition(".")[0]
        machine_id = self._first_line("/etc/machine-id")
        if machine_id:
            found["m"] = machine_id
        return found

    def _first_line(self, node_path: str) -> str | None:
        text, _ = self.fs.read_text(self.fs.resolve(node_path))
        if not text:
            return None
        return text.strip().partition("\n")[0].strip() or None


# ---------------------------------------------------------------------------
# Applying directives
# ---------------------------------------------------------------------------


@dataclass
class _PlacedCommand:
    command: ExecCommand
    path: str
    directive: Directive


@dataclass
class _ServiceSettings:
    """The [Service] settings this resolver models, accumulated in directive order."""

    environment: dict[str, EnvVariable] = field(default_factory=dict)
    environment_files: list[tuple[str, bool, Location]] = field(default_factory=list)
    commands: list[_PlacedCommand] = field(default_factory=list)
    unset: list[MappedText] = field(default_factory=list)
    service_type: str = "simple"


def _apply(settings: _ServiceSettings, unit: UnitFile, resolver: _Resolver, specifiers: Mapping[str, str]) -> None:
    for directive in unit.directives:
        if directive.section != SERVICE_SECTION:
            continue
        handler = _DIRECTIVE_HANDLERS.get(directive.key)
        if handler is not None:
            problems: list[UnitProblem] = []
            handler(settings, directive, unit.path, specifiers, problems)
            resolver.unit_problems(unit.path, problems)


def _apply_environment(
    settings: _ServiceSettings,
    directive: Directive,
    path: str,
    specifiers: Mapping[str, str],
    problems: list[UnitProblem],
) -> None:
    if not directive.value:
        settings.environment.clear()
        return
    for assignment in split_environment_assignments(directive, specifiers=specifiers, problems=problems):
        _set_variable(settings.environment, _variable(assignment, path, "Environment", None))


def _apply_environment_file(
    settings: _ServiceSettings,
    directive: Directive,
    path: str,
    specifiers: Mapping[str, str],
    problems: list[UnitProblem],
) -> None:
    if not directive.value:
        settings.environment_files.clear()
        return
    for entry in environment_file_entries(directive, specifiers=specifiers, problems=problems):
        settings.environment_files.append((entry.path, entry.optional, Location(path, entry.span)))


def _apply_exec_start(
    settings: _ServiceSettings,
    directive: Directive,
    path: str,
    specifiers: Mapping[str, str],
    problems: list[UnitProblem],
) -> None:
    if not directive.value:
        settings.commands.clear()
        return
    commands = exec_start_words(directive, specifiers=specifiers, problems=problems, in_dropin=is_dropin_path(path))
    for command in commands:
        settings.commands.append(_PlacedCommand(command, path, directive))


def _apply_unset_environment(
    settings: _ServiceSettings,
    directive: Directive,
    path: str,
    specifiers: Mapping[str, str],
    problems: list[UnitProblem],
) -> None:
    if not directive.value:
        settings.unset.clear()
        return
    words, _ = split_words(directive.value, Extract.UNQUOTE | Extract.CUNESCAPE)
    settings.unset.extend(words)


def _apply_type(
    settings: _ServiceSettings,
    directive: Directive,
    path: str,
    specifiers: Mapping[str, str],
    problems: list[UnitProblem],
) -> None:
    settings.service_type = directive.value.text or "simple"


_DIRECTIVE_HANDLERS = {
    "Environment": _apply_environment,
    "EnvironmentFile": _apply_environment_file,
    "ExecStart": _apply_exec_start,
    "UnsetEnvironment": _apply_unset_environment,
    "Type": _apply_type,
}


def _variable(assignment: EnvAssignment, path: str, source: VariableSource, loaded_by: Location | None) -> EnvVariable:
    return EnvVariable(
        name=assignment.name,
        value=assignment.value.text,
        mapped=assignment.value,
        location=Location(path, assignment.value_span),
        name_location=Location(path, assignment.name_span),
        source=source,
        origin=f"{assignment.name} in {path}:{assignment.line}",
        loaded_by=loaded_by,
    )


def _set_variable(environment: dict[str, EnvVariable], variable: EnvVariable) -> None:
    previous = environment.pop(variable.name, None)
    if previous is not None and previous.location is not None:
        variable = _with_overrides(variable, (*previous.overrides, previous.location, *variable.overrides))
    environment[variable.name] = variable


def _with_overrides(variable: EnvVariable, overrides: tuple[Location, ...]) -> EnvVariable:
    return EnvVariable(
        variable.name,
        variable.value,
        variable.mapped,
        variable.location,
        variable.name_location,
        variable.source,
        variable.origin,
        variable.loaded_by,
        overrides,
    )


# ---------------------------------------------------------------------------
# Starting the service: environment files, final environment, argv
# ---------------------------------------------------------------------------


def _load_environment_files(
    settings: _ServiceSettings, resolver: _Resolver
) -> tuple[list[LoadedEnvFile], dict[str, EnvVariable]]:
    loaded: list[LoadedEnvFile] = []
    variables: dict[str, EnvVariable] = {}
    for pattern, optional, loaded_by in settings.environment_files:
        for node_path in _expand_env_file_pattern(resolver, pattern):
            env_file = _load_one_env_file(resolver, node_path, optional, loaded_by)
            if env_file is None:
                continue
            loaded.append(LoadedEnvFile(env_file, optional, loaded_by))
            for assignment in env_file.assignments:
                _set_variable(variables, _variable(assignment, env_file.path, "EnvironmentFile", loaded_by))
    return loaded, variables


def _expand_env_file_pattern(resolver: _Resolver, pattern: str) -> list[str]:
    if not any(char in pattern for char in "*?["):
        return [pattern]
    matches = resolver.fs.glob(pattern)
    return matches or [pattern]


def _load_one_env_file(resolver: _Resolver, node_path: str, optional: bool, loaded_by: Location) -> EnvFile | None:
    resolved = resolver.fs.resolve(node_path)
    text, error = resolver.fs.read_text(resolved, MAX_UNIT_BYTES) if not resolved.masked else ("", None)
    if text is None:
        _report_missing_env_file(resolver, node_path, optional, loaded_by, error or "cannot be read")
        return None
    resolver.files.append(UsedFile("environment-file", resolved.display, node_path, text))
    env_file = parse_env_file(text, resolved.display)
    for found in env_file.problems:
        resolver.problem(Location(env_file.path, found.span), found.message, found.kind, found.severity)
    if any(found.kind == "invalid-utf8" for found in env_file.problems):
        _report_missing_env_file(resolver, node_path, optional, loaded_by, "is not valid UTF-8")
        return None
    return env_file


def _report_missing_env_file(
    resolver: _Resolver, node_path: str, optional: bool, loaded_by: Location, reason: str
) -> None:
    if optional:
        message = f"EnvironmentFile=-{node_path} {reason}: ignored (the '-' makes it optional)"
        resolver.problem(loaded_by, message, "optional-environment-file-missing", Severity.INFO)
        return
    message = (
        f"EnvironmentFile={node_path} {reason}: the service fails to start "
        f"(write EnvironmentFile=-{node_path} if the file is optional)"
    )
    resolver.problem(loaded_by, message, "environment-file-missing", Severity.ERROR, fatal=True)


def _final_environment(settings: _ServiceSettings, file_variables: Mapping[str, EnvVariable]) -> dict[str, EnvVariable]:
    environment: dict[str, EnvVariable] = {
        name: EnvVariable(
            name, value, MappedText.unmapped(value), None, None, "manager", f"{name} from the service manager"
        )
        for name, value in MANAGER_ENVIRONMENT.items()
    }
    for variable in settings.environment.values():
        _set_variable(environment, variable)
    for variable in file_variables.values():
        _set_variable(environment, variable)
    for pattern in settings.unset:
        _unset_matching(environment, pattern.text)
    return environment


def _unset_matching(environment: dict[str, EnvVariable], pattern: str) -> None:
    name, equals, value = pattern.partition("=")
    variable = environment.get(name)
    if variable is not None and (not equals or variable.value == value):
        del environment[name]


def _select_command(settings: _ServiceSettings, resolver: _Resolver) -> _PlacedCommand | None:
    commands = settings.commands
    if not commands:
        resolver.problem(
            None, "no ExecStart= is left after resets: systemd refuses to load the service", "no-exec-start", fatal=True
        )
        return None
    if len(commands) > 1 and settings.service_type != "oneshot":
        extra = commands[-1]
        first = commands[0]
        message = (
            f"{len(commands)} ExecStart= commands remain (the first in {first.path}:{first.directive.line}): "
            f"systemd refuses a Type={settings.service_type} service with more than one; "
            "put an empty ExecStart= before the drop-in's own ExecStart= (kubelint uses the last one)"
        )
        resolver.problem(Location(extra.path, extra.directive.key_span), message, "multiple-exec-start", fatal=True)
    return commands[-1]


def _expand_command(
    placed: _PlacedCommand, environment: Mapping[str, EnvVariable], resolver: _Resolver
) -> tuple[Word, list[Word], list[UnsetVariable]]:
    via = (f"ExecStart in {placed.path}:{placed.directive.line}",)
    command = placed.command
    executable = word_from_mapped(command.path, placed.path, via)
    words = [word_from_mapped(mapped, placed.path, via) for mapped in command.argv]
    if not command.expands_environment:
        return executable, words, []
    unset: list[UnsetVariable] = []
    env_values = {name: variable.as_env_value() for name, variable in environment.items()}
    expanded = expand_exec_start(words, env_values, unset=unset)
    for reference in unset:
        _report_unset(resolver, reference, environment)
    return executable, expanded, unset


def _report_unset(resolver: _Resolver, reference: UnsetVariable, environment: Mapping[str, EnvVariable]) -> None:
    suggestion = _closest_name(reference.name, [*environment, *WELL_KNOWN_VARIABLES])
    if reference.invalid_name:
        message = f"${reference.name} is not a valid variable name: systemd expands it to nothing"
        kind = "invalid-variable-name"
    else:
        message = f"${reference.name} is not set: systemd expands it to nothing"
        kind = "unset-variable"
    if suggestion is not None:
        message += f" (did you mean ${suggestion}?)"
    severity = Severity.ERROR if suggestion is not None or reference.invalid_name else Severity.INFO
    resolver.problem(reference.location, message, kind, severity)


def _closest_name(name: str, candidates: list[str]) -> str | None:
    candidates = [candidate for candidate in dict.fromkeys(candidates) if candidate != name]
    for candidate in candidates:
        if candidate.lower() == name.lower() and candidate != name:
            return candidate
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.8)
    return close[0] if close else None


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= char <= "\udcff" for char in text)


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def resolve_kubelet_service(root: Path, unit_name: str = "kubelet.service") -> ResolvedService:
    """Resolve ``unit_name`` on the node whose ``/`` is ``root``; never raises on a broken tree."""
    resolver = _Resolver(root, unit_name)
    found = resolver.find_unit()
    if found is None:
        if not resolver.masked:
            searched = ", ".join(directory.lstrip("/") for directory in UNIT_SEARCH_PATH[4:])
            resolver.problem(None, f"{unit_name} not found in {searched}", "unit-not-found", fatal=True)
        return _empty_result(resolver)
    unit_path, unit_text = found
    unit = resolver.load_unit_file(unit_path, "unit", unit_text)
    if unit is None:
        return _empty_result(resolver)
    dropins = resolver.load_dropins()
    specifiers = resolver.specifiers(unit.path)
    settings = _ServiceSettings()
    for unit_file in (unit, *dropins):
        _apply(settings, unit_file, resolver, specifiers)
    env_files, file_variables = _load_environment_files(settings, resolver)
    environment = _final_environment(settings, file_variables)
    placed = _select_command(settings, resolver)
    executable: Word | None = None
    argv: list[Word] = []
    unset: list[UnsetVariable] = []
    if placed is not None:
        executable, argv, unset = _expand_command(placed, environment, resolver)
    return ResolvedService(
        root=root,
        unit_name=unit_name,
        unit=unit,
        dropins=tuple(dropins),
        env_files=tuple(env_files),
        files=tuple(resolver.files),
        environment=environment,
        exec_command=placed.command if placed else None,
        exec_location=Location(placed.path, placed.directive.value_span) if placed else None,
        executable=executable,
        argv=tuple(argv),
        unset_variables=tuple(unset),
        problems=tuple(resolver.problems),
        service_type=settings.service_type,
        masked_dropins=tuple(resolver.masked_dropins),
        unit_environment=dict(settings.environment),
        environment_file_settings=tuple(
            ("-" if optional else "") + path for path, optional, _ in settings.environment_files
        ),
    )


def _empty_result(resolver: _Resolver) -> ResolvedService:
    return ResolvedService(
        root=resolver.root,
        unit_name=resolver.unit_name,
        unit=None,
        dropins=(),
        env_files=(),
        files=tuple(resolver.files),
        environment={},
        exec_command=None,
        exec_location=None,
        executable=None,
        argv=(),
        unset_variables=(),
        problems=tuple(resolver.problems),
        masked=resolver.masked,
    )
