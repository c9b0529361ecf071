"""The same flag is given more than once on the kubelet's command line.

Why: a kubeadm node builds the command line from four variables
(``$KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS
$KUBELET_EXTRA_ARGS``), so a flag set in ``/etc/default/kubelet`` and again in
``kubeadm-flags.env`` is common. For a scalar flag the last one silently
wins: whoever edits the earlier copy sees no effect. Map and list flags
(``--node-labels``, ``--feature-gates``, ``--eviction-hard``,
``--cluster-dns``...) accumulate instead: every copy adds its keys or items,
and a key given again takes the later value (info).

Fails:
    # /etc/default/kubelet (on a node, copies in other files count too)
    KUBELET_EXTRA_ARGS="--v=2 --node-ip=10.0.12.7 --v=4"
Passes:
    KUBELET_EXTRA_ARGS="--node-ip=10.0.12.7 --v=4"
Fix: safe for a scalar flag: deletes the earlier copies, which the last one
overrides anyway (offered when each is written plainly in a file kubelint
read). None for map and list flags.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint import knowledge
from kubelint.contexts import CommandLineContext
from kubelint.diagnostics import Applicability, Finding, Fix, Related, Severity, Span, TextEdit
from kubelint.engine import Scope, define
from kubelint.flag_values import ACCUMULATING_TYPES, FlagValueError, convert
from kubelint.knowledge import FlagSpec
from kubelint.loaders.cmdline import FlagOccurrence
from kubelint.rules.flags._support import delete_flag_edit, flag_location, shown, shown_with_value

# pflag's string slices append after their first use, like the map flags
ACCUMULATING = ACCUMULATING_TYPES | {"string-list"}


def check(context: CommandLineContext) -> Iterator[Finding]:
    groups: dict[str, tuple[FlagSpec, list[FlagOccurrence]]] = {}
    for occurrence in context.command_line.flags.occurrences:
        spec = knowledge.lookup_flag(occurrence.name)
        if spec is not None:
            groups.setdefault(spec.name, (spec, []))[1].append(occurrence)
    for spec, occurrences in groups.values():
        if len(occurrences) < 2:
            continue
        if spec.type in ACCUMULATING:
            yield _accumulated(context, spec, occurrences)
        else:
            yield _overridden(context, occurrences)


def origin_of(occurrence: FlagOccurrence) -> str:
    """``$KUBELET_EXTRA_ARGS`` when the flag came through a variable."""
    for step in occurrence.via:
        name, found, _ = step.partition(" in ")
        if found and name and not name.startswith("ExecStart"):
            return f" (via ${name})"
    return ""


def _where(occurrence: FlagOccurrence) -> str:
    location = occurrence.whole_location
    return str(location) if location is not None else "earlier on the command line"


def _overridden(context: CommandLineContext, occurrences: list[FlagOccurrence]) -> Finding:
    last, earlier = occurrences[-1], occurrences[:-1]
    related = tuple(Related(o.whole_location, f"{shown_with_value(o)} (overridden)")
                    for o in earlier if o.whole_location is not None)
    values = {o.effective_value for o in occurrences}
    count = _times(len(occurrences))
    if len(values) == 1:
        message = (f"`{shown(last)}` is given {count} with the same value; the copies at "
                   f"{', '.join(_where(o) for o in earlier)} are redundant")
        severity = Severity.INFO
    else:
        lost = ", ".join(f"`{shown_with_value(o)}` at {_where(o)}{origin_of(o)}" for o in earlier)
        message = (f"`{shown(last)}` is given {count}: `{shown_with_value(last)}` here{origin_of(last)} "
                   f"silently wins over {lost}; keep one")
        severity = Severity.WARNING
    return Finding(flag_location(last, context.command_line), message, severity,
                   fix=_drop_earlier(context, earlier), related=related)


def _drop_earlier(context: CommandLineContext, earlier: list[FlagOccurrence]) -> Fix | None:
    edits: list[TextEdit] = []
    for occurrence in earlier:
        edit = delete_flag_edit(occurrence, context.command_line, context.texts)
        if edit is None:
            return None
        edits.append(edit)
    shown_all = ", ".join(shown_with_value(o) for o in earlier)
    return Fix(f"delete the overridden {shown_all}", Applicability.SAFE, _merged_deletions(edits))


def _merged_deletions(edits: list[TextEdit]) -> tuple[TextEdit, ...]:
    """One deletion per run of overlapping ones: two adjacent copies each take
    the blank between them (the first its trailing one, the last its leading
    one), and a fix's edits must not overlap."""
    merged: list[TextEdit] = []
    for edit in sorted(edits, key=lambda e: (e.path, e.span.line, e.span.column)):
        previous = merged[-1] if merged else None
        if (previous is not None and previous.path == edit.path
                and (edit.span.line, edit.span.column) < (previous.span.end_line, previous.span.end_column)):
            end = max((previous.span.end_line, previous.span.end_column), (edit.span.end_line, edit.span.end_column))
            merged[-1] = TextEdit(previous.path, Span(previous.span.line, previous.span.column, *end), "")
        else:
            merged.append(edit)
    return tuple(merged)


def _accumulated(context: CommandLineContext, spec: FlagSpec, occurrences: list[FlagOccurrence]) -> Finding:
    last = occurrences[-1]
    kind = "list" if spec.type == "string-list" else "map"
    message = (f"`{shown(last)}` is given {_times(len(occurrences))}: {kind} flags accumulate, so "
               f"{'the items' if kind == 'list' else 'the keys'} of every copy apply")
    replaced = _replaced_keys(spec, occurrences)
    if replaced:
        message += f"; a later copy replaces {', '.join(replaced)}"
    if spec.config_field:
        message += f"; one `{spec.config_field}` in the config file is easier to read"
    related = tuple(Related(o.whole_location, shown_with_value(o))
                    for o in occurrences[:-1] if o.whole_location is not None)
    return Finding(flag_location(last, context.command_line), message, Severity.INFO, related=related)


def _replaced_keys(spec: FlagSpec, occurrences: list[FlagOccurrence]) -> list[str]:
    seen: dict[str, object] = {}
    replaced: list[str] = []
    for occurrence in occurrences:
        try:
            value = convert(spec.type, occurrence.effective_value or "", config_field=spec.config_field)
        except FlagValueError:
            continue
        if not isinstance(value, dict):
            continue
        for key, item in value.items():
            if key in seen and seen[key] != item and key not in replaced:
                replaced.append(key)
            seen[key] = item
    return replaced


def _times(count: int) -> str:
    return "twice" if count == 2 else f"{count} times"


RULE = define(__doc__, code="KL206", name="duplicate-flag", severity=Severity.WARNING, scope=Scope.COMMAND_LINE,
              check=check, fixable=True)
