"""A KubeletConfiguration key the kubelet does not know (often a typo).

Why: for v1beta1 the kubelet falls back to lenient decoding and only logs
"Using lenient decoding as strict decoding failed": the misspelled setting
is silently ignored and its default applies. ``maxPod: 250`` leaves the node
at 110 pods; ``TLSCipherSuites`` (wrong case) leaves every cipher allowed.

Fails:
    maxPod: 250
    authentication:
      anonymus:
        enabled: false
Passes:
    maxPods: 250
    authentication:
      anonymous:
        enabled: false
Fix: safe when exactly one known field is a near miss (case or a small
typo): the key is renamed, keeping its value and comments.
"""

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from kubelint.contexts import KubeletDocumentContext
from kubelint.diagnostics import Applicability, Finding, Fix, Severity, YamlEdit
from kubelint.engine import Scope, define
from kubelint.models.kubelet_fields import known_fields


def suggestion(key: str, known: list[str]) -> str | None:
    import difflib  # only for a near miss: most files never need it, and it costs every cold start

    lowered = {name.lower(): name for name in known}
    if key.lower() in lowered:
        return lowered[key.lower()]
    close = difflib.get_close_matches(key, known, n=2, cutoff=0.8)
    if len(close) == 1 or (close and difflib.SequenceMatcher(None, key, close[0]).ratio() > 0.9):
        return close[0]
    return None


# known_fields builds its answer from the schema tables on every call; the
# answer for a struct path never changes, and _walk only descends into known
# struct fields, so the paths asked about are the schema's own (bounded anyway)
@lru_cache(maxsize=1024)
def _fields_at(path: tuple[str, ...]) -> Mapping[str, str | None] | None:
    return known_fields(path)


# An unknown key: its key, its path in the document, the path shown, and the
# names known where it stands.
Unknown = tuple[str, tuple[str | int, ...], tuple[str, ...], Mapping[str, str | None]]


def _walk(data: dict[str, Any], path: tuple[str, ...], found: list[Unknown]) -> None:
    """Collect the unknown keys under ``data`` in document order.

    A plain recursion into a list: nested generators cost more than the walk
    itself. The findings (and their fuzzy-matched suggestions) are still built
    one at a time by ``check``, so a run that stops early never pays for them.
    """
    fields = _fields_at(path)
    if fields is None:
        return
    for key, value in data.items():
        if key in fields:
            if fields[key] is None:
                continue  # a leaf (or a map of free-form keys)
            if isinstance(value, dict):
                _walk(value, (*path, key), found)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, dict):
                        _walk_item(item, (*path, key), index, found)
            continue
        if not path and key in ("apiVersion", "kind"):
            continue
        found.append((key, (*path, key), (*path, key), fields))


def _walk_item(item: dict[str, Any], path: tuple[str, ...], index: int, found: list[Unknown]) -> None:
    fields = _fields_at(path)
    if fields is None:
        return
    for key in item:
        if key not in fields:
            found.append((key, (*path, index, key), (*path, key), fields))


def _finding(context: KubeletDocumentContext, key: str, doc_path: tuple[str | int, ...],
             shown: tuple[str, ...], names: list[str]) -> Finding:
    better = suggestion(key, names)
    dotted = ".".join(shown)
    message = f"unknown field {dotted!r}: the kubelet ignores it and uses the default"
    fix = None
    if better is not None:
        message += f"; did you mean {better!r}?"
        edit = YamlEdit(context.document.path, context.document.index, (*context.root, *doc_path), "rename",
                        new_key=better)
        fix = Fix(f"rename {key!r} to {better!r}", Applicability.SAFE, (edit,))
    return Finding(context.location(doc_path, key=True), message, fix=fix,
                   hint=None if fix else "remove it, or check the field name in the KubeletConfiguration reference")


def check(context: KubeletDocumentContext) -> Iterator[Finding]:
    data = context.data
    if not isinstance(data, dict):
        return
    found: list[Unknown] = []
    _walk(data, (), found)
    for key, doc_path, shown, fields in found:
        yield _finding(context, key, doc_path, shown, list(fields))


RULE = define(__doc__, code="KL011", name="unknown-field", severity=Severity.WARNING,
              scope=Scope.KUBELET_DOCUMENT, check=check, fixable=True)
