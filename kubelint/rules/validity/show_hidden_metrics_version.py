"""showHiddenMetricsForVersion must be empty or the previous minor release.

Why: hidden (deprecated) metrics can only be shown again for one release
after they were hidden, so the metrics library refuses any value except
the kubelet's previous minor version (``1.32`` for a 1.33 kubelet) and the
kubelet does not start. The value usually goes stale after an upgrade.

Fails:
    showHiddenMetricsForVersion: "1.20"
Passes:
    showHiddenMetricsForVersion: ""
Fix: none automatic: remove it after migrating off the hidden metrics, or
set the previous minor version.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kubelint import knowledge
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import REFUSES, version_text

FIELD = "showHiddenMetricsForVersion"
VERSION = re.compile(r"^v?(\d+)\.(\d+)$")


def check(view: KubeletView) -> Iterator[Finding]:
    value = view.get(FIELD)
    if not isinstance(value, str) or value == "":
        return
    previous = (view.version[0], view.version[1] - 1)
    wanted = knowledge.format_version(previous)
    match = VERSION.match(value.strip())
    if match is not None and (int(match.group(1)), int(match.group(2))) == previous:
        return
    yield Finding(view.where(FIELD),
                  f"{REFUSES}: --show-hidden-metrics-for-version must be omitted or have the value '{wanted}' "
                  f"(only the previous minor version of the {version_text(view)} kubelet is allowed), "
                  f"got {value!r}; set it to \"{wanted}\" or remove it")


RULE = define(__doc__, code="KL128", name="show-hidden-metrics-version", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
