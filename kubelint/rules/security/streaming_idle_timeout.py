"""Idle streaming connections never time out (``--streaming-connection-idle-timeout=0``).

Why: exec, attach and port-forward sessions that sit idle keep a connection
(and a process) open forever, which invites resource exhaustion. Only a
**flag** can set the timeout to zero: an explicit ``0s`` (or ``0``, ``0m``)
in a config file is a Go zero value that defaulting replaces with 4h, so it
is not reported (kubeadm writes ``streamingConnectionIdleTimeout: 0s`` into
every config.yaml; it means 4h). Durations are compared as durations, so
``=0``, ``=0s`` and ``=0m0s`` are all zero, unlike kube-bench's string
comparison and checkov's exact match. Recent kubelet types mark the field as
having no effect: with containerd or CRI-O the runtime's
``stream_idle_timeout`` is the timeout actually in force; the check stays
for CIS parity.

Fails:
    KUBELET_EXTRA_ARGS=--streaming-connection-idle-timeout=0s
Passes:
    streamingConnectionIdleTimeout: 5m
Fix: none automatic (drop the flag or give it a duration such as 5m).
"""

from collections.abc import Iterator
from typing import Any

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.types import Duration, ValueSyntaxError
from kubelint.rules.security._common import is_final_value, locate, provenance, remedy

PATH = "streamingConnectionIdleTimeout"
FLAG = "--streaming-connection-idle-timeout"


def as_duration(value: Any) -> Duration | None:
    """A duration from a typed or written value; None when it is not one."""
    if isinstance(value, Duration):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Duration(value)
    if isinstance(value, str):
        try:
            return Duration.parse(value.strip())
        except ValueSyntaxError:
            return None
    return None


def is_zero_timeout(view: KubeletView) -> bool:
    """Zero in effect: a flag keeps its zero (flags are applied after defaulting), and a
    /configz dump shows the value in force."""
    effective = as_duration(view.get(PATH))
    if effective is not None and effective.nanoseconds == 0 and view.is_set(PATH):
        return True
    if not is_final_value(view, PATH):
        return False  # the common case: no need to parse what was written
    written = as_duration(view.raw(PATH))
    return written is not None and written.nanoseconds == 0


def check(view: KubeletView) -> Iterator[Finding]:
    if not is_zero_timeout(view):
        return
    yield Finding(
        locate(view, PATH),
        f"streaming connections never time out: {PATH} is 0 ({provenance(view, PATH)}); "
        f"{remedy(view, PATH, '5m', FLAG)}",
        hint="with containerd or CRI-O also check the runtime's stream_idle_timeout, "
             "which governs the streams the runtime serves",
    )


RULE = define(__doc__, code="KL406", name="streaming-idle-timeout-disabled", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check, cis=("4.2.5",),
              tags=("kube-bench:4.2.5", "kubescape:C-0176", "checkov:CKV_K8S_143", "trivy:KCV0083"))
