"""imageMaximumGCAge so short that images are removed between uses and pulled again.

Why: the kubelet deletes any image that no container has used for
``imageMaximumGCAge``, whatever the disk usage. The kubelet only refuses a
maximum that is not above ``imageMinimumGCAge`` (KL107); a maximum of
minutes is accepted, yet it removes the images of hourly CronJobs, of pods
that are rescheduled or scaled back up, and of init containers as soon as
they are idle. Every removal is a registry pull later: slower starts,
registry rate limits and traffic. The setting is meant to age out images
after days or weeks.

Fails:
    imageMaximumGCAge: 10m
Passes:
    imageMaximumGCAge: 168h
Fix: none automatic; use hours or days (e.g. 168h for a week), or leave it
unset (0s: no age limit).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.types import Duration
from kubelint.rules.gc_eviction._eviction import GC_MAX_AGE, GC_MIN_AGE

GATE = "ImageMaximumGCAge"
# An image idle for less than an hour is still likely to be used again soon
# (hourly jobs, rollouts, rescheduled pods); below that, removal means re-pulls.
SHORTEST_SENSIBLE_MAX_AGE = Duration.parse("1h")


def check(view: KubeletView) -> Iterator[Finding]:
    max_age, min_age = view.get(GC_MAX_AGE), view.get(GC_MIN_AGE)
    if not isinstance(max_age, Duration) or not isinstance(min_age, Duration):
        return
    if not view.is_set(GC_MAX_AGE) or not view.gate(GATE):
        return  # unset, or refused without its gate
    if max_age.nanoseconds <= min_age.nanoseconds or max_age >= SHORTEST_SENSIBLE_MAX_AGE:
        return  # refused (max must exceed min), or long enough
    yield Finding(
        view.where(GC_MAX_AGE),
        f"{GC_MAX_AGE} {max_age} deletes every image that no container used for {max_age} "
        f"(images younger than {GC_MIN_AGE} {min_age} are kept): images of periodic jobs and "
        "rescheduled pods are removed between uses and pulled from the registry again and again",
        hint=f"use hours or days, e.g. {GC_MAX_AGE}: 168h, or remove it (no age limit)",
    )


RULE = define(__doc__, code="KL303", name="image-max-age-too-short", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check)
