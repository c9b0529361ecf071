"""A deprecated kubelet flag: set it in the config file instead.

Why: almost every kubelet setting moved into the KubeletConfiguration file,
and the flags that set them carry the deprecation "This parameter should be
set via the config file specified by the Kubelet's --config flag". They
still work, but each start logs ``Flag --cgroup-driver has been
deprecated``, and a flag silently wins over the config file, so whoever edits
``config.yaml`` sees no effect. A few flags without a config field
(``--maximum-dead-containers``, ``--experimental-mounter-path``) are
deprecated for removal. Flags whose removal release is known are reported
by KL201 instead.

Fails:
    # /var/lib/kubelet/kubeadm-flags.env
    KUBELET_KUBEADM_ARGS="--cgroup-driver=systemd"
Passes:
    # /var/lib/kubelet/config.yaml
    apiVersion: kubelet.config.k8s.io/v1beta1
    kind: KubeletConfiguration
    cgroupDriver: systemd
Fix: unsafe, on a whole node only (``kubelint node``): deletes the flag and
sets its converted value in the ``--config`` file (``--eviction-hard=a<1,b<2``
becomes an ``evictionHard`` mapping, ``--feature-gates=A=true`` sets
``featureGates.A``). Not offered when the move would change behaviour: the
kubelet has no ``--config`` file (a new file switches every other default
from the legacy flag defaults to the config defaults), the flag is given
twice, a ``--config-dir`` drop-in sets the same field (it would win over the
moved value), the value is a zero the config defaulting replaces, a relative
path (resolved against another directory in the file), an
``--eviction-hard`` with ``mergeDefaultEvictionSettings: true``, or a boolean
followed by a stray ``false`` (``--anonymous-auth false`` is true, KL205).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint import knowledge
from kubelint.contexts import CommandLineContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.knowledge import FlagSpec
from kubelint.loaders.cmdline import FlagOccurrence
from kubelint.rules._values import yaml_value
from kubelint.rules.flags._migration import Move, config_target, migration_fix, plan
from kubelint.rules.flags._support import (
    flag_location,
    is_deprecated,
    kubeadm_hint,
    shown,
    version_text,
)


def check(context: CommandLineContext) -> Iterator[Finding]:
    for occurrence in context.command_line.flags.occurrences:
        spec = knowledge.lookup_flag(occurrence.name)
        if spec is None or spec.status != "deprecated" or not is_deprecated(spec, context.version):
            continue
        yield _finding(context, occurrence, spec)


def _finding(context: CommandLineContext, occurrence: FlagOccurrence, spec: FlagSpec) -> Finding:
    location = flag_location(occurrence, context.command_line)
    if spec.config_field is None:
        return Finding(location, _removal_message(context, occurrence, spec), hint=kubeadm_hint(occurrence))
    move = plan(context, occurrence, spec)
    fix = migration_fix(context, occurrence, move)
    hint = kubeadm_hint(occurrence)
    if fix is None and move.blocker is not None and context.source == "service":
        hint = f"no automatic move: {move.blocker}" + (f"; {hint}" if hint else "")
    return Finding(location, _config_message(context, occurrence, spec, move), fix=fix, hint=hint)


def _removal_message(context: CommandLineContext, occurrence: FlagOccurrence, spec: FlagSpec) -> str:
    since = f" since {version_text(spec.deprecated_in)}" if spec.deprecated_in else ""
    what = (spec.replacement or "delete it").rstrip(".")
    return (f"`{shown(occurrence)}` is deprecated{since} and will be removed in a future release "
            f"(the kubelet {version_text(context.version)} still accepts it): {what}")


def _config_message(context: CommandLineContext, occurrence: FlagOccurrence, spec: FlagSpec, move: Move) -> str:
    assert spec.config_field is not None
    setting = f"`{spec.config_field}`"
    if move.value is not None:
        setting = f"`{spec.config_field}: {yaml_value(move.value)}`"
    view = context.view
    if context.source == "service" and view is not None and not view.uses_config_file:
        message = (f"`{shown(occurrence)}` is deprecated: the kubelet runs without --config, so start it with a "
                   f"KubeletConfiguration file that sets {setting} and the other flag settings, then delete the flag")
    else:
        message = f"`{shown(occurrence)}` is deprecated: set {setting} in {_config_file(context)} and delete the flag"
    if spec.removed_in is not None:
        message += f" (it is removed in {version_text(spec.removed_in)})"
    return message


def _config_file(context: CommandLineContext) -> str:
    """The ``--config`` file by the path the kubelet is given (or the file kubelint read)."""
    named = context.command_line.value("config")
    if named:
        return named
    if context.view is not None:
        target = config_target(context.view)
        if target is not None:
            return target.path
    return "the file given to --config"


RULE = define(__doc__, code="KL202", name="deprecated-flag", severity=Severity.WARNING, scope=Scope.COMMAND_LINE,
              check=check, fixable=True, tags=("upgrade",))
