"""Shared wording and fixes for the security rules (KL4xx).

Every security finding tells the reader three things: the effective value,
where it came from (``view.describe``), and where to change it. The last
part depends on provenance: a flag must be changed where the flag is
written (flags override the config file), a config or drop-in value in its
own file, and a default by adding the key to the config file, or, for a
kubelet started without ``--config``, by giving it one: the legacy flag
defaults (anonymous auth on, AlwaysAllow, read-only port 10255) are exactly
the insecure ones.
"""

from __future__ import annotations

from typing import Any

from kubelint.diagnostics import Applicability, Fix, Location, Severity, YamlEdit
from kubelint.kubelet_view import KubeletView, field_path
from kubelint.models.defaults import LEGACY

LEGACY_NOTE = (
    "the kubelet runs without --config, so the legacy flag defaults apply "
    "(anonymous auth on, webhook authentication off, authorization AlwaysAllow, read-only port 10255)"
)


def yaml_text(value: Any) -> str:
    """A scalar as it would be written in YAML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_text(item) for item in value) + "]"
    return str(value)


def flag_text(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return yaml_text(value)


def setting(path: str, value: Any) -> str:
    """``authentication.anonymous.enabled: false`` for messages."""
    return f"{path}: {yaml_text(value)}"


def config_file(view: KubeletView) -> str | None:
    """The path of the ``--config`` file behind the view, if there is one."""
    for origin in view.origins.values():
        if origin.kind in ("config", "configz") and origin.location is not None:
            return origin.location.path
    if view.uses_config_file:
        return view.anchor.path
    return None


def exact_origin_kind(view: KubeletView, path: str) -> str:
    """Provenance of ``path`` itself (not an ancestor): config, dropin, flag, configz or default."""
    return view.origin_kind(path, exact=True)


def set_by_flag(view: KubeletView, path: str) -> bool:
    return exact_origin_kind(view, path) == "flag"


def is_final_value(view: KubeletView, path: str) -> bool:
    """Written where defaulting no longer applies: a flag (applied after the config
    file is defaulted) or a /configz dump (the running kubelet's values)."""
    return exact_origin_kind(view, path) in ("flag", "configz")


def written_in(view: KubeletView, path: str) -> str | None:
    """The file ``path`` itself is written in (None for flags and defaults)."""
    origin = view.origins.get(field_path(path))
    if origin is None or origin.kind == "flag" or origin.location is None:
        return None
    return origin.location.path


def dropin_file(view: KubeletView) -> str | None:
    """A ``--config-dir`` drop-in behind the view, if there is one."""
    for origin in view.origins.values():
        if origin.kind == "dropin" and origin.location is not None:
            return origin.location.path
    return None


def remedy(view: KubeletView, path: str, value: Any, flag: str) -> str:
    """Where and how to set ``path`` to ``value`` given where it comes from now."""
    origin = view.origins.get(field_path(path))
    wanted = setting(path, value)
    if origin is not None and origin.kind == "flag":
        where = f" at {origin.location}" if origin.location else ""
        change = f"change {flag}{where} to {flag}={flag_text(value)}"
        if not view.uses_config_file:
            return change
        return f"{change}, or remove the flag and set {wanted} in the config file (flags override the file)"
    if origin is not None and origin.kind == "configz":
        return (f"set {wanted} in the node's kubelet config file or flags ({origin.location.path if origin.location else 'this'} "
                "is a /configz dump of the running kubelet)")
    if origin is not None and origin.location is not None:
        return f"set {wanted} in {origin.location.path}"
    if not view.uses_config_file:
        dropin = dropin_file(view)
        if dropin is not None:
            return (f"set {wanted} in a --config-dir drop-in such as {dropin}, or better give the kubelet "
                    f"a --config file (or pass {flag}={flag_text(value)})")
        return (f"start the kubelet with --config pointing at a KubeletConfiguration that sets {wanted} "
                f"(or pass {flag}={flag_text(value)})")
    target = config_file(view)
    return f"set {wanted} in {target}" if target else f"set {wanted} in the kubelet config file"


def provenance(view: KubeletView, path: str) -> str:
    """``set in file:line`` / ``kubelet default for 1.33``, explaining the legacy flag defaults
    where they are what makes the value insecure."""
    fpath = field_path(path)
    origin = view.origins.get(fpath)
    if origin is not None:
        described = view.describe(path)
        return described if origin.kind == "flag" else f"set in {described}"
    if fpath not in view.defaults:
        target = config_file(view)
        return f"not in {target} and no flag" if target else "no config file and no flag"
    if not view.uses_config_file and fpath in LEGACY:
        note = LEGACY_NOTE
        if dropin_file(view) is not None:
            note += "; --config-dir drop-ins are merged onto these, not onto the config-file defaults"
        return f"{view.describe(path)}: {note}"
    return view.describe(path)


def locate(view: KubeletView, path: str | tuple[str, ...]) -> Location:
    """The value when it is written somewhere; else the key of its closest written
    ancestor (``authentication:``), else the view's anchor (``kind:`` or the command line)."""
    if field_path(path) in view.origins:
        return view.where(path)
    return view.where(path, key=True)


def set_fix(view: KubeletView, path: str, value: Any, description: str) -> Fix | None:
    """An unsafe structural fix setting ``path`` where its value is written in YAML.

    Unsafe because every security fix changes what the kubelet accepts or
    serves; None when the value comes from a flag or a default (there is no
    YAML node to edit, and a file edit would be overridden by the flag), and for
    a /configz dump (editing a dump changes nothing on the node).
    """
    target = view.target(path)
    if target is None or exact_origin_kind(view, path) == "configz":
        return None
    edit = YamlEdit(target.path, target.document, target.key_path, "set", value)
    return Fix(description, Applicability.UNSAFE, (edit,))


def server_disabled(view: KubeletView) -> bool:
    """``enableServer: false``: nothing serves the authenticated API on port 10250."""
    return view.get("enableServer") is False


SERVER_OFF_NOTE = "; enableServer is false, so nothing serves this today, but it applies as soon as the server is enabled"


def unless_server_off(view: KubeletView, severity: Severity | None = None) -> Severity | None:
    """Findings about the secure API are advice only while the server is disabled."""
    return Severity.INFO if server_disabled(view) else severity
