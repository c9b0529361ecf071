"""A command-line flag overrides a different value in the config file or a drop-in.

Why: the kubelet parses its command line again on top of the loaded
``--config`` file and ``--config-dir`` drop-ins, so a flag always wins, and
silently: whoever edits ``config.yaml`` sees no effect. The flag often sits
far away, in ``kubeadm-flags.env`` (which kubeadm rewrites on join and
upgrade), ``/etc/default/kubelet``, ``/etc/sysconfig/kubelet`` or a unit
drop-in. Feature gates are compared gate by gate (the command line wins per
gate); a map flag such as ``--eviction-hard`` replaces the whole map.
A config value left at its zero value (``""``, ``0s``), which the kubelet
replaces by a default, does not count as set.

Fails:
    # var/lib/kubelet/kubeadm-flags.env
    KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock --cgroup-driver=cgroupfs"
    # var/lib/kubelet/config.yaml
    cgroupDriver: systemd
Passes:
    # var/lib/kubelet/kubeadm-flags.env
    KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock"
    # var/lib/kubelet/config.yaml
    cgroupDriver: systemd
Fix: unsafe: remove the flag so the config file's value applies (offered
when the flag is written once, as one word, in a file kubelint read).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.contexts import NodeContext
from kubelint.diagnostics import Applicability, Finding, Fix, Related, Severity, Span, TextEdit
from kubelint.engine import Scope, define
from kubelint.kubelet_view import FieldPath, KubeletView, Origin, dotted
from kubelint.loaders.cmdline import FlagOccurrence
from kubelint.models.defaults import DEFAULTS
from kubelint.models.types import Duration, ValueSyntaxError, parse_duration_ns
from kubelint.node import NodeView
from kubelint.rules.node._common import (
    describe_origin,
    flag_occurrence,
    flag_text,
    same_value,
    setting,
    short,
    variable_of,
)

_ZERO_DEFAULTED = frozenset(rule.path for rule in DEFAULTS if rule.when == "zero")
_FILE_KINDS = ("config", "dropin")


def check(context: NodeContext) -> Iterator[Finding]:
    node = context.node
    view = node.view
    for path in sorted(view.history):
        origin = view.origins.get(path)
        if origin is None or origin.kind != "flag":
            continue
        earlier = [(value, where) for value, where in view.history[path] if where.kind in _FILE_KINDS]
        if not earlier:
            continue
        written, written_origin = earlier[-1]
        flag_value = view.raw(path)
        if _leaves_default(path, written) or same_value(written, flag_value):
            continue
        yield _finding(node, view, path, origin, flag_value, written, written_origin, earlier[:-1])


def _leaves_default(path: FieldPath, value: Any) -> bool:
    """A value the kubelet's defaulting replaces, so the file did not really choose it."""
    if value is None or value in ("", [], {}):
        return True
    if path not in _ZERO_DEFAULTED:
        return False
    if isinstance(value, Duration):
        return value.nanoseconds == 0
    if isinstance(value, str):
        try:
            return parse_duration_ns(value) == 0
        except ValueSyntaxError:
            return False
    return isinstance(value, int | float) and not isinstance(value, bool) and value == 0


def _finding(node: NodeView, view: KubeletView, path: FieldPath, origin: Origin, flag_value: Any,
             written: Any, written_origin: Origin, older: list[tuple[Any, Origin]]) -> Finding:
    occurrence = flag_occurrence(node, origin)
    shown = flag_text(occurrence) if occurrence else f"--{origin.flag}"
    where = describe_origin(written_origin)
    layer = "--config-dir drop-ins" if written_origin.kind == "dropin" else "the config file"
    if path[0] == "featureGates" and len(path) == 2:
        message = (f"{shown} sets feature gate {path[1]}={str(flag_value).lower()}, overriding "
                   f"{setting(path, written)} in {where} (the command line wins per gate)")
    elif isinstance(written, dict):
        message = (f"{shown} replaces {dotted(path)} set in {where}: flags win over {layer}, and the "
                   f"map from the flag replaces the file's whole map, so keys not on the flag are dropped")
    else:
        message = f"{shown} overrides {setting(path, written)} set in {where} (flags win over {layer})"
    related = [Related(written_origin.location, f"{setting(path, written)} (overridden)")] \
        if written_origin.location else []
    related += [Related(o.location, f"{setting(path, v)} (overridden earlier)") for v, o in older if o.location]
    location = (occurrence.whole_location if occurrence and occurrence.whole_location else None) \
        or origin.location or view.anchor
    return Finding(location, message, hint=_hint(path, origin, written_origin, flag_value),
                   fix=_removal(node, occurrence, path, written, written_origin), related=tuple(related))


def _hint(path: FieldPath, origin: Origin, written_origin: Origin, flag_value: Any) -> str:
    holder = variable_of(origin)
    target = written_origin.location.path if written_origin.location else "the config file"
    hint = (f"remove --{origin.flag}{' from ' + holder if holder else ''} and keep {dotted(path)} in {target} "
            f"(set it to {setting(path, flag_value).split(': ', 1)[1]} there if the flag's value is the one you want)")
    if holder and "kubeadm-flags.env" in holder:
        hint += "; kubeadm rewrites kubeadm-flags.env on join and upgrade from nodeRegistration.kubeletExtraArgs, " \
                "so remove it there too"
    return hint


def _removal(node: NodeView, occurrence: FlagOccurrence | None, path: FieldPath, written: Any,
             written_origin: Origin) -> Fix | None:
    """Delete the flag's word (and the blank before it) when that is exactly what the file holds."""
    if occurrence is None or occurrence.whole_location is None or node.command_line is None:
        return None
    if len(node.command_line.flags.all(occurrence.name)) != 1:
        return None  # an earlier occurrence would take over
    if path[0] == "featureGates" and "," in (occurrence.value or ""):
        return None  # the word carries other gates too
    span = _deletion_span(node.texts.get(occurrence.whole_location.path), occurrence)
    if span is None:
        return None
    edit = TextEdit(occurrence.whole_location.path, span, "")
    return Fix(f"remove {flag_text(occurrence)} so {setting(path, written)} from {short(written_origin.location)} "
               "applies", Applicability.UNSAFE, (edit,))


def _deletion_span(text: str | None, occurrence: FlagOccurrence) -> Span | None:
    assert occurrence.whole_location is not None
    span = occurrence.whole_location.span
    if text is None or span.line != span.end_line:
        return None
    lines = text.split("\n")
    if span.line > len(lines):
        return None
    line = lines[span.line - 1]
    segment = line[span.column - 1: span.end_column - 1]
    as_written = flag_text(occurrence)
    if segment != as_written and segment.split() != as_written.split("=", 1):
        return None
    start = span.column
    while start > 1 and line[start - 2] in " \t":
        start -= 1
    if start == span.column and span.end_column - 1 < len(line) and line[span.end_column - 1] in " \t":
        return Span(span.line, start, span.line, span.end_column + 1)
    return Span(span.line, start, span.line, span.end_column)


RULE = define(__doc__, code="KL709", name="flag-overrides-config", severity=Severity.WARNING, scope=Scope.NODE,
              check=check, fixable=True)
