#!/usr/bin/env python3
"""Regenerate the shipped JSON Schemas in ``schemas/`` from kubelint's models.

Usage: ``python scripts/generate_schemas.py [--check]``. With ``--check`` it
writes nothing and exits 1 if a checked-in schema is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kubelint.schemas import GENERATORS, SCHEMA_FILES, render  # noqa: E402


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale: list[str] = []
    for name in GENERATORS:
        try:
            text = render(name)
        except ImportError as error:  # a model still being written
            print(f"skipping {name}: {error}", file=sys.stderr)
            continue
        target = ROOT / "schemas" / SCHEMA_FILES[name]
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        stale.append(str(target.relative_to(ROOT)))
        if not check:
            target.write_text(text, encoding="utf-8")
    if stale:
        print(("stale: " if check else "wrote: ") + ", ".join(stale))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
