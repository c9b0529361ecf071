"""A flag that the target kubelet no longer has (or loses in a later release).

Why: the kubelet parses its whole command line before it does anything else,
and a flag it does not know stops it at once with
``failed to parse kubelet flag: unknown flag: --network-plugin``: the node
goes NotReady after an upgrade although nothing else changed. Old install
guides and the seed's binary install still carry such flags
(``--network-plugin`` and the dockershim flags, removed in 1.24; the klog
flags ``--logtostderr``/``--log-dir``, 1.26; ``--container-runtime``, 1.27;
``--pod-infra-container-image``, 1.35). Before the removal release the flag
is still accepted but deprecated: a warning, so the upgrade does not fail.
The verdict follows ``--kubernetes-version``.

Fails:
    # /opt/kubernetes/cfg/kubelet.conf (target 1.24 or later)
    KUBELET_OPTS="--hostname-override=k8s-master --network-plugin=cni"
Passes:
    # CNI is configured in the container runtime, not on the kubelet
    KUBELET_OPTS="--hostname-override=k8s-master"
Fix: safe once the flag is removed at the target version (the kubelet does
not start with it): deletes the flag, its value and one blank, keeping the
quotes and the other flags; offered only when the flag and its value are
written plainly in one file. Unsafe before the removal release (the flag
still acts there).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint import knowledge
from kubelint.contexts import CommandLineContext
from kubelint.diagnostics import Applicability, Finding, Fix, Severity
from kubelint.engine import Scope, define
from kubelint.knowledge import FlagSpec
from kubelint.loaders.cmdline import FlagOccurrence
from kubelint.rules.flags._support import (
    delete_flag_edit,
    flag_location,
    is_deprecated,
    kubeadm_hint,
    shown,
    unknown_flag_error,
    version_text,
)


def check(context: CommandLineContext) -> Iterator[Finding]:
    for occurrence in context.command_line.flags.occurrences:
        spec = knowledge.lookup_flag(occurrence.name)
        if spec is None or spec.status != "removed":
            continue
        if spec.is_removed(context.version):
            yield _removed(context, occurrence, spec)
        elif is_deprecated(spec, context.version):
            yield _going(context, occurrence, spec)


def instead(spec: FlagSpec) -> str:
    """What replaces a removed flag, as a clause."""
    replacement = (spec.replacement or "none; remove the flag").strip()
    if replacement in ("none", "none; remove the flag", "none; drop the flag"):
        return "nothing replaces it"
    if replacement.startswith("none"):
        rest = replacement[len("none"):].lstrip(";:, ")
        return f"nothing replaces it{' ' if rest.startswith('(') else ': '}{rest}"
    return f"instead: {replacement}"


def _when(spec: FlagSpec) -> str:
    if spec.removed_in is None:
        return "was removed (before the releases kubelint covers)"
    return f"was removed in {version_text(spec.removed_in)}"


def _removed(context: CommandLineContext, occurrence: FlagOccurrence, spec: FlagSpec) -> Finding:
    flag = shown(occurrence)
    message = (f"`{flag}` {_when(spec)}: the kubelet {version_text(context.version)} exits with "
               f"{unknown_flag_error(occurrence)}; {instead(spec)} — delete it")
    return Finding(flag_location(occurrence, context.command_line), message, Severity.ERROR,
                   fix=_deletion(context, occurrence, Applicability.SAFE), hint=kubeadm_hint(occurrence))


def _going(context: CommandLineContext, occurrence: FlagOccurrence, spec: FlagSpec) -> Finding:
    assert spec.removed_in is not None  # is_removed() is true everywhere without a release
    flag = shown(occurrence)
    message = (f"`{flag}` is deprecated and removed in {version_text(spec.removed_in)}: the kubelet "
               f"{version_text(context.version)} still accepts it, {version_text(spec.removed_in)} exits with "
               f"{unknown_flag_error(occurrence)}; {instead(spec)} — delete it before upgrading")
    return Finding(flag_location(occurrence, context.command_line), message, Severity.WARNING,
                   fix=_deletion(context, occurrence, Applicability.UNSAFE), hint=kubeadm_hint(occurrence))


def _deletion(context: CommandLineContext, occurrence: FlagOccurrence, applicability: Applicability) -> Fix | None:
    edit = delete_flag_edit(occurrence, context.command_line, context.texts)
    if edit is None:
        return None
    return Fix(f"delete {shown(occurrence)}", applicability, (edit,))


RULE = define(__doc__, code="KL201", name="removed-flag", severity=Severity.ERROR, scope=Scope.COMMAND_LINE,
              check=check, fixable=True, tags=("upgrade",))
