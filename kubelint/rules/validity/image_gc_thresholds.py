"""Image GC thresholds must be percentages with low strictly below high (after defaulting).

Why: the kubelet refuses to start when ``imageGCHighThresholdPercent`` or
``imageGCLowThresholdPercent`` is outside 0..100, or when low >= high. The
check runs after defaulting (high 85, low 80), so setting only one of them
can collide with the other's default: ``imageGCHighThresholdPercent: 80``
alone meets the default low of 80 and fails.

Fails:
    imageGCHighThresholdPercent: 80
Passes:
    imageGCHighThresholdPercent: 90
    imageGCLowThresholdPercent: 80
Fix: none automatic (which value is wrong is the owner's call).
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView

HIGH, LOW = "imageGCHighThresholdPercent", "imageGCLowThresholdPercent"


def check(view: KubeletView) -> Iterator[Finding]:
    high, low = view.get(HIGH), view.get(LOW)
    out_of_range = False
    for name, value in ((HIGH, high), (LOW, low)):
        if isinstance(value, int) and not 0 <= value <= 100:
            out_of_range = True
            yield Finding(view.where(name), f"{name} {value} must be between 0 and 100, inclusive; "
                          "the kubelet refuses to start", hint="use a percentage of the image filesystem")
    if out_of_range or not isinstance(high, int) or not isinstance(low, int) or low < high:
        return
    high_set, low_set = view.is_set(HIGH), view.is_set(LOW)
    blamed = LOW if low_set and not high_set else HIGH if high_set else LOW
    other = HIGH if blamed == LOW else LOW
    other_text = (f"{other} {view.get(other)} ({view.describe(other)})")
    related = (Related(view.where(other), f"{other}: {view.get(other)}"),) if view.is_set(other) else ()
    yield Finding(
        view.where(blamed),
        f"{LOW} {low} must be less than {HIGH} {high}; {blamed} meets {other_text} and the kubelet refuses to start",
        related=related,
        hint=f"keep {LOW} below {HIGH}, e.g. 85 and 80 (the defaults)",
    )


RULE = define(__doc__, code="KL101", name="image-gc-thresholds", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
