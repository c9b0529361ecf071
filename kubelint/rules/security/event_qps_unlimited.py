"""``eventRecordQPS: 0``: what zero means depends on the kubelet version.

Why: CIS 4.2.8 asks for "0 or a level which ensures appropriate event
capture", and the tools disagree about 0 (kubescape fails it, the AKS
benchmark requires it). The API documents 0 as "no limit", but before 1.37
an explicit 0 fell back to the client's default rate limit (fixed by
kubernetes PR #117119, released in 1.37). From 1.37 on, 0 really is
unlimited: a crash-looping pod or a noisy controller can flood the API
server with events from this node. Unset means the default (50 per second
since 1.27, 5 before).

Fails:
    eventRecordQPS: 0
Passes:
    eventRecordQPS: 50
Fix: none automatic (the right level depends on the cluster's event load).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.security._common import locate, provenance, remedy

PATH = "eventRecordQPS"
FLAG = "--event-qps"
UNLIMITED_SINCE = (1, 37)


def check(view: KubeletView) -> Iterator[Finding]:
    if view.get(PATH) != 0 or isinstance(view.get(PATH), bool):
        return
    version = f"{view.version[0]}.{view.version[1]}"
    if view.version >= UNLIMITED_SINCE:
        meaning = (f"on kubelet {version} that means no limit: event storms from this node reach "
                   "the API server unthrottled")
    else:
        meaning = (f"on kubelet {version} an explicit 0 does not mean unlimited: it falls back to the "
                   "client's default rate limit (it becomes unlimited from 1.37 on)")
    yield Finding(
        locate(view, PATH),
        f"{PATH} is 0 ({provenance(view, PATH)}); {meaning}; to pin a limit, "
        f"{remedy(view, PATH, 50, FLAG)}",
    )


RULE = define(__doc__, code="KL408", name="event-qps-unlimited", severity=Severity.INFO,
              scope=Scope.KUBELET, check=check, cis=("4.2.8",),
              tags=("kube-bench:4.2.8", "kubescape:C-0180", "checkov:CKV_K8S_147"))
