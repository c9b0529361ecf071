"""Containers without a seccomp profile run unconfined (``seccompDefault`` off).

Why: with ``seccompDefault: true`` (or the ``--seccomp-default`` flag, which
is ORed with it) the kubelet gives every container that does not ask for a
profile the runtime's ``RuntimeDefault`` seccomp profile, which blocks
syscalls used in container escapes. The default is false. kube-bench only
checks that the setting is present, so ``seccompDefault: false`` passes
there; here the value counts. Advice, because a few workloads need extra
syscalls: test them first.

Fails:
    seccompDefault: false
Passes:
    seccompDefault: true
Fix: none automatic (workloads may need a profile of their own first).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.security._common import locate, provenance, remedy

PATH = "seccompDefault"
FLAG = "--seccomp-default"


def check(view: KubeletView) -> Iterator[Finding]:
    if view.get(PATH) is not False:
        return
    what = f"{PATH} is false" if view.is_set(PATH) else f"{PATH} is not set"
    yield Finding(
        locate(view, PATH),
        f"{what} ({provenance(view, PATH)}): containers without a seccompProfile run Unconfined; "
        f"{remedy(view, PATH, True, FLAG)}",
        hint="RuntimeDefault blocks rarely needed syscalls; a workload that needs one can set its own "
             "securityContext.seccompProfile",
    )


RULE = define(__doc__, code="KL416", name="seccomp-default-disabled", severity=Severity.INFO,
              scope=Scope.KUBELET, check=check, cis=("4.2.14",),
              tags=("kube-bench:4.2.14", "kubescape:C-0318"))
