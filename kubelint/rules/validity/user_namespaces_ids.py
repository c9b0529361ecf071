"""userNamespaces.idsPerPod must be a positive multiple of 65536 below 2^32.

Why: every pod with a user namespace gets ``idsPerPod`` user and group IDs
from the node's range, in blocks of 65536; the kubelet rejects other
values (per the field's documentation) and cannot start pods with user
namespaces.

Fails:
    userNamespaces:
      idsPerPod: 100000
Passes:
    userNamespaces:
      idsPerPod: 131072
Fix: none automatic.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import REFUSES, as_int

FIELD = "userNamespaces.idsPerPod"
BLOCK = 65536


def check(view: KubeletView) -> Iterator[Finding]:
    ids = as_int(view.get(FIELD))
    if ids is None or (ids > 0 and ids % BLOCK == 0 and ids < 2**32):
        return
    lower = min(max(BLOCK, ids - ids % BLOCK), 2**32 - BLOCK)
    yield Finding(view.where(FIELD),
                  f"{REFUSES}: userNamespaces.idsPerPod {ids} must be a positive multiple of {BLOCK} and less than "
                  f"2^32; use e.g. {lower}")


RULE = define(__doc__, code="KL129", name="invalid-user-namespace-ids", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
