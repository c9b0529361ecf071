"""A flag the target kubelet does not know.

Why: the kubelet stops at the first flag it does not know
(``failed to parse kubelet flag: unknown flag: --cgroup-drivers``) and
systemd restarts it in a loop. This covers typos, config-file field names
used as flags (``--cgroupDriver``), flags added after the target release
(``--config-dir`` before 1.28, ``--fail-cgroupv1`` before 1.31) and flags
only the Windows kubelet registers (``--windows-service``) on a Linux node.
Flags that existed and were removed are KL201.

Fails:
    KUBELET_EXTRA_ARGS="--cgroup-drivers=systemd"
Passes:
    KUBELET_EXTRA_ARGS="--cgroup-driver=systemd"
Fix: unsafe: renames the flag when exactly one known flag is a close match
(a typo, or the config field's flag); otherwise deletes the flag. Both
change what the kubelet is told, so check the result.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from kubelint import knowledge
from kubelint.contexts import CommandLineContext
from kubelint.diagnostics import Applicability, Finding, Fix, Severity
from kubelint.engine import Scope, define
from kubelint.knowledge import FlagSpec
from kubelint.loaders.cmdline import FlagOccurrence
from kubelint.models.defaults import Version
from kubelint.rules.flags._support import (
    NODE_OS,
    delete_flag_edit,
    flag_location,
    rename_flag_edit,
    shown,
    unknown_flag_error,
    valid_names,
    version_text,
)


def check(context: CommandLineContext) -> Iterator[Finding]:
    for occurrence in context.command_line.flags.occurrences:
        if occurrence.shorthand:
            continue  # unknown shorthands are parse problems (KL205)
        spec = knowledge.lookup_flag(occurrence.name)
        if spec is None:
            yield _unknown(context, occurrence)
        elif not spec.available_on(NODE_OS):
            yield _other_os(context, occurrence, spec)
        elif spec.state(context.version) == "not-yet":
            yield _not_yet(context, occurrence, spec)


def suggestion(name: str, version: Version) -> str | None:
    """The flag ``name`` most likely meant, if one stands out."""
    names = valid_names(version)
    kebab = re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()
    if kebab != name and kebab in names:
        return kebab
    by_field = knowledge.flags_by_config_field().get(name)
    if by_field is not None and by_field.exists_in(version):
        return by_field.name
    close = difflib.get_close_matches(name, names, n=2, cutoff=0.8)
    if len(close) == 1 or (len(close) == 2 and _clearly_closer(name, *close)):
        return close[0]
    return None


def _clearly_closer(name: str, first: str, second: str) -> bool:
    ratio = difflib.SequenceMatcher(None, name, first).ratio()
    return ratio - difflib.SequenceMatcher(None, name, second).ratio() >= 0.05


def _unknown(context: CommandLineContext, occurrence: FlagOccurrence) -> Finding:
    flag = shown(occurrence)
    meant = suggestion(occurrence.name, context.version)
    message = (f"unknown flag `{flag}`: the kubelet {version_text(context.version)} exits with "
               f"{unknown_flag_error(occurrence)}")
    fix = None
    if meant is not None:
        message += f"; did you mean `--{meant}`?"
        edit = rename_flag_edit(occurrence, context.command_line, context.texts, meant)
        fix = Fix(f"rename {flag} to --{meant}", Applicability.UNSAFE, (edit,)) if edit else None
    else:
        message += "; delete it or use a flag `kubelet --help` lists"
        # whether an unknown flag takes the next word as its value is anyone's guess
        fix = _deletion(context, occurrence) if occurrence.value_index in (None, occurrence.index) else None
    return Finding(flag_location(occurrence, context.command_line), message, fix=fix)


def _other_os(context: CommandLineContext, occurrence: FlagOccurrence, spec: FlagSpec) -> Finding:
    systems = " and ".join(name.capitalize() for name in spec.os)
    message = (f"`{shown(occurrence)}` exists only in the {systems} kubelet: this Linux kubelet exits with "
               f"{unknown_flag_error(occurrence)} — delete it")
    return Finding(flag_location(occurrence, context.command_line), message, fix=_deletion(context, occurrence))


def _not_yet(context: CommandLineContext, occurrence: FlagOccurrence, spec: FlagSpec) -> Finding:
    assert spec.added_in is not None
    added = version_text(spec.added_in)
    message = (f"`{shown(occurrence)}` was added in {added}: the kubelet {version_text(context.version)} exits "
               f"with {unknown_flag_error(occurrence)}; ")
    if spec.name == "config-dir":
        message += ("merge the drop-ins into the --config file and delete the flag, or upgrade the kubelet "
                    f"(from {added} to 1.29 it also needs KUBELET_CONFIG_DROPIN_DIR_ALPHA in its environment)")
    else:
        message += f"delete it, or upgrade the kubelet to {added} or later"
    return Finding(flag_location(occurrence, context.command_line), message, fix=_deletion(context, occurrence))


def _deletion(context: CommandLineContext, occurrence: FlagOccurrence) -> Fix | None:
    edit = delete_flag_edit(occurrence, context.command_line, context.texts)
    if edit is None:
        return None
    return Fix(f"delete {shown(occurrence)}", Applicability.UNSAFE, (edit,))


RULE = define(__doc__, code="KL203", name="unknown-flag", severity=Severity.ERROR, scope=Scope.COMMAND_LINE,
              check=check, fixable=True)
