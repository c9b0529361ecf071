"""Wording and lookups shared by the cross-file node rules (KL709+, KL601/KL602).

A cross-file finding names both halves: where the effective value comes
from (a config line, a drop-in, a flag reached through an environment
variable and ``ExecStart=``) and the other file it disagrees with. These
helpers keep that wording identical across rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from kubelint.diagnostics import Location, Related
from kubelint.kubelet_view import FieldPath, KubeletView, Origin, dotted, field_path
from kubelint.loaders.cmdline import FlagOccurrence
from kubelint.loaders.yaml import YamlDocument
from kubelint.models.kubeconfig import AuthInfo, Named, decode_kubeconfig
from kubelint.models.types import Duration, Quantity, ValueSyntaxError, parse_duration_ns, parse_quantity
from kubelint.node import NodeView
from kubelint.rules._values import yaml_value
from kubelint.rules.kubeconfig._support import shown_token


def short(location: Location | None) -> str:
    """``path:line``: enough to find a line, shorter than ``path:line:column``."""
    if location is None:
        return "?"
    return f"{location.path}:{location.span.line}"


def setting(path: FieldPath, value: Any) -> str:
    return f"{dotted(path)}: {yaml_value(value)}"


def variable_of(origin: Origin) -> str | None:
    """``KUBELET_KUBEADM_ARGS in var/lib/kubelet/kubeadm-flags.env`` for a flag that came through one."""
    found = _variable(origin)
    return f"{found[0]} in {found[1]}" if found else None


def _variable(origin: Origin) -> tuple[str, str] | None:
    for step in origin.via:
        if " in " in step and not step.startswith("ExecStart"):
            name, _, where = step.partition(" in ")
            return name, where.rsplit(":", 1)[0]
    return None


def flag_occurrence(node: NodeView, origin: Origin) -> FlagOccurrence | None:
    """The command-line occurrence behind a flag origin (the one whose value it holds)."""
    if node.command_line is None or origin.flag is None:
        return None
    candidates = node.command_line.flags.all(origin.flag)
    for occurrence in reversed(candidates):
        if origin.location in (occurrence.value_location, occurrence.whole_location):
            return occurrence
    return candidates[-1] if candidates else None


def flag_text(occurrence: FlagOccurrence) -> str:
    """The flag as the kubelet reads it: ``--cgroup-driver=cgroupfs``."""
    dashes = "-" if occurrence.shorthand else "--"
    if occurrence.value is None:
        return f"{dashes}{occurrence.written_name}"
    return f"{dashes}{occurrence.written_name}={occurrence.value}"


def describe_origin(origin: Origin) -> str:
    """Where a value was set, in the words of a message."""
    if origin.kind == "default":
        return "the kubelet default"
    where = short(origin.location)
    if origin.kind == "dropin":
        return f"drop-in {where}"
    if origin.kind == "flag":
        found = _variable(origin)
        return f"--{origin.flag} in {found[0]} at {where}" if found else f"--{origin.flag} at {where}"
    return where


def value_site(view: KubeletView, path: str | FieldPath) -> tuple[Location, str]:
    """Where to point at a field's effective value, and how it got there."""
    fpath = field_path(path)
    origin = view.origins.get(fpath)
    if origin is not None and origin.location is not None:
        return origin.location, describe_origin(origin)
    return view.anchor, view.describe(fpath)


def related_value(view: KubeletView, path: str | FieldPath, label: str) -> tuple[Related, ...]:
    """A related location for a kubelet value, when it is written somewhere."""
    origin = view.origins.get(field_path(path))
    if origin is None or origin.location is None:
        return ()
    return (Related(origin.location, label),)


def normalized(value: Any) -> Any:
    """A value reduced to what the kubelet compares: ``1m`` equals ``60s``, ``1Gi`` equals ``1024Mi``."""
    if isinstance(value, Duration):
        return ("duration", value.nanoseconds)
    if isinstance(value, Quantity):
        return ("number", value.value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return ("number", Fraction(str(value)))
    if isinstance(value, str):
        return _normalized_text(value)
    if isinstance(value, list):
        return tuple(normalized(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(key), normalized(item)) for key, item in value.items()))
    return value


def _normalized_text(text: str) -> Any:
    try:
        return ("duration", parse_duration_ns(text))
    except ValueSyntaxError:
        pass
    try:
        return ("number", parse_quantity(text))
    except ValueSyntaxError:
        pass
    return text


def same_value(first: Any, second: Any) -> bool:
    return bool(normalized(first) == normalized(second))


@dataclass(frozen=True)
class KubeconfigUser:
    """The user entry a kubeconfig's current-context selects, and where it is written."""

    document: YamlDocument
    node_path: str
    user: Named[AuthInfo]

    def location(self, *names: str) -> Location:
        """The first of ``names`` the user sets (its value), else the user's ``name``."""
        for name in names:
            path = self.user.path(name)
            if path in self.document.positions:
                return self.document.location(path)
        return self.document.location(self.user.name_path)

    def credential(self) -> str | None:
        """What the user authenticates with, in words, or None (secrets never shown)."""
        auth = self.user.value
        if auth.has_client_certificate():
            return "a client certificate" + (" and key" if auth.has_client_key() else "")
        if auth.token:
            return shown_token(auth.token)
        if auth.token_file:
            return f"the token in {auth.token_file}"
        if auth.password:
            return "a username and password"
        if auth.exec is not None or auth.auth_provider is not None:
            return "an exec or auth-provider plugin"
        return None


def kubeconfig_user(node: NodeView, role: str) -> KubeconfigUser | None:
    """The user the kubelet would authenticate as from its ``--kubeconfig`` or ``--bootstrap-kubeconfig``."""
    loaded = node.kubeconfigs.get(role)
    if loaded is None:
        return None
    for document in loaded.documents:
        if not isinstance(document.data, dict):
            continue
        config = decode_kubeconfig(document.data).config
        user = config.current().user
        users = config.named_users()
        if user is None and len(users) == 1:
            user = users[0]  # current-context broken: the only user is still what the file is for
        if user is not None:
            return KubeconfigUser(document, node.kubeconfig_paths.get(role, loaded.node_path), user)
    return None
