"""Plumbing shared by the kubeconfig rules (KL5xx).

Every rule needs the typed kubeconfig, the current-context resolution, the
role of the file and a good place to point; this keeps them one call away
and decodes each document once.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Applicability, Fix, Location, Severity, Span, YamlEdit
from kubelint.loaders.yaml import KeyPath, YamlDocument
from kubelint.models.kubeconfig import (
    Decoded,
    Named,
    Role,
    Selection,
    decode_kubeconfig,
    effective_role,
    resolve_reference,
)
from kubelint.redact import redact_token

_SECTION_WORD = {"clusters": "cluster", "users": "user", "contexts": "context"}
_CACHE_SIZE = 64
_cache: dict[int, tuple[YamlDocument, Decoded]] = {}
_cache_lock = threading.Lock()


def decoded(context: KubeconfigContext) -> Decoded:
    """The document decoded as client-go would (memoised per document)."""
    document = context.document
    with _cache_lock:
        hit = _cache.get(id(document))
        if hit is not None and hit[0] is document:
            return hit[1]
    result = decode_kubeconfig(context.data)
    with _cache_lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        _cache[id(document)] = (document, result)
    return result


def role(context: KubeconfigContext) -> Role | None:
    return effective_role(context.role, context.document.path)


def selection(context: KubeconfigContext) -> Selection:
    return decoded(context).config.current()


def in_use(context: KubeconfigContext, entry: Named[Any]) -> bool:
    """Whether the kubelet would use ``entry``. When current-context resolves to
    nothing we cannot tell which entry was meant, so every entry counts."""
    chosen = selection(context)
    return chosen.context is None or chosen.uses(entry)


def severity_for(context: KubeconfigContext, entry: Named[Any]) -> Severity | None:
    """The rule's own severity for an entry in use, a warning for one the
    current context does not reach (client-go only validates what it uses)."""
    return None if in_use(context, entry) else Severity.WARNING


def unused_note(context: KubeconfigContext, entry: Named[Any]) -> str:
    if in_use(context, entry):
        return ""
    current = selection(context).context_name
    return f" (not used by current-context {quote(current)}; it fails once selected)"


def quote(name: str) -> str:
    """Go's %q for plain names."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def describe(entry: Named[Any]) -> str:
    """``user "default-auth"``, or ``cluster #2 (no name)``."""
    word = _SECTION_WORD[entry.section]
    if entry.name:
        return f"{word} {quote(entry.name)}"
    return f"{word} #{entry.index + 1} (no name)"


def at(context: KubeconfigContext, path: KeyPath, *, key: bool = False) -> Location:
    return context.location(path, key=key)


def field_location(context: KubeconfigContext, entry: Named[Any], *names: str, key: bool = True) -> Location:
    """The first of ``names`` that the entry sets (its key by default), else the entry."""
    for name in names:
        if entry.path(name) in context.document.positions:
            return at(context, entry.path(name), key=key)
    return entry_location(context, entry)


def entry_location(context: KubeconfigContext, entry: Named[Any]) -> Location:
    """An entry's ``name`` value, else its ``cluster:``/``user:``/``context:`` key, else its first line."""
    positions = context.document.positions
    if entry.name_path in positions:
        return at(context, entry.name_path)
    if entry.path() in positions:
        return at(context, entry.path(), key=True)
    span = context.document.nearest_span(entry.entry_path)
    return Location(context.document.path, Span(span.line, span.column, span.line, span.column + 1))


def document_anchor(context: KubeconfigContext) -> Location:
    """For findings about the whole file: its ``kind`` key, else its first key."""
    positions = context.document.positions
    for key in ("kind", "apiVersion"):
        if (key,) in positions:
            return at(context, (key,), key=True)
    top_level = [path for path in positions if len(path) == 1]
    if top_level:
        return at(context, min(top_level, key=lambda path: context.document.key_span(path) or Span(0, 0, 0, 0)), key=True)
    span = context.document.span
    return Location(context.document.path, Span(span.line, span.column, span.line, span.column + 1))


def delete_fix(context: KubeconfigContext, path: KeyPath, description: str) -> Fix:
    edit = YamlEdit(context.document.path, context.document.index, path, "delete")
    return Fix(description, Applicability.UNSAFE, (edit,))


def set_fix(context: KubeconfigContext, path: KeyPath, value: Any, description: str) -> Fix:
    edit = YamlEdit(context.document.path, context.document.index, path, "set", value)
    return Fix(description, Applicability.UNSAFE, (edit,))


def file_exists(context: KubeconfigContext, reference: str) -> bool | None:
    """Whether a file the kubeconfig names exists on the node; None when unknown
    (the file was linted on its own)."""
    existing = context.existing_files
    if existing is None:
        return None
    resolved = resolve_reference(reference, context.document.path)
    wanted = {reference, resolved, reference.lstrip("/"), resolved.lstrip("/")}
    return any(path in wanted or path.lstrip("/") in wanted for path in existing)


# --- credentials -------------------------------------------------------------------------

BOOTSTRAP_TOKEN = re.compile(r"[a-z0-9]{6}\.[a-z0-9]{16}")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_HEX_STATIC = re.compile(r"[0-9a-fA-F]{32}")
_UPPERCASE_BOOTSTRAP = re.compile(r"[A-Za-z0-9]{6}\.[A-Za-z0-9]{16}")


def is_bootstrap_token(token: str) -> bool:
    return BOOTSTRAP_TOKEN.fullmatch(token) is not None


def token_kind(token: str) -> str:
    """What kind of bearer token this looks like, in words (never the token)."""
    if is_bootstrap_token(token):
        return "bootstrap token"
    if _UPPERCASE_BOOTSTRAP.fullmatch(token):
        return "bootstrap-token-like value with upper-case letters"
    if _JWT.fullmatch(token):
        return "JWT (a service-account or OIDC token)"
    if _HEX_STATIC.fullmatch(token):
        return "static token (like a --token-auth-file token.csv entry)"
    return "static token"


def shown_token(token: str) -> str:
    """``bootstrap token abcdef.****************``: kind and redacted form."""
    return f"{token_kind(token)} {redact_token(token)}"
