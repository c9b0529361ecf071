"""A flag value the kubelet cannot parse, or a name outside the flag's fixed set.

Why: flag values are parsed before anything else, and a bad one stops the
kubelet with ``failed to parse kubelet flag: invalid argument "11o" for
"--max-pods" flag``. Booleans take ``true``/``false`` (also ``1``, ``t``,
``TRUE``...), integers must fit 32 or 64 bits, durations need a unit
(``30s``, not ``30``), map flags take ``key=value`` (``--eviction-hard``:
``signal<quantity``) pairs. Fixed-name flags (``--cpu-manager-policy``,
``--authorization-mode``, ``--cgroup-driver``...) are matched exactly;
on a whole node the effective value is checked by KL105 instead, so this
rule checks names only for a lone env or unit file.

Fails:
    KUBELET_EXTRA_ARGS="--max-pods=11o --cpu-manager-policy=Static"
Passes:
    KUBELET_EXTRA_ARGS="--max-pods=110 --cpu-manager-policy=static"
Fix: for a name that matches exactly one valid name apart from case
(``Static`` becomes ``static``): safe where the kubelet refuses the value as
written, unsafe for ``--cgroup-driver`` (accepted as written, but it then
selects cgroupfs). None for values that do not parse (which number was
meant is the owner's call).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint import knowledge
from kubelint.contexts import CommandLineContext
from kubelint.diagnostics import Applicability, Finding, Fix, Severity
from kubelint.engine import Scope, define
from kubelint.flag_values import FlagValueError, convert
from kubelint.knowledge import FlagSpec
from kubelint.loaders.cmdline import FlagOccurrence
from kubelint.rules.flags._support import NODE_OS, replace_value_edit, shown, value_location, version_text
from kubelint.rules.validity.enum_values import CHOICES, Choice, correction

_KINDS = {
    "bool": "a boolean (true or false)",
    "int32": "a 32-bit integer",
    "int": "an integer",
    "int64": "a 64-bit integer",
    "float": "a number",
    "duration": "a duration such as 30s or 1m30s",
    "quantity": "a quantity such as 100Mi",
    "ip": "an IP address",
    "map-string-string": "a list of key=value pairs",
    "map-string-bool": "a list of Name=true|false pairs",
    "langle-map": "a list of signal<quantity pairs",
    "colon-multimap": "a list of name:value pairs",
    "taints": "a list of key=value:Effect taints",
    "reserved-memory": "a NUMA reservation such as 0:memory=1Gi",
}


def check(context: CommandLineContext) -> Iterator[Finding]:
    for occurrence in context.command_line.flags.occurrences:
        spec = knowledge.lookup_flag(occurrence.name)
        if spec is None or occurrence.value is None:
            continue
        if not spec.exists_in(context.version) or not spec.available_on(NODE_OS):
            continue  # KL201/KL203 report the flag itself
        try:
            value = convert(spec.type, occurrence.value, config_field=spec.config_field)
        except FlagValueError as error:
            yield _unparsable(context, occurrence, spec, str(error))
            continue
        yield from _names(context, occurrence, spec, value)


def _unparsable(context: CommandLineContext, occurrence: FlagOccurrence, spec: FlagSpec, reason: str) -> Finding:
    flag = shown(occurrence)
    kind = _KINDS.get(spec.type, f"a {spec.type}")
    message = (f"`{flag}` takes {kind}: {reason}; the kubelet {version_text(context.version)} exits with "
               f"`invalid argument \"{occurrence.value}\" for \"{flag}\" flag`")
    return Finding(value_location(occurrence, context.command_line), message)


def _names(context: CommandLineContext, occurrence: FlagOccurrence, spec: FlagSpec, value: Any) -> Iterator[Finding]:
    choice = _choice(spec)
    if choice is not None:
        if context.view is not None or choice.gate is not None:
            return  # KL105 judges the effective value; a gated name needs the gate's state
        allowed = choice.values(context.version)
    elif spec.values is not None:
        allowed = spec.values
    else:
        return
    entries = value if isinstance(value, list) else [value]
    for entry in entries:
        if isinstance(entry, str) and entry and entry not in allowed:
            yield _bad_name(context, occurrence, spec, choice, entry, allowed, single=len(entries) == 1)


def _choice(spec: FlagSpec) -> Choice | None:
    return next((choice for choice in CHOICES if choice.path == spec.config_field), None)


def _bad_name(context: CommandLineContext, occurrence: FlagOccurrence, spec: FlagSpec, choice: Choice | None,
              entry: str, allowed: tuple[str, ...], *, single: bool) -> Finding:
    flag = shown(occurrence)
    if choice is not None:
        consequence = choice.consequence
        detail = choice.fragment(entry, allowed)
        severity = choice.severity or Severity.ERROR
    else:
        consequence = "the kubelet refuses to start"
        detail = f"{flag} {entry!r} is not one of {', '.join(allowed)}"
        severity = Severity.ERROR
    message = f"`{flag}={occurrence.value}`: {detail}; {consequence}"
    fix = None
    better = correction(spec.config_field or "", entry, allowed)
    if better is not None:
        message += f"; did you mean {better!r}?"
        edit = replace_value_edit(occurrence, context.command_line, context.texts, better) if single else None
        # a name the kubelet accepts as written (a warning) still acts differently once corrected
        applicability = Applicability.SAFE if severity is Severity.ERROR else Applicability.UNSAFE
        fix = Fix(f"replace {entry!r} with {better!r}", applicability, (edit,)) if edit else None
    return Finding(value_location(occurrence, context.command_line), message, severity, fix=fix)


RULE = define(__doc__, code="KL204", name="invalid-flag-value", severity=Severity.ERROR, scope=Scope.COMMAND_LINE,
              check=check, fixable=True)
