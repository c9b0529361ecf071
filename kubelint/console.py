"""The ``kubelint`` console script: the CLI, with CPython's cyclic garbage
collector set for a short-lived process.

A one-file ``kubelint check`` (what pre-commit runs) is mostly start-up: some
200 modules are imported and their objects live until exit. With the default
collector settings that costs about 8% of such a run, in two places:

- a collection every 700 net allocations, so the imports alone trigger dozens,
  the oldest-generation ones walking every object made so far; the console
  script raises the first threshold (as mypy does for the same reason).
  Cycles are still collected: a 20,000-file scan stays flat in memory;
- at exit the interpreter runs a last full collection over everything still
  alive, all of which the exit frees anyway; ``gc.freeze()`` just before
  moves it out of the collector's sight.

Only the console script does this: ``kubelint.cli.main`` called in-process
(tests, a host program) leaves the collector alone.
"""

from __future__ import annotations

import gc

# first-generation threshold (CPython's default is 700); the older
# generations keep their defaults
FIRST_GENERATION_THRESHOLD = 50_000


def main() -> None:
    _, second, third = gc.get_threshold()
    gc.set_threshold(FIRST_GENERATION_THRESHOLD, second, third)
    from kubelint.cli import main as cli

    try:
        cli()
    finally:
        gc.freeze()
