"""``--config-dir`` that this kubelet cannot use.

Why: the drop-in directory arrived in 1.28 as an alpha that works only when
the kubelet's environment has ``KUBELET_CONFIG_DROPIN_DIR_ALPHA`` (any
value); without it a 1.28 or 1.29 kubelet exits at start. From 1.30 (beta)
the variable is not needed; the feature is GA in 1.35. (A kubelet older
than 1.28 does not know the flag at all: that is the unknown-flag rule's.)
A directory that does not exist stops every version: the kubelet walks it
and fails on the error. The environment is the unit's (``Environment=``/``EnvironmentFile=``),
so this is only judged when the kubelet's unit was read.

Fails:
    # kubelet 1.29, 20-config-dir.conf
    [Service]
    Environment="KUBELET_EXTRA_ARGS=--config-dir=/etc/kubernetes/kubelet.conf.d"
Passes:
    [Service]
    Environment="KUBELET_CONFIG_DROPIN_DIR_ALPHA=on"
    Environment="KUBELET_EXTRA_ARGS=--config-dir=/etc/kubernetes/kubelet.conf.d"
Fix: none automatic: set the variable in the kubelet's unit (1.28–1.29),
upgrade, or create the directory.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.contexts import NodeContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define

ALPHA_VARIABLE = "KUBELET_CONFIG_DROPIN_DIR_ALPHA"
SINCE, BETA = (1, 28), (1, 30)


def check(context: NodeContext) -> Iterator[Finding]:
    node = context.node
    occurrence = node.command_line.flag("config-dir") if node.command_line else None
    if occurrence is None or not occurrence.value:
        return
    location = occurrence.whole_location or occurrence.value_location or node.view.anchor
    major, minor = context.version
    if (major, minor) < SINCE:
        return  # an unknown flag there, reported by the flag rules
    if (major, minor) < BETA and node.service is not None and ALPHA_VARIABLE not in node.service.environment:
        yield Finding(location, f"--config-dir is alpha in {major}.{minor}: the kubelet exits at start unless its "
                                f"environment has {ALPHA_VARIABLE}, which the kubelet unit does not set",
                      hint=f'add Environment="{ALPHA_VARIABLE}=on" to the kubelet unit (a drop-in), or upgrade to '
                           "1.30 where the variable is no longer needed")
    if node.exists(occurrence.value) is False:
        yield Finding(occurrence.value_location or location,
                      f"--config-dir {occurrence.value} does not exist under the node root: the kubelet fails to "
                      "walk it and exits", hint="create the directory (it may stay empty) or drop the flag")


RULE = define(__doc__, code="KL712", name="config-dir-unsupported", severity=Severity.ERROR, scope=Scope.NODE,
              check=check)
