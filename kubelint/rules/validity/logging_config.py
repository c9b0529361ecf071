"""logging settings the kubelet's logging setup rejects.

Why: the kubelet validates ``logging`` before it starts and exits when the
format is neither ``text`` nor ``json`` (names are lowercase), when
``json`` is chosen while the ``LoggingBetaOptions`` gate is off, when
``verbosity`` exceeds 2147483647, when ``vmodule`` is used with a format
other than ``text``, or when a ``vmodule`` file pattern is empty or
contains ``=`` or ``,``.

Fails:
    logging:
      format: JSON
      vmodule:
      - filePattern: kubelet.go
        verbosity: 4
Passes:
    logging:
      format: text
      vmodule:
      - filePattern: kubelet.go
        verbosity: 4
Fix: safe for a format that differs only by case.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import (
    REFUSES,
    as_int,
    effective_list,
    gate_enabled,
    gate_state,
    item,
    replace_fix,
)

FORMATS = ("text", "json")
MAX_VERBOSITY = 2**31 - 1


def _format(view: KubeletView) -> Iterator[Finding]:
    value = view.get("logging.format")
    if not isinstance(value, str):
        return
    if value not in FORMATS:
        better = value.lower() if value.lower() in FORMATS else None
        message = f'{REFUSES}: logging.format: Invalid value: "{value}": Unsupported log format (use text or json)'
        fix = replace_fix(view, "logging.format", better, f"replace {value!r} with {better!r}") if better else None
        yield Finding(view.where("logging.format"), message, fix=fix)
    elif value == "json" and not gate_enabled(view, "LoggingBetaOptions"):
        yield Finding(view.where("logging.format"),
                      f"{REFUSES}: logging.format: Invalid value: \"json\": Unsupported log format (Log format json is "
                      f"disabled, see LoggingBetaOptions feature; {gate_state(view, 'LoggingBetaOptions')})")


def _verbosity(view: KubeletView) -> Iterator[Finding]:
    verbosity = as_int(view.get("logging.verbosity"))
    if verbosity is not None and verbosity > MAX_VERBOSITY:
        yield Finding(view.where("logging.verbosity"),
                      f"{REFUSES}: logging.verbosity: Invalid value: {verbosity}: Must be <= {MAX_VERBOSITY}; "
                      "usual levels are 0 to 10")


def _vmodule(view: KubeletView) -> Iterator[Finding]:
    modules = effective_list(view, "logging.vmodule")
    if modules and view.get("logging.format") not in (None, "text"):
        yield Finding(view.where("logging.vmodule", key=True),
                      f"{REFUSES}: logging.vmodule: Forbidden: Only supported for text log format; remove vmodule or "
                      "use format: text")
    for index, module in enumerate(modules):
        pattern = module.get("filePattern") if isinstance(module, dict) else None
        path = (*item("logging.vmodule", index), "filePattern")
        if not pattern:
            yield Finding(view.where(path), f"{REFUSES}: logging.vmodule: File pattern must not be empty")
        elif "=" in pattern or "," in pattern:
            yield Finding(view.where(path),
                          f"{REFUSES}: logging.vmodule: File pattern {pattern!r} must not contain equal sign or comma; "
                          "write one entry per pattern with its own verbosity")


def check(view: KubeletView) -> Iterator[Finding]:
    yield from _format(view)
    yield from _verbosity(view)
    yield from _vmodule(view)


RULE = define(__doc__, code="KL124", name="invalid-logging-config", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check, fixable=True)
