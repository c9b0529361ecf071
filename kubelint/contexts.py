"""What rules receive: one small, typed context per scope."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kubelint.diagnostics import Location
from kubelint.loaders.yaml import KeyPath, YamlDocument
from kubelint.models.defaults import Version

if TYPE_CHECKING:
    from kubelint.kubelet_view import KubeletView
    from kubelint.node import CommandLine, NodeView


@dataclass(frozen=True)
class KubeletDocumentContext:
    """One KubeletConfiguration document as written (before merging)."""

    document: YamlDocument
    root: KeyPath  # () for a config file, ("kubeletconfig",) for a /configz dump
    role: str  # "config", "dropin" or "configz"
    version: Version

    @property
    def data(self) -> Any:
        node = self.document.data
        for part in self.root:
            node = node.get(part) if isinstance(node, dict) else None
        return node

    def location(self, path: KeyPath, *, key: bool = False) -> Location:
        return self.document.location((*self.root, *path), key=key)


@dataclass(frozen=True)
class KubeconfigContext:
    """One kubeconfig document and what the kubelet uses it for, if known."""

    document: YamlDocument
    role: str | None  # "kubeconfig", "bootstrap" or None when linted alone
    version: Version
    # Set when the file was reached through a node: the resolved paths the
    # kubeconfig names, mapped into the node root, exist or not.
    existing_files: frozenset[str] | None = None

    @property
    def data(self) -> Any:
        return self.document.data

    def location(self, path: KeyPath, *, key: bool = False) -> Location:
        return self.document.location(path, key=key)


@dataclass(frozen=True)
class CommandLineContext:
    """A kubelet command line: from a unit's ExecStart, an env file's
    ``KUBELET_*`` variable, or ``--cmdline``. ``view`` is the effective
    configuration when the whole node is known (flags vs config file)."""

    command_line: CommandLine
    version: Version
    view: KubeletView | None = None
    # "service": the resolved ExecStart of a node; "env-file": one variable of
    # an env file linted alone; "cmdline": given by the user
    source: str = "service"
    # display path -> text of the files the words sit in, so that a fix can
    # check what surrounds a flag (quotes, separators) before deleting it
    texts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NodeContext:
    """The whole node: command line, effective config, kubeconfigs, runtime."""

    node: NodeView
    version: Version
    # True when linting a real filesystem root (permissions and owners mean something)
    real_root: bool = False
