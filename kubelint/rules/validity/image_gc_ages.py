"""imageMaximumGCAge must be longer than imageMinimumGCAge (after defaulting).

Why: the kubelet refuses to start when a non-zero ``imageMaximumGCAge`` is
not greater than ``imageMinimumGCAge``. The minimum defaults to 2m (a YAML
``0s`` means 2m as well), so ``imageMaximumGCAge: 1m`` alone fails.

Fails:
    imageMaximumGCAge: 1m
Passes:
    imageMaximumGCAge: 168h
    imageMinimumGCAge: 2m
Fix: none automatic (which of the two is wrong is the owner's call).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.types import Duration
from kubelint.rules.validity._support import REFUSES

MAX_AGE, MIN_AGE = "imageMaximumGCAge", "imageMinimumGCAge"


def check(view: KubeletView) -> Iterator[Finding]:
    maximum, minimum = view.get(MAX_AGE), view.get(MIN_AGE)
    if not isinstance(maximum, Duration) or not isinstance(minimum, Duration):
        return
    if maximum.nanoseconds <= 0 or maximum > minimum:
        return
    blame_minimum = view.is_set(MIN_AGE) and not view.is_set(MAX_AGE)
    blamed = MIN_AGE if blame_minimum else MAX_AGE
    other = MAX_AGE if blame_minimum else MIN_AGE
    related = (Related(view.where(other), f"{other}: {view.get(other)}"),) if view.is_set(other) else ()
    message = f"{REFUSES}: imageMaximumGCAge {maximum} must be greater than imageMinimumGCAge {minimum}"
    if not view.is_set(other):
        message += f" ({other} {view.get(other)} is the {view.describe(other)})"
    yield Finding(view.where(blamed), message + f"; make {MAX_AGE} longer than {MIN_AGE} (e.g. 168h for a week)",
                  related=related)


RULE = define(__doc__, code="KL107", name="image-gc-age-order", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
