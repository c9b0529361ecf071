"""What rules receive: one small, typed context per scope."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from kubelint.diagnostics import Location
from kubelint.loaders.yaml import KeyPath, YamlDocument
from kubelint.models.defaults import Version
from kubelint.records import Record

if TYPE_CHECKING:
    from kubelint.kubelet_view import KubeletView
    from kubelint.node import CommandLine, NodeView


class KubeletDocumentContext(Record):
    """One KubeletConfiguration document as written (before merging)."""

    __slots__ = ("document", "role", "root", "version")
    document: Final[YamlDocument]
    root: Final[KeyPath]  # () for a config file, ("kubeletconfig",) for a /configz dump
    role: Final[str]  # "config", "dropin" or "configz"
    version: Final[Version]

    def __init__(self, document: YamlDocument, root: KeyPath, role: str, version: Version) -> None:
        self.document = document
        self.root = root
        self.role = role
        self.version = version

    @property
    def data(self) -> Any:
        node = self.document.data
        for part in self.root:
            node = node.get(part) if isinstance(node, dict) else None
        return node

    def location(self, path: KeyPath, *, key: bool = False) -> Location:
        return self.document.location((*self.root, *path), key=key)


class KubeconfigContext(Record):
    """One kubeconfig document and what the kubelet uses it for, if known."""

    __slots__ = ("document", "existing_files", "role", "version")
    document: Final[YamlDocument]
    role: Final[str | None]  # "kubeconfig", "bootstrap" or None when linted alone
    version: Final[Version]
    # Set when the file was reached through a node: the resolved paths the
    # kubeconfig names, mapped into the node root, exist or not.
    existing_files: Final[frozenset[str] | None]

    def __init__(self, document: YamlDocument, role: str | None, version: Version,
                 existing_files: frozenset[str] | None = None) -> None:
        self.document = document
        self.role = role
        self.version = version
        self.existing_files = existing_files

    @property
    def data(self) -> Any:
        return self.document.data

    def location(self, path: KeyPath, *, key: bool = False) -> Location:
        return self.document.location(path, key=key)


class CommandLineContext(Record):
    """A kubelet command line: from a unit's ExecStart, an env file's
    ``KUBELET_*`` variable, or ``--cmdline``. ``view`` is the effective
    configuration when the whole node is known (flags vs config file)."""

    __slots__ = ("command_line", "source", "texts", "version", "view")
    command_line: Final[CommandLine]
    version: Final[Version]
    view: Final[KubeletView | None]
    # "service": the resolved ExecStart of a node; "env-file": one variable of
    # an env file linted alone; "cmdline": given by the user
    source: Final[str]
    # display path -> text of the files the words sit in, so that a fix can
    # check what surrounds a flag (quotes, separators) before deleting it
    texts: Final[Mapping[str, str]]

    def __init__(self, command_line: CommandLine, version: Version, view: KubeletView | None = None,
                 source: str = "service", texts: Mapping[str, str] | None = None) -> None:
        self.command_line = command_line
        self.version = version
        self.view = view
        self.source = source
        self.texts = {} if texts is None else texts


class NodeContext(Record):
    """The whole node: command line, effective config, kubeconfigs, runtime."""

    __slots__ = ("node", "real_root", "version")
    node: Final[NodeView]
    version: Final[Version]
    # True when linting a real filesystem root (permissions and owners mean something)
    real_root: Final[bool]

    def __init__(self, node: NodeView, version: Version, real_root: bool = False) -> None:
        self.node = node
        self.version = version
        self.real_root = real_root
