"""A file in the ``--config-dir`` directory that the kubelet ignores.

Why: the kubelet merges only files whose name ends in ``.conf`` (in lexical
order of their path, subdirectories included); ``20-max-pods.yaml`` or
``50-eviction.conf.bak`` next to them are skipped without a word, so the
settings in them never apply. Hidden files (``.keep``) are left alone.

Fails:
    etc/kubernetes/kubelet.conf.d/20-max-pods.yaml
Passes:
    etc/kubernetes/kubelet.conf.d/20-max-pods.conf
Fix: none automatic: rename the file to end in ``.conf`` if it should apply,
or move it out of the directory.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from kubelint.contexts import NodeContext
from kubelint.diagnostics import FILE_START, Finding, Location, Related, Severity
from kubelint.engine import Scope, define
from kubelint.systemd_resolve import NodeFilesystem

MAX_DEPTH = 8


def check(context: NodeContext) -> Iterator[Finding]:
    node = context.node
    occurrence = node.command_line.flag("config-dir") if node.command_line else None
    if node.root is None or occurrence is None or not occurrence.value:
        return
    fs = NodeFilesystem(node.root)
    related = (Related(occurrence.value_location, "--config-dir"),) if occurrence.value_location else ()
    for node_path in _ignored(fs, occurrence.value):
        text = _text(fs, node_path)
        looks = text is not None and "KubeletConfiguration" in text
        message = f"{posixpath.basename(node_path)} is ignored: the kubelet reads only *.conf files from --config-dir"
        if looks:
            message += "; this one holds a KubeletConfiguration whose settings never apply"
        yield Finding(Location(node_path.lstrip("/"), FILE_START), message,
                      hint=f"rename it to {_renamed(node_path)} if it should apply" if looks else None,
                      related=related)


def _ignored(fs: NodeFilesystem, directory: str) -> Iterator[str]:
    pending = [(directory.rstrip("/") or "/", 0)]
    while pending:
        current, depth = pending.pop()
        resolved, names = fs.list_directory(current)
        if resolved.host_path is None or depth > MAX_DEPTH:
            continue
        for name in names:
            child = posixpath.join(current, name)
            host = fs.resolve(child).host_path
            if host is not None and host.is_dir():
                pending.append((child, depth + 1))
            elif not name.endswith(".conf") and not name.startswith("."):
                yield child


def _text(fs: NodeFilesystem, node_path: str) -> str | None:
    text, _error = fs.read_text(fs.resolve(node_path))
    return text


def _renamed(node_path: str) -> str:
    base = posixpath.basename(node_path)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return stem + ".conf"


RULE = define(__doc__, code="KL713", name="config-dir-file-ignored", severity=Severity.INFO, scope=Scope.NODE,
              check=check)
