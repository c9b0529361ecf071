"""Where the shipped data lives: inside the wheel, or at the repository root.

The wheel carries the repository's ``rules/`` and ``schemas/`` as
``kubelint/data/rules`` and ``kubelint/data/schemas``; a source checkout (or
an editable install) reads them from the repository root.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the directory of shipped data ``name`` (``rules`` or ``schemas``)."""
    for candidate in (_PACKAGE_DIR / "data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kubelint data directory {name!r} is missing from this installation")


def data_file(name: str, filename: str) -> Path:
    return data_dir(name) / filename
