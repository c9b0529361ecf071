"""Which file is which kind: by content first, by path second.

Content wins because names lie: a binary install's
``/opt/kubernetes/cfg/kubelet.conf`` is an env file holding ``KUBELET_OPTS``
while a kubeadm node's ``/etc/kubernetes/kubelet.conf`` is a kubeconfig.
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath


class FileKind(enum.Enum):
    KUBELET_CONFIG = "kubelet-config"
    CONFIGZ = "configz"
    KUBECONFIG = "kubeconfig"
    SYSTEMD_UNIT = "systemd-unit"
    ENV_FILE = "env-file"
    CONTAINERD = "containerd"
    CRIO = "crio"
    DOCKER = "docker"


_API_VERSION = re.compile(r"""^\s*["']?apiVersion["']?\s*:\s*["']?([^"'\s,#]+)""", re.MULTILINE)
_KIND = re.compile(r"""^\s*["']?kind["']?\s*:\s*["']?([A-Za-z]+)""", re.MULTILINE)
_CONFIGZ = re.compile(r"""^\s*\{\s*"kubeletconfig"\s*:""")
# The patterns of the other kinds are compiled on first use (by re's own
# cache): a KubeletConfiguration, the common case, never needs them, and
# compiling them all cost every cold start about a millisecond.
_SECTION = r"(?m)^\s*\[(Unit|Service|Install)\]\s*$"
_ANY_SECTION = r"(?m)^\s*\[[^\]\n]+\]\s*$"
_UNIT_DIRECTIVE = r"(?m)^\s*(ExecStart|Environment|EnvironmentFile|Description|WantedBy|After|Restart)\s*="
_ENV_ASSIGNMENT = r"(?m)^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*="
_KUBELET_ENV_NAME = r"^KUBELET_[A-Z0-9_]*(ARGS|OPTS)$|^KUBELET_"
_KUBECONFIG_KEYS = r"""(?m)^\s*["']?(clusters|contexts|users|current-context)["']?\s*:"""
_TOML_CONTAINERD = r"""(?m)^\s*\[\s*plugins[.\]]|^\s*version\s*=\s*[123]\s*$"""
_TOML_CRIO = r"""(?m)^\s*\[\s*crio(\.[a-z_]+)?\s*\]"""
_DOCKER_KEYS = r""""(exec-opts|data-root|log-driver|storage-driver|cgroup-parent|live-restore|registry-mirrors|insecure-registries)"\s*:"""

KUBELET_ENV_PATHS = (
    "var/lib/kubelet/kubeadm-flags.env",
    "etc/default/kubelet",
    "etc/sysconfig/kubelet",
)


def classify(text: str, path: str) -> FileKind | None:
    """The kind of ``text`` (found at ``path``), or None if it is none of ours."""
    by_content = _by_content(text)
    if by_content is not None:
        return by_content
    return _by_path(text, path)


def _by_content(text: str) -> FileKind | None:
    head = text[:65536]
    if _CONFIGZ.match(head):
        return FileKind.CONFIGZ
    # the common case first, and without matching every line: stop at the
    # first "kind: KubeletConfiguration" (a text without the word has none)
    if "KubeletConfiguration" in head and any(
            match.group(1) == "KubeletConfiguration" for match in _KIND.finditer(head)):
        return FileKind.KUBELET_CONFIG
    kind = _KIND.search(head)
    api = _API_VERSION.search(head)
    if api and api.group(1).startswith("kubelet.config.k8s.io/") and not kind:
        return FileKind.KUBELET_CONFIG
    if kind and kind.group(1) == "Config" and (re.search(_KUBECONFIG_KEYS, head) or (api and api.group(1) == "v1")):
        return FileKind.KUBECONFIG
    if not kind and re.search(_KUBECONFIG_KEYS, head) and re.search(r"^\s*[\"']?clusters[\"']?\s*:", head, re.MULTILINE):
        return FileKind.KUBECONFIG
    if re.search(_SECTION, head) and re.search(_UNIT_DIRECTIVE, head):
        return FileKind.SYSTEMD_UNIT
    if re.search(_TOML_CRIO, head):
        return FileKind.CRIO
    if re.search(_TOML_CONTAINERD, head) and "[plugins" in head:
        return FileKind.CONTAINERD
    if head.lstrip().startswith("{") and re.search(_DOCKER_KEYS, head):
        return FileKind.DOCKER
    names = [m.group(1) for m in re.finditer(_ENV_ASSIGNMENT, head)]
    if names and any(re.match(_KUBELET_ENV_NAME, name) for name in names) and not re.search(_ANY_SECTION, head):
        return FileKind.ENV_FILE
    return None


def _by_path(text: str, path: str) -> FileKind | None:
    posix = PurePosixPath(path.replace(os.sep, "/"))
    name = posix.name
    parent = posix.parent.name
    as_text = str(posix)
    if name.endswith(".service") or (parent.endswith(".service.d") and name.endswith(".conf")):
        return FileKind.SYSTEMD_UNIT
    if any(as_text.endswith(candidate) for candidate in KUBELET_ENV_PATHS):
        return FileKind.ENV_FILE
    if name == "kubeadm-flags.env":
        return FileKind.ENV_FILE
    if parent == "crio.conf.d" or name == "crio.conf":
        return FileKind.CRIO
    if name == "config.toml" and parent == "containerd":
        return FileKind.CONTAINERD
    if name == "daemon.json" and parent == "docker":
        return FileKind.DOCKER
    if _kubelet_config_path(name, parent):
        return FileKind.KUBELET_CONFIG
    if name.endswith(".kubeconfig") or (parent == "kubernetes" and name in ("kubelet.conf", "bootstrap-kubelet.conf")):
        return FileKind.KUBECONFIG
    return None


def is_config_dropin(path: str) -> bool:
    """A ``--config-dir`` drop-in (``kubelet.conf.d/10-x.conf``): a partial KubeletConfiguration."""
    # PurePosixPath(path).suffix == ".conf" and .parent.name.endswith(".d"),
    # with string operations: this is asked of every kubelet config linted
    parts = [part for part in path.replace(os.sep, "/").split("/") if part and part != "."]
    name = parts[-1] if parts else ""
    parent = parts[-2] if len(parts) >= 2 else ""
    return name.endswith(".conf") and len(name) > len(".conf") and parent.endswith(".d")


def _kubelet_config_path(name: str, parent: str) -> bool:
    """Where kubelet configs live on kubeadm, cloud images and --config-dir drop-ins."""
    if name in ("kubelet-config.yaml", "kubelet-config.yml", "kubelet-config.json"):
        return True
    if parent == "kubelet" and name in ("config.yaml", "config.yml", "config.json", "kubelet-config.json"):
        return True
    return parent == "kubelet.conf.d" and name.endswith(".conf")


_SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", ".tox", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
_CANDIDATE_SUFFIXES = {".yaml", ".yml", ".json", ".conf", ".service", ".env", ".toml", ".kubeconfig", ".cfg", ""}


def walk(directory: Path, exclude: tuple[str, ...] = ()) -> Iterator[Path]:
    """Files under ``directory`` worth classifying, in a stable order.

    Symlinked directories are not followed (no loops); symlinked files are
    yielded and their target is checked when read.
    """
    for path_text in walk_texts(directory, exclude):
        yield Path(path_text)


def walk_texts(directory: Path, exclude: tuple[str, ...] = ()) -> Iterator[str]:
    """:func:`walk`'s files as ``str(path)``, without a ``Path`` per file.

    A scan plans tens of thousands of files; building and parsing a ``Path``
    for each cost more than listing the directories.
    """
    for path_text, _ in walk_files(directory, exclude):
        yield path_text


def walk_files(directory: Path, exclude: tuple[str, ...] = ()) -> Iterator[tuple[str, bool]]:
    """:func:`walk_texts`'s files, each with whether it is a symlink (known
    from the directory listing: no system call per file)."""
    for current, dirs, files in _tree(os.fspath(directory)):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not (exclude and _excluded(Path(current, d), exclude)))
        prefix = _joinable(current)
        for entry in sorted(files, key=_entry_name):
            name = entry.name
            if exclude and _excluded(Path(current, name), exclude):
                continue
            if _suffix(name).lower() in _CANDIDATE_SUFFIXES or name in ("kubelet", "config"):
                yield prefix + name, _is_symlink(entry)


def _tree(top: str) -> Iterator[tuple[str, list[str], list[os.DirEntry[str]]]]:
    """``os.walk(top, followlinks=False)``, top-down, with the files as
    directory entries (which know whether they are symlinks) instead of names.

    As there, a directory that cannot be listed is left out, a symlink to a
    directory is listed among the directories but not entered, and the caller
    may prune the directory names before they are entered."""
    try:
        with os.scandir(top) as listing:
            entries = list(listing)
    except OSError:
        return
    dirs: list[str] = []
    files: list[os.DirEntry[str]] = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            dirs.append(entry.name)
        else:
            files.append(entry)
    yield top, dirs, files
    for name in dirs:
        path = os.path.join(top, name)
        if not os.path.islink(path):  # asked again, as os.walk does: the caller may have changed it
            yield from _tree(path)


def _entry_name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _is_symlink(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def walk_entries(directory: Path) -> Iterator[str]:
    """Every entry below ``directory`` (files, directories, symlinks), as
    ``str(path)``: what ``directory.rglob("*")`` finds, in walk order.

    Symlinked directories are listed, not entered."""
    for current, dirs, files in os.walk(directory, followlinks=False):
        prefix = _joinable(current)
        for name in dirs:
            yield prefix + name
        for name in files:
            yield prefix + name


def _joinable(directory: str) -> str:
    """What ``str(Path(directory, name))`` puts before ``name``: ``directory``
    as a ``Path`` spells it, and a separator ("." spells nothing)."""
    text = str(Path(directory))
    if text == ".":
        return ""
    return text if text.endswith(os.sep) else text + os.sep


def _suffix(name: str) -> str:
    """``PurePath(name).suffix``: from the last dot, unless the name starts or ends with it."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _excluded(path: Path, patterns: tuple[str, ...]) -> bool:
    if not patterns:
        return False
    text = path.as_posix()
    return any(PurePosixPath(text).match(pattern) or f"/{pattern.strip('/')}/" in f"/{text}/" for pattern in patterns)
