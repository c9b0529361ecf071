"""The container garbage-collection flags work against each other or keep nothing.

Why: three deprecated flags (no config field) steer how many dead
containers the kubelet keeps: ``--minimum-container-ttl-duration`` (a dead
container younger than this is never collected; default 0),
``--maximum-dead-containers-per-container`` (per container of each pod;
default 1; negative: no limit) and ``--maximum-dead-containers`` (per node;
default -1: no limit; it wins when the two conflict). A negative TTL stops
the kubelet; both limits off lets a crash-looping container fill the disk;
``0`` removes the last terminated instance that ``kubectl logs --previous``
reads; a node-wide limit below the per-container one can never honour it.

Fails:
    KUBELET_EXTRA_ARGS="--maximum-dead-containers-per-container=-1 --maximum-dead-containers=-1"
Passes:
    KUBELET_EXTRA_ARGS="--maximum-dead-containers-per-container=2 --maximum-dead-containers=200"
Fix: none automatic (how much history to keep is the owner's call); the
flags are deprecated (KL202): leaving all three out keeps the defaults.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.contexts import CommandLineContext
from kubelint.diagnostics import Finding, Location, Severity
from kubelint.engine import Scope, define
from kubelint.loaders.cmdline import FlagOccurrence
from kubelint.models.types import Duration, ValueSyntaxError
from kubelint.node import CommandLine
from kubelint.rules.flags._support import anchor, flag_location
from kubelint.rules.gc_eviction.container_gc import (
    PER_CONTAINER_FLAG,
    TOTAL_FLAG,
    TTL_FLAG,
    container_gc_findings,
)

_INT32 = 2**31


def check(context: CommandLineContext) -> Iterator[Finding]:
    command_line = context.command_line
    ttl_flag = command_line.flag(TTL_FLAG)
    per_flag = command_line.flag(PER_CONTAINER_FLAG)
    total_flag = command_line.flag(TOTAL_FLAG)
    if ttl_flag is None and per_flag is None and total_flag is None:
        return
    found = container_gc_findings(_duration(ttl_flag), _integer(per_flag), _integer(total_flag))
    by_flag = {TTL_FLAG: ttl_flag, PER_CONTAINER_FLAG: per_flag, TOTAL_FLAG: total_flag}
    for item in found:
        yield Finding(_location(command_line, by_flag.get(item.flag)), item.message, item.severity, hint=item.hint)


def _location(command_line: CommandLine, occurrence: FlagOccurrence | None) -> Location:
    if occurrence is None:
        return anchor(command_line)
    return flag_location(occurrence, command_line)


def _duration(occurrence: FlagOccurrence | None) -> Duration | None:
    """The TTL as given; a value that does not parse counts as not given (KL204 reports it)."""
    if occurrence is None or occurrence.value is None:
        return None
    try:
        return Duration.parse(occurrence.value)
    except ValueSyntaxError:
        return None


def _integer(occurrence: FlagOccurrence | None) -> int | None:
    if occurrence is None or occurrence.value is None:
        return None
    try:
        value = int(occurrence.value, 0)
    except ValueError:
        return None
    return value if -_INT32 <= value < _INT32 else None



RULE = define(__doc__, code="KL210", name="container-gc-flags", severity=Severity.WARNING,
              scope=Scope.COMMAND_LINE, check=check)
