"""allocatableMemory.available set by hand: the kubelet normally derives it.

Why: when ``enforceNodeAllocatable`` contains ``pods`` (the default), the
kubelet copies the hard ``memory.available`` threshold into an
``allocatableMemory.available`` threshold that watches the pods' cgroup
against node allocatable. A hand-written entry is one more threshold on
the same signal, next to the derived one (the larger wins), and is easy
to leave behind when ``memory.available`` is tuned. Without ``pods``
enforcement it is the only allocatable threshold; then keep it on purpose.

Fails:
    evictionHard:
      memory.available: 500Mi
      allocatableMemory.available: 300Mi
Passes:
    evictionHard:
      memory.available: 500Mi
Fix: none automatic; remove it and tune memory.available, unless the
separate threshold is deliberate.
"""

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.gc_eviction._eviction import HARD, THRESHOLD_MAPS

SIGNAL = "allocatableMemory.available"


def check(view: KubeletView) -> Iterator[Finding]:
    enforced = view.get("enforceNodeAllocatable")
    derives = isinstance(enforced, list) and "pods" in enforced
    hard_memory = view.get((HARD, "memory.available"))
    for map_name in THRESHOLD_MAPS:
        if not view.is_set((map_name, SIGNAL)):
            continue
        value = view.raw((map_name, SIGNAL))
        if derives and isinstance(hard_memory, str):
            detail = (f"the kubelet already derives allocatableMemory.available<{hard_memory} from "
                      f"{HARD} memory.available (enforceNodeAllocatable includes pods); this adds a second "
                      "threshold on the same signal")
        elif derives:
            detail = (f"the kubelet derives it from a hard memory.available threshold, and {HARD} has none, "
                      "so this is the only allocatable threshold")
        else:
            detail = ("it is normally derived from the hard memory.available threshold when "
                      "enforceNodeAllocatable includes pods, which it does not here")
        yield Finding(
            view.where((map_name, SIGNAL), key=True),
            f"{map_name} {SIGNAL}: {value} is set by hand: {detail}",
            hint="tune memory.available instead, unless a separate allocatable threshold is deliberate",
        )


RULE = define(__doc__, code="KL312", name="allocatable-memory-threshold", severity=Severity.INFO,
              scope=Scope.KUBELET, check=check)
