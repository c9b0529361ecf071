"""How the kubelet's three container GC flags work together, as findings.

Not a rule module yet: the flags live only on the command line
(``--minimum-container-ttl-duration``, ``--maximum-dead-containers-per-container``,
``--maximum-dead-containers``; no KubeletConfiguration field), so the
command-line rules call ``container_gc_findings`` with the values they parsed
and point each finding at its flag.

What the kubelet does with them (every minute):

- only dead containers older than the minimum TTL are candidates; ``0``
  (today's default; 1m in old releases) means no minimum age, and a negative
  TTL makes the kubelet refuse to start;
- the per-container limit (default 1) is counted per container of each pod
  (pod UID + container name), so a pod with three containers keeps up to
  three times the limit; a negative value switches it off;
- the node-wide limit (default -1: none) is applied afterwards and wins when
  the two conflict: the kubelet first cuts every pod container down to an
  equal share (at least 1), then removes the oldest dead containers until the
  total fits; a negative value switches it off;
- containers of deleted pods are removed whatever the limits.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubelint.diagnostics import Severity
from kubelint.models.types import Duration

TTL_FLAG = "--minimum-container-ttl-duration"
PER_CONTAINER_FLAG = "--maximum-dead-containers-per-container"
TOTAL_FLAG = "--maximum-dead-containers"

DEFAULT_TTL = Duration(0)
DEFAULT_PER_CONTAINER = 1
DEFAULT_TOTAL = -1


@dataclass(frozen=True, slots=True)
class ContainerGCFinding:
    """One piece of advice, attached to the flag it should point at."""

    flag: str
    severity: Severity
    message: str
    hint: str | None = None


def container_gc_findings(minimum_ttl: Duration | None, max_per_container: int | None,
                          max_total: int | None) -> list[ContainerGCFinding]:
    """Advice on the three container GC flags; ``None`` means the flag is not given."""
    ttl = DEFAULT_TTL if minimum_ttl is None else minimum_ttl
    per_container = DEFAULT_PER_CONTAINER if max_per_container is None else max_per_container
    total = DEFAULT_TOTAL if max_total is None else max_total
    findings: list[ContainerGCFinding] = []
    if ttl.nanoseconds < 0:
        findings.append(_negative_ttl(ttl))
    if max_per_container is not None or max_total is not None:
        findings.extend(_count_findings(per_container, total, per_container_given=max_per_container is not None))
    if minimum_ttl is not None and ttl.nanoseconds > 0 and (per_container >= 0 or total >= 0):
        findings.append(_ttl_overrides_counts(ttl, per_container, total))
    return findings


def _count_findings(per_container: int, total: int, *, per_container_given: bool) -> list[ContainerGCFinding]:
    if per_container < 0 and total < 0:
        return [_no_count_limit(per_container, total, per_container_given)]
    found: list[ContainerGCFinding] = []
    if per_container == 0 or total == 0:
        found.append(_keeps_nothing(PER_CONTAINER_FLAG if per_container == 0 else TOTAL_FLAG))
    if 0 < total < per_container:
        found.append(_total_caps_per_container(per_container, total))
    return found


def _negative_ttl(ttl: Duration) -> ContainerGCFinding:
    return ContainerGCFinding(
        TTL_FLAG, Severity.ERROR,
        f"{TTL_FLAG}={ttl} is negative: the kubelet refuses to start "
        "(invalid minimum garbage collection age)",
        hint="use 0 (no minimum age, the default) or a positive duration such as 1m",
    )


def _no_count_limit(per_container: int, total: int, per_container_given: bool) -> ContainerGCFinding:
    flag = PER_CONTAINER_FLAG if per_container_given else TOTAL_FLAG
    return ContainerGCFinding(
        flag, Severity.WARNING,
        f"{PER_CONTAINER_FLAG}={per_container} and {TOTAL_FLAG}={total} switch both count limits off: "
        "dead containers of running pods are never collected, so every restart of a crash-looping "
        "container leaves another one (with its logs and writable layer) on disk until the pod is "
        "deleted or the node reaches disk pressure",
        hint=f"keep {PER_CONTAINER_FLAG} at 1 (the default) or another small positive number",
    )


def _keeps_nothing(flag: str) -> ContainerGCFinding:
    scope = "of a container" if flag == PER_CONTAINER_FLAG else "on the node"
    return ContainerGCFinding(
        flag, Severity.WARNING,
        f"{flag}=0 keeps no dead container {scope}: each GC pass (every minute) removes the last "
        "terminated instance, so `kubectl logs --previous` has nothing to show for a container "
        "that crashed",
        hint=f"use 1 (the default for {PER_CONTAINER_FLAG}) to keep the last terminated instance",
    )


def _total_caps_per_container(per_container: int, total: int) -> ContainerGCFinding:
    return ContainerGCFinding(
        PER_CONTAINER_FLAG, Severity.WARNING,
        f"{PER_CONTAINER_FLAG}={per_container} can never be honoured: the node-wide {TOTAL_FLAG}={total} "
        f"is smaller and wins (at most {total} dead containers on the whole node; every pod container "
        "is first cut to an equal share, at least 1, then the oldest are removed)",
        hint=f"raise {TOTAL_FLAG} well above {per_container} times the number of pod containers on the "
             "node, or drop one of the two flags",
    )


def _ttl_overrides_counts(ttl: Duration, per_container: int, total: int) -> ContainerGCFinding:
    limits = [f"{flag}={value}" for flag, value in ((PER_CONTAINER_FLAG, per_container), (TOTAL_FLAG, total))
              if value >= 0]
    return ContainerGCFinding(
        TTL_FLAG, Severity.INFO,
        f"{TTL_FLAG}={ttl}: dead containers younger than {ttl} are kept whatever the count limits "
        f"({', '.join(limits)}); a container that crash-loops faster than that piles up dead "
        "instances until they age out",
        hint="0 (the default) lets the count limits apply at once",
    )
