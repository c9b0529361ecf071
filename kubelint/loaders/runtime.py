"""Container runtime configs (containerd, CRI-O, Docker) → cgroup driver settings.

Every loader takes the file's text and path and returns a RuntimeConfig; none
of them raises. What the runtime would silently ignore or refuse becomes a
RuntimeProblem at the exact span, because "the runtime ignored my setting"
is the commonest way a node ends up with mismatched cgroup drivers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from kubelint.diagnostics import FILE_START, Location, Severity, Span
from kubelint.loaders.toml_positions import (
    KeyPath,
    KeyPosition,
    TomlDocument,
    parse_toml,
)
from kubelint.models.runtime import (
    CgroupDriver,
    CgroupDriverSetting,
    ProblemKind,
    RuntimeConfig,
    RuntimeKind,
    RuntimeProblem,
    StringSetting,
)

__all__ = [
    "CONTAINERD_CRI_PLUGIN_IDS",
    "detect_runtime_kind",
    "load_containerd",
    "load_crio",
    "load_docker_daemon",
    "load_runtime",
    "merge_crio",
]


# -- shared helpers ----------------------------------------------------------


class _Problems:
    """Collects problems for one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[RuntimeProblem] = []

    def add(
        self,
        kind: ProblemKind,
        span: Span | None,
        message: str,
        severity: Severity,
        suggestion: str | None = None,
    ) -> None:
        self.items.append(RuntimeProblem(kind, self.path, span or FILE_START, message, severity, suggestion))


def _loader(
    kind: RuntimeKind,
) -> Callable[[Callable[[str, str], RuntimeConfig]], Callable[[str, str], RuntimeConfig]]:
    """Make a loader total: a bug in it must not take down a whole lint run."""

    def wrap(
        func: Callable[[str, str], RuntimeConfig],
    ) -> Callable[[str, str], RuntimeConfig]:
        @functools.wraps(func)
        def safe(text: str, path: str) -> RuntimeConfig:
            try:
                return func(text, path)
            except Exception as exc:  # loaders promise never to raise
                return _unreadable(
                    kind,
                    path,
                    "internal-error",
                    FILE_START,
                    f"kubelint could not read this {kind.label} config "
                    f"({type(exc).__name__}: {exc}); please report this",
                    Severity.INFO,
                )

        return safe

    return wrap


def _unreadable(
    kind: RuntimeKind,
    path: str,
    problem_kind: ProblemKind,
    span: Span,
    message: str,
    severity: Severity = Severity.ERROR,
    config_version: int | None = None,
) -> RuntimeConfig:
    """A config whose contents are unknown: defaults, plus the reason."""
    default = _DEFAULT_DRIVERS[kind]
    return RuntimeConfig(
        kind=kind,
        path=path,
        default_driver=replace(default, note=f"{default.note}; the file could not be read"),
        config_version=config_version,
        sources=(path,),
        problems=(RuntimeProblem(problem_kind, path, span, message, severity),),
    )


_DEFAULT_DRIVERS: dict[RuntimeKind, CgroupDriverSetting] = {
    RuntimeKind.CONTAINERD: CgroupDriverSetting(
        "cgroupfs", False, None, "runc", "containerd default: SystemdCgroup = false"
    ),
    RuntimeKind.CRIO: CgroupDriverSetting("systemd", False, None, None, 'CRI-O default: cgroup_manager = "systemd"'),
    RuntimeKind.DOCKER: CgroupDriverSetting(
        None,
        False,
        None,
        None,
        "Docker default: cgroupfs on cgroup v1, systemd on cgroup v2",
        host_default=("cgroupfs", "systemd"),
    ),
}


def _normalize_key(key: str) -> str:
    return re.sub(r"[\s_.\-]", "", key.lower())


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _near_miss(key: str, canonical: str, limit: int = 2) -> bool:
    """True when ``key`` looks like a misspelling of ``canonical`` (but is not it)."""
    if key == canonical:
        return False
    return _edit_distance(_normalize_key(key), _normalize_key(canonical), limit) <= limit


def _path_text(path: KeyPath) -> str:
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif re.fullmatch(r"[A-Za-z0-9_-]+", step):
            parts.append(step)
        else:
            parts.append(f'"{step}"')
    return ".".join(parts).replace(".[", "[")


def _walk(data: Any, prefix: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            path = (*prefix, key)
            yield path, value
            yield from _walk(value, path)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk(value, (*prefix, index))


def _driver_order(default: str | None, names: Iterable[str]) -> list[str]:
    """Default handler first, then the rest alphabetically (containerd's order)."""
    rest = sorted(name for name in set(names) if name != default)
    return ([default] if default is not None and default in set(names) else []) + rest


def _line(span: Span) -> str:
    return f"line {span.line}"


# -- containerd --------------------------------------------------------------

#: Where each containerd config schema version keeps the CRI runtime settings.
CONTAINERD_CRI_PLUGIN_IDS: dict[int, str] = {
    1: "cri",
    2: "io.containerd.grpc.v1.cri",
    3: "io.containerd.cri.v1.runtime",
}
_CONTAINERD_RELEASE = {1: "containerd 1.x", 2: "containerd 1.x", 3: "containerd 2.x"}
# Handler types that are runc underneath, so SystemdCgroup is theirs to read.
_RUNC_TYPES = frozenset({"io.containerd.runc.v2", "io.containerd.runc.v1"})
_LEGACY_LINUX_SHIM = "io.containerd.runtime.v1.linux"


class _Containerd:
    def __init__(self, doc: TomlDocument, path: str) -> None:
        self.doc = doc
        self.path = path
        self.problems = _Problems(path)
        # Paths already explained by a specific problem; the stray-key sweep skips them.
        self.explained: set[KeyPath] = set()

    def loc(self, span: Span | None) -> Location | None:
        return Location(self.path, span) if span is not None else None

    def anchor(self, path: KeyPath) -> Location | None:
        found = self.doc.nearest(path)
        return Location(self.path, found[1].key) if found is not None else None

    def key_span(self, path: KeyPath) -> Span | None:
        return self.doc.key_span(path)

    def value_span(self, path: KeyPath) -> Span | None:
        return self.doc.value_span(path)

    def load(self) -> RuntimeConfig:
        version = self.config_version()
        cri_id = CONTAINERD_CRI_PLUGIN_IDS[version]
        cri_path: KeyPath = ("plugins", cri_id)
        cri = self.doc.get(cri_path)
        cri = cri if isinstance(cri, dict) else {}
        containerd = cri.get("containerd")
        containerd = containerd if isinstance(containerd, dict) else {}

        default_name = self.default_runtime_name(containerd, cri_path)
        legacy = self.legacy_systemd_cgroup(cri, cri_path)
        drivers: dict[str, CgroupDriverSetting] = {}
        runc_based: dict[str, bool] = {}
        runtimes = containerd.get("runtimes")
        runtimes_path: KeyPath = (*cri_path, "containerd", "runtimes")
        if isinstance(runtimes, dict):
            for name, handler in runtimes.items():
                if not isinstance(handler, dict):
                    self.problems.add(
                        "invalid-value",
                        self.value_span((*runtimes_path, name)),
                        f"runtime handler {name!r} must be a table",
                        Severity.ERROR,
                    )
                    continue
                setting, is_runc = self.handler(name, handler, (*runtimes_path, name), legacy)
                drivers[name] = setting
                runc_based[name] = is_runc
        if default_name not in drivers and default_name == "runc":
            # containerd's built-in config always carries a runc handler.
            drivers["runc"] = replace(
                _DEFAULT_DRIVERS[RuntimeKind.CONTAINERD],
                note="built-in runc handler: SystemdCgroup defaults to false",
                anchor=self.anchor((*runtimes_path, "runc", "options")),
            )
            runc_based["runc"] = True
        elif default_name not in drivers:
            self.problems.add(
                "unknown-default-handler",
                self.value_span((*cri_path, "containerd", "default_runtime_name")),
                f"default_runtime_name is {default_name!r} but this file declares no such "
                "runtime handler (it may come from an imported file)",
                Severity.WARNING,
            )

        self.other_plugin_ids(version)
        self.stray_keys(cri_path)
        imports = self.imports()
        ordered = {name: drivers[name] for name in _driver_order(default_name, drivers)}
        return RuntimeConfig(
            kind=RuntimeKind.CONTAINERD,
            path=self.path,
            default_driver=self.reported_driver(default_name, ordered, runc_based, version),
            drivers=ordered,
            default_runtime_name=default_name,
            config_version=version,
            imports=imports,
            sources=(self.path,),
            problems=tuple(self.problems.items),
        )

    def config_version(self) -> int:
        raw = self.doc.data.get("version")
        span = self.value_span(("version",))
        if raw is None:
            return 1
        if isinstance(raw, bool) or not isinstance(raw, int):
            guess = self.guess_version()
            self.problems.add(
                "config-version",
                span,
                f"version must be an integer (1, 2 or 3), not {raw!r}; containerd refuses "
                f"to start (reading the rest as version {guess})",
                Severity.ERROR,
            )
            return guess
        if raw not in CONTAINERD_CRI_PLUGIN_IDS:
            guess = self.guess_version()
            self.problems.add(
                "config-version",
                span,
                f"unknown containerd config version {raw} (known: 1, 2, 3); reading the rest as version {guess}",
                Severity.ERROR,
            )
            return guess
        return raw

    def guess_version(self) -> int:
        plugins = self.doc.data.get("plugins")
        if isinstance(plugins, dict):
            for version in (3, 2, 1):
                if CONTAINERD_CRI_PLUGIN_IDS[version] in plugins:
                    return version
        return 2

    def default_runtime_name(self, containerd: dict[str, Any], cri_path: KeyPath) -> str:
        raw = containerd.get("default_runtime_name", "runc")
        if isinstance(raw, str) and raw:
            return raw
        self.problems.add(
            "invalid-value",
            self.value_span((*cri_path, "containerd", "default_runtime_name")),
            f"default_runtime_name must be a non-empty string, not {raw!r}",
            Severity.ERROR,
        )
        return "runc"

    def legacy_systemd_cgroup(self, cri: dict[str, Any], cri_path: KeyPath) -> tuple[bool, Span | None] | None:
        """The plugin-level ``systemd_cgroup``: read, warned about, returned for v1 shims."""
        if "systemd_cgroup" not in cri:
            return None
        path = (*cri_path, "systemd_cgroup")
        self.explained.add(path)
        raw = cri["systemd_cgroup"]
        span = self.value_span(path)
        if not isinstance(raw, bool):
            self.problems.add(
                "invalid-value",
                span,
                f"systemd_cgroup must be true or false, not {raw!r}",
                Severity.ERROR,
            )
            return None
        if not raw:
            # `containerd config default` writes `systemd_cgroup = false`; harmless.
            return raw, span
        self.problems.add(
            "legacy-systemd-cgroup",
            self.key_span(path),
            f"systemd_cgroup = {str(raw).lower()} only applies to the legacy "
            f"{_LEGACY_LINUX_SHIM} shim (removed in containerd 2.0); runc handlers read "
            "SystemdCgroup in [...containerd.runtimes.<handler>.options]",
            Severity.WARNING,
        )
        return raw, span

    def handler(
        self,
        name: str,
        handler: dict[str, Any],
        handler_path: KeyPath,
        legacy: tuple[bool, Span | None] | None,
    ) -> tuple[CgroupDriverSetting, bool]:
        runtime_type = handler.get("runtime_type")
        # A handler without runtime_type gets runc's type from containerd's defaults.
        is_runc = runtime_type is None or runtime_type in _RUNC_TYPES
        options_path = (*handler_path, "options")
        options = handler.get("options")
        key = (*options_path, "SystemdCgroup")
        anchor = self.anchor(options_path)
        default = CgroupDriverSetting(
            "cgroupfs",
            False,
            None,
            name,
            "SystemdCgroup not set: containerd defaults to false",
            anchor=anchor,
        )
        misspelled = self.misspellings(options, options_path) if isinstance(options, dict) else []
        if misspelled:
            default = replace(
                default,
                note=default.note
                + "; ignored: "
                + ", ".join(f"{k!r} at {_line(s)}" for k, s in misspelled if s is not None),
            )
        for stray, stray_value in handler.items():
            if stray == "SystemdCgroup" or _near_miss(stray, "SystemdCgroup"):
                stray_path = (*handler_path, stray)
                self.explained.add(stray_path)
                self.problems.add(
                    "misplaced-key",
                    self.key_span(stray_path),
                    f"{stray} directly under runtime handler {name!r} is ignored; "
                    f"it belongs in its options table ([{_path_text(options_path)}])",
                    Severity.ERROR if stray_value is True else Severity.WARNING,
                )

        if runtime_type == _LEGACY_LINUX_SHIM and legacy is not None:
            value, span = legacy
            return (
                CgroupDriverSetting(
                    "systemd" if value else "cgroupfs",
                    True,
                    self.loc(span),
                    name,
                    f"{_LEGACY_LINUX_SHIM} reads the plugin-level systemd_cgroup",
                ),
                True,
            )
        if not isinstance(options, dict) or "SystemdCgroup" not in options:
            note = default.note
            if not is_runc:
                note += f" (runtime_type {runtime_type!r} is not runc; it may ignore this option)"
            return replace(default, note=note), is_runc

        self.explained.add(key)
        raw = options["SystemdCgroup"]
        if not isinstance(raw, bool):
            self.problems.add(
                "invalid-value",
                self.value_span(key),
                f"SystemdCgroup must be true or false (unquoted), not {raw!r}; containerd "
                f"fails to create containers with handler {name!r}",
                Severity.ERROR,
            )
            return replace(default, note="SystemdCgroup is not a boolean"), is_runc
        note = f"SystemdCgroup = {str(raw).lower()}"
        if not is_runc:
            note += f" (runtime_type {runtime_type!r}: not runc-based)"
        setting = CgroupDriverSetting(
            "systemd" if raw else "cgroupfs",
            True,
            self.loc(self.value_span(key)),
            name,
            note,
        )
        return setting, is_runc

    def misspellings(self, options: dict[str, Any], options_path: KeyPath) -> list[tuple[str, Span | None]]:
        found: list[tuple[str, Span | None]] = []
        for key, value in options.items():
            if not _near_miss(key, "SystemdCgroup"):
                continue
            path = (*options_path, key)
            self.explained.add(path)
            span = self.key_span(path)
            found.append((key, span))
            if key.lower() == "systemdcgroup":
                message = (
                    f"{key!r} differs from SystemdCgroup only in case; whether containerd "
                    "honours it depends on its TOML decoder, so spell it SystemdCgroup"
                )
                severity = Severity.WARNING
            else:
                outcome = (
                    "SystemdCgroup set next to it decides"
                    if "SystemdCgroup" in options
                    else "SystemdCgroup stays false"
                )
                message = (
                    f"{key!r} is not a runc option and containerd silently ignores it "
                    f"({outcome}); did you mean SystemdCgroup?"
                )
                severity = Severity.ERROR if value is True else Severity.WARNING
            self.problems.add("misspelled-key", span, message, severity, suggestion="SystemdCgroup")
        return found

    def other_plugin_ids(self, version: int) -> None:
        """CRI runtime settings under a plugin ID this version does not read."""
        plugins = self.doc.data.get("plugins")
        if not isinstance(plugins, dict):
            return
        effective = CONTAINERD_CRI_PLUGIN_IDS[version]
        for other_version, plugin_id in CONTAINERD_CRI_PLUGIN_IDS.items():
            if plugin_id == effective or plugin_id not in plugins:
                continue
            section = plugins[plugin_id]
            plugin_path: KeyPath = ("plugins", plugin_id)
            if version == 3 and plugin_id == CONTAINERD_CRI_PLUGIN_IDS[2]:
                # containerd 2.x still has this plugin (the CRI gRPC server); only
                # the runtime part moved out of it.
                if not isinstance(section, dict) or "containerd" not in section:
                    continue
                plugin_path = (*plugin_path, "containerd")
                section = section["containerd"]
            settings = [
                path
                for path, value in _walk(section, plugin_path)
                if path[-1] in ("SystemdCgroup", "systemd_cgroup") and isinstance(value, bool)
            ]
            for path in _walk_paths(section, plugin_path):
                self.explained.add(path)
            if version == 1 and self.doc.data.get("version") is None:
                why = (
                    "this file has no `version` line, so containerd reads it as version 1 "
                    f"and looks under plugins.{CONTAINERD_CRI_PLUGIN_IDS[1]}"
                )
            else:
                why = (
                    f"this is a version {version} config, which keeps CRI runtime settings "
                    f"under plugins.{_path_text((effective,))}"
                )
            message = (
                f"plugins.{_path_text((plugin_id,))} is the version {other_version} "
                f"({_CONTAINERD_RELEASE[other_version]}) plugin ID; {why}"
            )
            if version == 3 and other_version == 2:
                message += "; its containerd.runtimes settings are ignored"
            if settings:
                for path in settings:
                    self.problems.add(
                        "plugin-version-mismatch",
                        self.value_span(path),
                        f"{path[-1]} here has no effect: {message}",
                        Severity.ERROR,
                    )
            else:
                self.problems.add(
                    "plugin-version-mismatch",
                    self.key_span(plugin_path),
                    message,
                    Severity.WARNING,
                )

    def stray_keys(self, cri_path: KeyPath) -> None:
        """SystemdCgroup look-alikes anywhere containerd would not read them."""
        for path, value in _walk(self.doc.data):
            if path in self.explained or any(path[:n] in self.explained for n in range(1, len(path))):
                continue
            key = path[-1]
            if not isinstance(key, str):
                continue
            if key != "SystemdCgroup" and not _near_miss(key, "SystemdCgroup"):
                continue
            if key == "systemd_cgroup" and path == (*cri_path, "systemd_cgroup"):
                continue
            runtimes = _path_text((*cri_path, "containerd", "runtimes"))
            self.problems.add(
                "misplaced-key",
                self.key_span(path),
                f"containerd does not read {key} at {_path_text(path)}; the cgroup driver is "
                f"set by SystemdCgroup in [{runtimes}.<handler>.options]"
                + (" (a line appended after the last table lands in that table)" if len(path) > 1 else ""),
                Severity.ERROR if value is True else Severity.WARNING,
            )

    def imports(self) -> tuple[str, ...]:
        raw = self.doc.data.get("imports")
        if raw is None:
            return ()
        span = self.value_span(("imports",))
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            self.problems.add(
                "invalid-value",
                span,
                "imports must be a list of file paths",
                Severity.ERROR,
            )
            return tuple(item for item in raw if isinstance(item, str)) if isinstance(raw, list) else ()
        if raw:
            self.problems.add(
                "imports",
                span,
                f"imports {', '.join(raw)} are not followed here; settings in them override this file's",
                Severity.INFO,
            )
        return tuple(raw)

    def reported_driver(
        self,
        default_name: str,
        drivers: dict[str, CgroupDriverSetting],
        runc_based: dict[str, bool],
        version: int,
    ) -> CgroupDriverSetting:
        """What containerd answers the kubelet's RuntimeConfig call with."""
        if default_name in drivers and runc_based.get(default_name, True):
            return drivers[default_name]
        for name in sorted(drivers):
            if runc_based.get(name):
                fallback = drivers[name]
                return replace(
                    fallback,
                    note=f"{fallback.note}; default handler {default_name!r} is not "
                    f"runc-based, so the first runc handler ({name!r}) decides",
                )
        if version == 3:
            return CgroupDriverSetting(
                "systemd",
                False,
                None,
                None,
                "no runc-based handler: containerd 2.x reports systemd",
            )
        return replace(
            _DEFAULT_DRIVERS[RuntimeKind.CONTAINERD],
            handler=default_name,
            note=f"no runc-based handler found; {_DEFAULT_DRIVERS[RuntimeKind.CONTAINERD].note}",
        )


def _walk_paths(data: Any, prefix: KeyPath) -> Iterator[KeyPath]:
    yield prefix
    for path, _value in _walk(data, prefix):
        yield path


@_loader(RuntimeKind.CONTAINERD)
def load_containerd(text: str, path: str) -> RuntimeConfig:
    """Load a containerd ``config.toml`` (config version 1, 2 or 3)."""
    doc = parse_toml(text)
    if not isinstance(doc, TomlDocument):
        return _unreadable(
            RuntimeKind.CONTAINERD,
            path,
            "syntax-error",
            doc.span,
            f"invalid TOML: {doc.message}; containerd refuses to start",
        )
    return _Containerd(doc, path).load()


# -- CRI-O -------------------------------------------------------------------

_CRIO_RUNTIME: KeyPath = ("crio", "runtime")
_CRIO_DRIVERS: dict[str, CgroupDriver] = {"systemd": "systemd", "cgroupfs": "cgroupfs"}
# Problems about the merged configuration, recomputed by merge_crio.
_CRIO_EFFECTIVE_KINDS = frozenset({"conmon-cgroup"})


@_loader(RuntimeKind.CRIO)
def load_crio(text: str, path: str) -> RuntimeConfig:
    """Load one CRI-O file (``crio.conf`` or a ``crio.conf.d`` drop-in) on its own."""
    doc = parse_toml(text)
    if not isinstance(doc, TomlDocument):
        return _unreadable(
            RuntimeKind.CRIO,
            path,
            "syntax-error",
            doc.span,
            f"invalid TOML: {doc.message}; CRI-O refuses to start",
        )
    problems = _Problems(path)

    def loc(key_path: KeyPath) -> Location | None:
        span = doc.value_span(key_path)
        return Location(path, span) if span is not None else None

    def string_option(name: str) -> StringSetting | None:
        key_path = (*_CRIO_RUNTIME, name)
        raw = doc.get(key_path)
        if raw is None:
            return None
        if not isinstance(raw, str):
            problems.add(
                "invalid-value",
                doc.value_span(key_path),
                f"{name} must be a string, not {raw!r}; CRI-O refuses to start",
                Severity.ERROR,
            )
            return None
        return StringSetting(raw, loc(key_path))

    manager_path = (*_CRIO_RUNTIME, "cgroup_manager")
    manager = string_option("cgroup_manager")
    runtime_anchor = doc.nearest(manager_path)
    default = replace(
        _DEFAULT_DRIVERS[RuntimeKind.CRIO],
        anchor=Location(path, runtime_anchor[1].key) if runtime_anchor else None,
    )
    driver = default
    if manager is not None:
        value = _CRIO_DRIVERS.get(manager.value)
        if value is None:
            problems.add(
                "invalid-value",
                doc.value_span(manager_path),
                f'cgroup_manager must be "systemd" or "cgroupfs", not {manager.value!r}; CRI-O refuses to start',
                Severity.ERROR,
            )
        else:
            driver = CgroupDriverSetting(value, True, manager.location, None, f'cgroup_manager = "{value}"')

    for key_path, value in _walk(doc.data):
        key = key_path[-1]
        if not isinstance(key, str) or key_path == manager_path:
            continue
        if key == "cgroup_manager":
            problems.add(
                "misplaced-key",
                doc.key_span(key_path),
                f"CRI-O reads cgroup_manager only in [crio.runtime], not at "
                f"{_path_text(key_path)}; this one is ignored",
                Severity.ERROR if value != driver.value else Severity.WARNING,
            )
        elif _near_miss(key, "cgroup_manager") or _normalize_key(key) == "cgroupdriver":
            problems.add(
                "misspelled-key",
                doc.key_span(key_path),
                f"{key!r} is not a CRI-O option and is ignored; did you mean cgroup_manager (in [crio.runtime])?",
                Severity.ERROR if value != driver.value else Severity.WARNING,
                suggestion="cgroup_manager" if key_path[:-1] == _CRIO_RUNTIME else None,
            )

    default_runtime = string_option("default_runtime")
    runtimes = doc.get((*_CRIO_RUNTIME, "runtimes"))
    handlers = set(runtimes) if isinstance(runtimes, dict) else set()
    monitor: dict[str, StringSetting] = {}
    for name in sorted(handlers):
        key_path = (*_CRIO_RUNTIME, "runtimes", name, "monitor_cgroup")
        raw = doc.get(key_path)
        if isinstance(raw, str):
            monitor[name] = StringSetting(raw, loc(key_path))
    config = RuntimeConfig(
        kind=RuntimeKind.CRIO,
        path=path,
        default_driver=driver,
        drivers=_crio_drivers(driver, default_runtime.value if default_runtime else None, handlers),
        default_runtime_name=default_runtime.value if default_runtime else None,
        conmon_cgroup=string_option("conmon_cgroup"),
        monitor_cgroups=monitor,
        sources=(path,),
        problems=tuple(problems.items),
    )
    return replace(config, problems=config.problems + _crio_effective_problems(config))


def _crio_drivers(
    driver: CgroupDriverSetting, default_runtime: str | None, handlers: Iterable[str]
) -> dict[str, CgroupDriverSetting]:
    # cgroup_manager is global in CRI-O: every handler shares it.
    names = set(handlers) | ({default_runtime} if default_runtime else set())
    return {name: replace(driver, handler=name) for name in _driver_order(default_runtime, names)}


def _crio_effective_problems(config: RuntimeConfig) -> tuple[RuntimeProblem, ...]:
    if config.default_driver.value != "cgroupfs":
        return ()
    monitor = config.monitor_cgroups.get(config.default_runtime_name) if config.default_runtime_name else None
    conmon = monitor or config.conmon_cgroup
    name = "monitor_cgroup" if monitor else "conmon_cgroup"
    if conmon is not None and conmon.value == "pod":
        return ()
    manager = config.default_driver.location
    where = manager or config.default_driver.anchor or Location(config.path, FILE_START)
    if conmon is None or conmon.value == "":
        return (
            RuntimeProblem(
                "conmon-cgroup",
                where.path,
                where.span,
                'cgroup_manager = "cgroupfs" without conmon_cgroup = "pod": the Kubernetes '
                "docs require conmon in the pod cgroup with the cgroupfs manager",
                Severity.WARNING,
            ),
        )
    at = conmon.location or where
    return (
        RuntimeProblem(
            "conmon-cgroup",
            at.path,
            at.span,
            f'{name} = "{conmon.value}" with cgroup_manager = "cgroupfs"'
            + (f" (set at {manager})" if manager else "")
            + '; the cgroupfs manager needs "pod"',
            Severity.ERROR,
            suggestion='"pod"',
        ),
    )


def merge_crio(main: RuntimeConfig | None, dropins: Sequence[RuntimeConfig]) -> RuntimeConfig:
    """CRI-O's view after ``crio.conf`` and its drop-ins.

    Drop-ins are applied in lexical order of their file names (as CRI-O reads
    ``crio.conf.d``), whatever order they are passed in; a value set in a
    later file wins and keeps that file's location. ``main`` may be ``None``
    when only drop-ins exist.
    """
    try:
        return _merge_crio(main, dropins)
    except Exception as exc:  # loaders promise never to raise
        path = main.path if main is not None else (dropins[0].path if dropins else "<crio>")
        return _unreadable(
            RuntimeKind.CRIO,
            path,
            "internal-error",
            FILE_START,
            f"kubelint could not merge CRI-O drop-ins ({type(exc).__name__}: {exc}); please report this",
            Severity.INFO,
        )


def _merge_crio(main: RuntimeConfig | None, dropins: Sequence[RuntimeConfig]) -> RuntimeConfig:
    files = ([main] if main is not None else []) + sorted(dropins, key=lambda c: (_basename(c.path), c.path))
    if not files:
        return RuntimeConfig(
            kind=RuntimeKind.CRIO,
            path="",
            default_driver=_DEFAULT_DRIVERS[RuntimeKind.CRIO],
        )
    driver = files[0].default_driver
    default_runtime: str | None = None
    conmon: StringSetting | None = None
    monitor: dict[str, StringSetting] = {}
    handlers: set[str] = set()
    problems: list[RuntimeProblem] = []
    for config in files:
        if config.default_driver.explicit:
            driver = config.default_driver
        if config.default_runtime_name is not None:
            default_runtime = config.default_runtime_name
        if config.conmon_cgroup is not None:
            conmon = config.conmon_cgroup
        monitor.update(config.monitor_cgroups)
        handlers.update(config.drivers)
        problems.extend(p for p in config.problems if p.kind not in _CRIO_EFFECTIVE_KINDS)
    merged = RuntimeConfig(
        kind=RuntimeKind.CRIO,
        path=files[0].path,
        default_driver=driver,
        drivers=_crio_drivers(driver, default_runtime, handlers),
        default_runtime_name=default_runtime,
        conmon_cgroup=conmon,
        monitor_cgroups=monitor,
        sources=tuple(path for config in files for path in config.sources),
        problems=tuple(problems),
    )
    return replace(merged, problems=merged.problems + _crio_effective_problems(merged))


# -- Docker ------------------------------------------------------------------

_CGROUPDRIVER_OPT = "native.cgroupdriver"
# Keys that mark a JSON object as a dockerd daemon.json (a subset; enough to tell).
_DOCKER_KEYS = frozenset(
    {
        "exec-opts",
        "data-root",
        "log-driver",
        "log-opts",
        "storage-driver",
        "storage-opts",
        "registry-mirrors",
        "insecure-registries",
        "live-restore",
        "default-runtime",
        "runtimes",
        "cgroup-parent",
        "default-address-pools",
        "bip",
        "iptables",
        "ip-forward",
        "userland-proxy",
        "max-concurrent-downloads",
        "default-ulimits",
        "features",
        "builder",
        "experimental",
        "hosts",
        "dns",
        "debug",
        "graph",
        "exec-root",
        "mtu",
        "selinux-enabled",
        "userns-remap",
        "containerd",
    }
)


class _JsonScanner:
    """Positions of every key path in a JSON text ``json`` already accepted."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self.positions: dict[KeyPath, KeyPosition] = {}

    def here(self) -> tuple[int, int]:
        # Lines only advance in whitespace or inside strings; both are tracked.
        return self.line, self.pos - self.line_start + 1

    def advance_to(self, end: int) -> None:
        newline = self.text.find("\n", self.pos, end)
        while newline != -1:
            self.line += 1
            self.line_start = newline + 1
            newline = self.text.find("\n", newline + 1, end)
        self.pos = end

    def skip_ws(self) -> None:
        end = self.pos
        while end < self.n and self.text[end] in " \t\r\n":
            end += 1
        self.advance_to(end)

    def span_from(self, start: tuple[int, int]) -> Span:
        return Span(start[0], start[1], *self.here())

    def string(self) -> str:
        import json

        start = self.pos
        end = self.pos + 1
        while end < self.n and self.text[end] != '"':
            end += 2 if self.text[end] == "\\" else 1
        self.advance_to(end + 1)
        decoded: str = json.loads(self.text[start : end + 1])
        return decoded

    def value(self, path: KeyPath) -> Span:
        self.skip_ws()
        start = self.here()
        ch = self.text[self.pos]
        if ch == "{":
            self.advance_to(self.pos + 1)
            self.skip_ws()
            if self.text[self.pos] == "}":
                self.advance_to(self.pos + 1)
                return self.span_from(start)
            while True:
                self.skip_ws()
                key_start = self.here()
                key = self.string()
                key_span = self.span_from(key_start)
                self.skip_ws()
                self.advance_to(self.pos + 1)  # the colon
                value_span = self.value((*path, key))
                self.positions[(*path, key)] = KeyPosition(key_span, value_span)
                self.skip_ws()
                ch = self.text[self.pos]
                self.advance_to(self.pos + 1)
                if ch == "}":
                    return self.span_from(start)
        if ch == "[":
            self.advance_to(self.pos + 1)
            self.skip_ws()
            if self.text[self.pos] == "]":
                self.advance_to(self.pos + 1)
                return self.span_from(start)
            index = 0
            while True:
                element = (*path, index)
                span = self.value(element)
                self.positions[element] = KeyPosition(span, span)
                index += 1
                self.skip_ws()
                ch = self.text[self.pos]
                self.advance_to(self.pos + 1)
                if ch == "]":
                    return self.span_from(start)
        if ch == '"':
            self.string()
            return self.span_from(start)
        end = self.pos
        while end < self.n and self.text[end] not in ",]} \t\r\n":
            end += 1
        self.advance_to(end)
        return self.span_from(start)


def _json_positions(text: str) -> dict[KeyPath, KeyPosition]:
    scanner = _JsonScanner(text)
    try:
        scanner.value(())
    except Exception:  # positions are best effort on accepted JSON
        return scanner.positions
    return scanner.positions


@_loader(RuntimeKind.DOCKER)
def load_docker_daemon(text: str, path: str) -> RuntimeConfig:
    """Load dockerd's ``daemon.json`` (the cgroup driver cri-dockerd reports)."""
    import json

    # dockerd strips a UTF-8 byte order mark; editors do not count it as a column.
    text = text.removeprefix("\ufeff")
    if not text.strip():
        data: Any = {}
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return _unreadable(
                RuntimeKind.DOCKER,
                path,
                "syntax-error",
                Span.point(exc.lineno, exc.colno),
                f"invalid JSON: {exc.msg}; dockerd refuses to start",
            )
        except RecursionError:
            return _unreadable(
                RuntimeKind.DOCKER,
                path,
                "syntax-error",
                FILE_START,
                "JSON is nested too deeply to parse",
            )
    if not isinstance(data, dict):
        return _unreadable(
            RuntimeKind.DOCKER,
            path,
            "wrong-shape",
            FILE_START,
            f"daemon.json must be a JSON object, not {type(data).__name__}; dockerd refuses to start",
        )
    positions = _json_positions(text) if data else {}
    problems = _Problems(path)

    def key_span(key_path: KeyPath) -> Span | None:
        found = positions.get(key_path)
        return found.key if found else None

    def value_span(key_path: KeyPath) -> Span | None:
        found = positions.get(key_path)
        return found.value if found else None

    for key in data:
        if key != "exec-opts" and _near_miss(key, "exec-opts", limit=1):
            problems.add(
                "misspelled-key",
                key_span((key,)),
                f'{key!r} is not a dockerd option (did you mean "exec-opts"?); dockerd '
                "refuses to start on unknown keys in daemon.json",
                Severity.ERROR,
                suggestion='"exec-opts"',
            )

    # Where a missing exec-opts would go: the key if present, else the object's brace.
    brace = len(text) - len(text.lstrip(" \t\r\n"))
    brace_line = text.count("\n", 0, brace) + 1
    brace_column = brace - (text.rfind("\n", 0, brace) + 1) + 1
    driver = replace(
        _DEFAULT_DRIVERS[RuntimeKind.DOCKER],
        anchor=Location(path, key_span(("exec-opts",)) or Span.point(brace_line, brace_column)),
    )
    opts = data.get("exec-opts")
    if opts is not None and not isinstance(opts, list):
        problems.add(
            "invalid-value",
            value_span(("exec-opts",)),
            "exec-opts must be a list of strings; dockerd refuses to start",
            Severity.ERROR,
        )
    elif isinstance(opts, list):
        earlier: Span | None = None
        for index, opt in enumerate(opts):
            span = value_span(("exec-opts", index))
            if not isinstance(opt, str):
                problems.add(
                    "invalid-value",
                    span,
                    f"exec-opts entries must be strings, not {opt!r}",
                    Severity.ERROR,
                )
                continue
            name, sep, raw_value = opt.partition("=")
            name = name.strip()
            if name.lower() != _CGROUPDRIVER_OPT:
                if _near_miss(name, _CGROUPDRIVER_OPT):
                    problems.add(
                        "misspelled-key",
                        span,
                        f"{name!r} is not a dockerd exec option; did you mean {_CGROUPDRIVER_OPT}?",
                        Severity.ERROR,
                        suggestion=f'"{_CGROUPDRIVER_OPT}={raw_value.strip()}"',
                    )
                continue
            value = raw_value.strip()
            if not sep or value not in ("systemd", "cgroupfs"):
                problems.add(
                    "invalid-value",
                    span,
                    f'{_CGROUPDRIVER_OPT} must be "systemd" or "cgroupfs", not {value!r}; dockerd refuses to start',
                    Severity.ERROR,
                )
                continue
            if earlier is not None and driver.explicit:
                problems.add(
                    "duplicate-option",
                    earlier,
                    f"{_CGROUPDRIVER_OPT} is given again at {_line(span or FILE_START)}, which wins",
                    Severity.INFO,
                )
            earlier = span
            driver = CgroupDriverSetting(
                "systemd" if value == "systemd" else "cgroupfs",
                True,
                Location(path, span) if span else None,
                None,
                f"exec-opts {opt}",
            )

    default_runtime = data.get("default-runtime")
    default_name = default_runtime if isinstance(default_runtime, str) and default_runtime else "runc"
    runtimes = data.get("runtimes")
    names = {default_name} | (set(runtimes) if isinstance(runtimes, dict) else set())
    # The cgroup driver is daemon-wide: every runtime shares it.
    drivers = {name: replace(driver, handler=name) for name in _driver_order(default_name, names)}
    return RuntimeConfig(
        kind=RuntimeKind.DOCKER,
        path=path,
        default_driver=replace(driver, handler=default_name),
        drivers=drivers,
        default_runtime_name=default_name,
        sources=(path,),
        problems=tuple(problems.items),
    )


# -- detection ---------------------------------------------------------------

_TOML_LINE = re.compile(
    r"""^[ \t]*(?:
        \[\[?[ \t]*(?P<table>["']?[A-Za-z0-9_.\-]+)   # [table] or [[array]] header
      | (?P<dotted>[A-Za-z0-9_\-]+)[ \t]*\.            # dotted key at top level
      | version[ \t]*=[ \t]*(?P<version>\d+)
    )""",
    re.MULTILINE | re.VERBOSE,
)


def detect_runtime_kind(text: str, path: str) -> RuntimeKind | None:
    """Which runtime's config ``text`` is: by content first, by path second."""
    try:
        return _detect_by_content(text) or _detect_by_path(path)
    except Exception:  # detection is advisory; never fatal
        return None


def _detect_by_content(text: str) -> RuntimeKind | None:
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        return _detect_json(stripped)
    containerd = crio = False
    version = False
    for match in _TOML_LINE.finditer(text):
        head = (match.group("table") or match.group("dotted") or "").strip("\"'")
        first = head.split(".", 1)[0]
        if first == "crio":
            crio = True
        elif first == "plugins":
            containerd = True
        elif match.group("version") in ("1", "2", "3"):
            version = True
    if crio and not containerd:
        return RuntimeKind.CRIO
    if containerd:
        return RuntimeKind.CONTAINERD
    if version and re.search(r"^[ \t]*(?:imports|root|state)[ \t]*=", text, re.MULTILINE):
        return RuntimeKind.CONTAINERD
    return None


def _detect_json(text: str) -> RuntimeKind | None:
    import json

    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        # Broken JSON still deserves its syntax error when it is clearly a daemon.json.
        keys = set(re.findall(r'"([a-z][a-z0-9-]*)"\s*:', text))
        return RuntimeKind.DOCKER if keys & _DOCKER_KEYS and "apiVersion" not in text else None
    if not isinstance(data, dict) or "apiVersion" in data or "kind" in data:
        return None
    return RuntimeKind.DOCKER if _DOCKER_KEYS & set(data) else None


def _basename(path: str) -> str:
    # Plain string work: pathlib costs cold-start time for no gain here.
    return path.replace("\\", "/").rstrip("/").rpartition("/")[2]


def _detect_by_path(path: str) -> RuntimeKind | None:
    parts = [part for part in path.replace("\\", "/").split("/") if part]
    name = parts[-1] if parts else ""
    parents = [part.lower() for part in parts[:-1]]
    if name == "daemon.json" and ("docker" in parents or not parents):
        return RuntimeKind.DOCKER
    if name == "crio.conf" or (parents[-1:] == ["crio.conf.d"] and name.endswith(".conf")):
        return RuntimeKind.CRIO
    if name.endswith(".toml") and "containerd" in parents:
        return RuntimeKind.CONTAINERD
    return None


def load_runtime(text: str, path: str, kind: RuntimeKind | None = None) -> RuntimeConfig | None:
    """Detect (unless ``kind`` is given) and load; ``None`` when it is no runtime config."""
    kind = kind or detect_runtime_kind(text, path)
    if kind is RuntimeKind.CONTAINERD:
        return load_containerd(text, path)
    if kind is RuntimeKind.CRIO:
        return load_crio(text, path)
    if kind is RuntimeKind.DOCKER:
        return load_docker_daemon(text, path)
    return None
