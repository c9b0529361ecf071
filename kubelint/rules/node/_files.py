"""The files whose mode and owner the CIS benchmark audits, found through the node view.

kube-bench guesses these paths from a fixed list; here they come from what
the kubelet actually uses: the unit and every drop-in systemd applies, the
environment files it loads, ``--config`` and ``--config-dir``, the
kubeconfigs by role, the client CA the config names and the private keys.
Modes are read with ``os.lstat`` on the host path ``NodeFilesystem``
resolved inside the root, so a symlink never leads outside it.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kubelint.diagnostics import FILE_START, Location, Related
from kubelint.kubelet_view import KubeletView
from kubelint.models.kubeconfig import resolve_reference
from kubelint.node import NodeView
from kubelint.rules.node._common import kubeconfig_user
from kubelint.systemd_resolve import NodeFilesystem

DEFAULT_CERT_DIR = "/var/lib/kubelet/pki"


@dataclass(frozen=True)
class Target:
    """One audited file: what it is, the loosest mode allowed, and the CIS checks behind it."""

    node_path: str
    what: str
    max_mode: int
    mode_cis: str | None
    owner_cis: str | None
    why: str
    related: tuple[Related, ...] = ()
    directory: bool = False


@dataclass(frozen=True)
class Stat:
    display: str
    host: Path
    mode: int
    uid: int
    gid: int


def targets(node: NodeView) -> Iterator[Target]:
    yield from _service_files(node)
    if node.config_node_path:
        yield Target(node.config_node_path, "kubelet config file", 0o600, "4.1.9", "4.1.10",
                     "it holds the kubelet's authentication, authorization and TLS settings", _named_by(node, "config"))
    if node.config_dir:
        yield Target(node.config_dir, "--config-dir directory", 0o755, "4.1.11", "4.1.11",
                     "others could add a drop-in that overrides the kubelet's settings", _named_by(node, "config-dir"),
                     directory=True)
        for dropin in node.dropins:
            yield Target(dropin.node_path, "--config-dir drop-in", 0o644, "4.1.11", "4.1.11",
                         "others could change the kubelet's settings")
    for role, node_path in node.kubeconfig_paths.items():
        label = "kubeconfig (--kubeconfig)" if role == "kubeconfig" else "bootstrap kubeconfig"
        flag = "kubeconfig" if role == "kubeconfig" else "bootstrap-kubeconfig"
        yield Target(node_path, label, 0o600, "4.1.5" if role == "kubeconfig" else None,
                     "4.1.6" if role == "kubeconfig" else None, "it carries the kubelet's credentials",
                     _named_by(node, flag))
    yield from _config_files(node.view, node.config_node_path)
    yield from _client_keys(node)


def _named_by(node: NodeView, flag: str) -> tuple[Related, ...]:
    occurrence = node.command_line.flag(flag) if node.command_line else None
    if occurrence is None or occurrence.value_location is None:
        return ()
    return (Related(occurrence.value_location, f"--{flag}"),)


def _service_files(node: NodeView) -> Iterator[Target]:
    if node.service is None:
        return
    for used in node.service.files:
        if used.role == "environment-file":
            yield Target("/" + used.path, "environment file of the kubelet unit", 0o600, None, None,
                         "it holds the kubelet's command-line flags")
        else:
            what = "kubelet unit file" if used.role == "unit" else "kubelet unit drop-in"
            yield Target("/" + used.path, what, 0o600, "4.1.1", "4.1.2",
                         "it decides how the kubelet starts (the packaged 0644 fails CIS 1.24 and later)")


def _config_files(view: KubeletView, config_path: str | None) -> Iterator[Target]:
    base = posixpath.dirname(config_path) if config_path else "/"
    for path, what, max_mode, mode_cis, owner_cis, why in (
        ("authentication.x509.clientCAFile", "client CA file", 0o644, "4.1.7", "4.1.8",
         "whoever can change it decides which client certificates the kubelet trusts"),
        ("tlsPrivateKeyFile", "serving private key", 0o600, None, None,
         "whoever reads it can impersonate the kubelet's API"),
    ):
        value = view.raw(path)
        if isinstance(value, str) and value:
            node_path = value if value.startswith("/") else posixpath.normpath(posixpath.join(base, value))
            origin = view.origins.get(tuple(path.split(".")))
            related = (Related(origin.location, path),) if origin and origin.location else ()
            yield Target(node_path, what, max_mode, mode_cis, owner_cis, why, related)


def _client_keys(node: NodeView) -> Iterator[Target]:
    user = kubeconfig_user(node, "kubeconfig")
    key = user.user.value.client_key if user else None
    if user is not None and key:
        related = (Related(user.location("client-key"), "client-key"),)
        yield Target(resolve_reference(key, user.node_path), "kubelet client key", 0o600, None, None,
                     "whoever reads it can act as this node against the API server", related)
        return
    cert_dir = (node.command_line.value("cert-dir") if node.command_line else None) or DEFAULT_CERT_DIR
    yield Target(posixpath.join(cert_dir, "kubelet-client-current.pem"), "kubelet client key", 0o600, None, None,
                 "whoever reads it can act as this node against the API server")


def stat_target(root: Path, target: Target) -> Stat | None:
    """The file's mode and owner, or None when it is missing or of the wrong type."""
    resolved = NodeFilesystem(root).resolve(target.node_path)
    if resolved.host_path is None:
        return None
    try:
        info = os.lstat(resolved.host_path)
    except OSError:
        return None
    if stat.S_ISDIR(info.st_mode) != target.directory:
        return None
    return Stat(resolved.display, resolved.host_path, stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid)


def closed_parent(root: Path, found: Stat) -> tuple[str, int] | None:
    """An ancestor directory group and others cannot traverse (``0700``): it hides the file (kube-bench#1598)."""
    current = found.host.parent
    root = root.resolve() if not root.is_absolute() else root
    while current != root and root in current.parents:
        try:
            mode = stat.S_IMODE(os.lstat(current).st_mode)
        except OSError:
            return None
        if mode & 0o011 == 0:
            return current.relative_to(root).as_posix(), mode
        current = current.parent
    return None


def file_location(found: Stat) -> Location:
    return Location(found.display, FILE_START)


def deduplicated(node: NodeView) -> Iterator[Target]:
    seen: set[str] = set()
    for target in targets(node):
        if target.node_path not in seen:
            seen.add(target.node_path)
            yield target
