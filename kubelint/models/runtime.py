"""Container runtime configuration, reduced to what the kubelet cares about.

Frozen dataclasses rather than pydantic: these objects are built by the
runtime loaders from already-checked values, never validated from user
input, so pydantic would only add import time to every cold start.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Literal

from kubelint.diagnostics import Location, Severity, Span

CgroupDriver = Literal["systemd", "cgroupfs"]

ProblemKind = Literal[
    # The file cannot be parsed at all.
    "syntax-error",
    # A key that looks like a cgroup setting but is not the one the runtime reads.
    "misspelled-key",
    # The right key in a table the runtime does not read it from.
    "misplaced-key",
    # A value of the wrong type or outside the accepted set.
    "invalid-value",
    # containerd's plugin-level systemd_cgroup (only the v1 linux shim used it).
    "legacy-systemd-cgroup",
    # A containerd plugin ID that the file's config version ignores.
    "plugin-version-mismatch",
    # containerd ``version`` missing, unknown or not an integer.
    "config-version",
    # containerd ``imports`` are listed but not followed by this loader.
    "imports",
    # default_runtime_name names a handler this file does not declare.
    "unknown-default-handler",
    # CRI-O with cgroupfs needs conmon in the pod cgroup.
    "conmon-cgroup",
    # An option given more than once where only the last one counts.
    "duplicate-option",
    # The document is not shaped like this runtime's config at all.
    "wrong-shape",
    # The loader itself failed; a bug in kubelint, never the user's fault.
    "internal-error",
]


class RuntimeKind(enum.StrEnum):
    CONTAINERD = "containerd"
    CRIO = "crio"
    DOCKER = "docker"

    @property
    def label(self) -> str:
        return {"containerd": "containerd", "crio": "CRI-O", "docker": "Docker"}[self.value]


@dataclass(frozen=True, slots=True)
class RuntimeProblem:
    """Something wrong in a runtime config, found while loading it.

    The loader knows no rule codes; ``kind`` tells the rule layer which rule
    owns the problem and ``severity_hint`` what the loader believes it costs.
    ``suggestion`` is replacement text for ``span`` when one is obvious (the
    canonical spelling of a misspelled key), so a rule can offer a fix.
    """

    kind: ProblemKind
    path: str
    span: Span
    message: str
    severity_hint: Severity
    suggestion: str | None = None

    @property
    def location(self) -> Location:
        return Location(self.path, self.span)


@dataclass(frozen=True, slots=True)
class CgroupDriverSetting:
    """The cgroup driver one runtime handler (or the whole runtime) uses.

    ``explicit`` is true only when the file states the value; ``location`` is
    then where the value is written. A default keeps ``location`` at ``None``
    and says in ``note`` where the default comes from.

    ``value`` is ``None`` only when the answer depends on the host: Docker
    without ``native.cgroupdriver`` uses cgroupfs on cgroup v1 and systemd on
    cgroup v2. ``host_default`` then holds the (v1, v2) answers and
    :meth:`resolve` picks one once the host's cgroup version is known.
    """

    value: CgroupDriver | None
    explicit: bool
    location: Location | None
    handler: str | None
    note: str
    host_default: tuple[CgroupDriver, CgroupDriver] | None = None
    # For a default: the closest table the file does write (where a fix
    # would add the setting), so a finding can still point into the file.
    anchor: Location | None = None

    @property
    def depends_on_host(self) -> bool:
        return self.value is None

    def resolve(self, cgroup_v2: bool | None) -> CgroupDriver | None:
        """The driver on a host of the given cgroup version (``None``: unknown host)."""
        if self.value is not None:
            return self.value
        if self.host_default is None or cgroup_v2 is None:
            return None
        return self.host_default[1] if cgroup_v2 else self.host_default[0]

    def describe(self) -> str:
        if self.value is not None:
            return self.value
        if self.host_default is not None:
            v1, v2 = self.host_default
            return f"depends on host ({v1} on cgroup v1, {v2} on cgroup v2)"
        return "depends on host"


@dataclass(frozen=True, slots=True)
class StringSetting:
    """A plain string option with where it was set (``None``: default)."""

    value: str
    location: Location | None


@dataclass(frozen=True, slots=True)
class RuntimeConfig:
    """One runtime's config file (or, for CRI-O, a file merged with its drop-ins).

    ``drivers`` maps every runtime handler to its cgroup driver, the default
    handler first and the others alphabetically (the order in which
    containerd's RuntimeConfig answer considers them). ``default_driver`` is
    what the runtime tells the kubelet it uses.
    """

    kind: RuntimeKind
    path: str
    default_driver: CgroupDriverSetting
    drivers: dict[str, CgroupDriverSetting] = field(default_factory=dict)
    default_runtime_name: str | None = None
    # containerd: the effective config schema version (1, 2 or 3); None elsewhere.
    config_version: int | None = None
    # containerd: ``imports`` exactly as listed (globs unexpanded).
    imports: tuple[str, ...] = ()
    # CRI-O: the global conmon_cgroup, and each handler's monitor_cgroup
    # (its per-handler replacement); both kept so drop-ins can be merged.
    conmon_cgroup: StringSetting | None = None
    monitor_cgroups: dict[str, StringSetting] = field(default_factory=dict)
    # Every file that contributed, in the order they were applied.
    sources: tuple[str, ...] = ()
    problems: tuple[RuntimeProblem, ...] = ()

    @property
    def parsed(self) -> bool:
        """False when the file could not be parsed (see the syntax-error problem)."""
        return not any(p.kind == "syntax-error" for p in self.problems)
