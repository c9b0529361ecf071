"""podLogsDir must be an absolute, clean, ASCII path.

Why: the kubelet refuses to start when ``podLogsDir`` is relative, not in
clean form (a trailing ``/``, ``//``, ``/./`` or ``/../``) or contains
non-ASCII characters. ``/var/log/pods/`` with a trailing slash fails,
although it names the default directory.

Fails:
    podLogsDir: /var/log/pods/
Passes:
    podLogsDir: /var/log/pods
Fix: safe for a path that is only not clean: it is replaced by its clean
form, which names the same directory.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from functools import lru_cache

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import REFUSES, replace_fix

FIELD = "podLogsDir"


@lru_cache(maxsize=4096)  # a pure function of the text; bounded
def clean_path(path: str) -> str:
    """Go's ``filepath.Clean`` for a Unix path."""
    cleaned = posixpath.normpath(path)
    # POSIX keeps a leading "//", Go does not
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


def check(view: KubeletView) -> Iterator[Finding]:
    path = view.get(FIELD)
    if not isinstance(path, str) or path == "":
        return
    if path.startswith("/") and clean_path(path) == path and path.isascii():
        return  # valid, as almost every one is: no location to look up
    where = view.where(FIELD)
    if not path.startswith("/"):
        yield Finding(where, f'{REFUSES}: pod logs path "{path}" must be absolute path; use e.g. /var/log/pods')
    elif clean_path(path) != path:
        clean = clean_path(path)
        yield Finding(where, f'{REFUSES}: pod logs path "{path}" must be normalized; write {clean}',
                      fix=replace_fix(view, FIELD, clean, f"replace {path!r} with {clean!r}"))
    if not path.isascii():
        yield Finding(where, f'{REFUSES}: pod logs path "{path}" mut contains ASCII characters only '
                      "(sic, the kubelet's wording); rename the directory with ASCII characters")


RULE = define(__doc__, code="KL117", name="invalid-pod-logs-dir", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check, fixable=True)
