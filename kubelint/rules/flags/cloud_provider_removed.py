"""``--cloud-provider`` names an in-tree cloud provider the target kubelet no longer has.

Why: the in-tree providers left the kubelet one by one: AWS in 1.27, Azure
in 1.30 and GCE, the last one, in 1.31. From then on only ``""`` (none) and
``external`` (a cloud-controller-manager does the cloud work) remain; any
other name parses but stops the kubelet with ``failed to run Kubelet:
unknown cloud provider "aws"``. Before its removal an in-tree provider
still works but is deprecated (a warning, version by version); the
removal releases of OpenStack and vSphere were not verified, so those are
only errors from 1.31.

Fails:
    # target 1.27 or later
    KUBELET_EXTRA_ARGS="--cloud-provider=aws"
Passes:
    # with the AWS cloud-controller-manager running in the cluster
    KUBELET_EXTRA_ARGS="--cloud-provider=external"
Fix: none automatic: switching to ``external`` needs the provider's
cloud-controller-manager deployed first.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.contexts import CommandLineContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.loaders.cmdline import FlagOccurrence
from kubelint.models.defaults import Version
from kubelint.rules.flags._support import shown, value_location, version_text

# the release whose kubelet no longer has the provider; None: not verified
IN_TREE: dict[str, Version | None] = {"aws": (1, 27), "azure": (1, 30), "gce": (1, 31),
                                      "openstack": None, "vsphere": None}
ALL_GONE: Version = (1, 31)
CCM = ("run the provider's cloud-controller-manager and set --cloud-provider=external "
       "(or drop the flag when the node needs no cloud integration)")


def removed_in(provider: str) -> Version | None:
    """When the kubelet stopped knowing ``provider`` (ALL_GONE for the unverified ones)."""
    return IN_TREE.get(provider) or ALL_GONE


def check(context: CommandLineContext) -> Iterator[Finding]:
    occurrence = context.command_line.flag("cloud-provider")
    if occurrence is None or occurrence.value in (None, "", "external"):
        return
    finding = _finding(context, occurrence, occurrence.value or "")
    if finding is not None:
        yield finding


def _finding(context: CommandLineContext, occurrence: FlagOccurrence, provider: str) -> Finding | None:
    flag = f"{shown(occurrence)}={provider}"
    target = version_text(context.version)
    location = value_location(occurrence, context.command_line)
    if provider not in IN_TREE:
        return Finding(location, f"`{flag}`: {provider!r} is not a cloud provider the kubelet knows; it stops "
                                 f"with `unknown cloud provider \"{provider}\"`; use \"\" or external")
    gone = removed_in(provider)
    assert gone is not None
    if context.version >= gone:
        return Finding(location, f"`{flag}`: the in-tree {provider} provider was removed in {version_text(gone)}; "
                                 f"the kubelet {target} stops with `unknown cloud provider \"{provider}\"`; {CCM}")
    known = "" if IN_TREE[provider] else " (its exact removal release was not verified)"
    return Finding(location, f"`{flag}`: in-tree cloud providers are deprecated and {provider} is gone by "
                             f"{version_text(gone)}{known}; the kubelet {target} still runs it; {CCM} before "
                             "upgrading", Severity.WARNING)


RULE = define(__doc__, code="KL208", name="cloud-provider-removed", severity=Severity.ERROR,
              scope=Scope.COMMAND_LINE, check=check, tags=("upgrade",))
