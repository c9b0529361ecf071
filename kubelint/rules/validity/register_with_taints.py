"""registerWithTaints entries the kubelet's taint check rejects.

Why: the kubelet refuses to start ("invalid taint") when a taint it should
register the node with has a key that is not a qualified name (an optional
DNS subdomain prefix and ``/``, then a name of at most 63 characters made
of letters, digits, ``-``, ``_`` and ``.``, starting and ending with a
letter or digit), a value that is not a valid label value, or an effect
other than ``NoSchedule``, ``PreferNoSchedule`` or ``NoExecute``; and when
``timeAdded`` is set (the API server fills it in).

Fails:
    registerWithTaints:
    - key: dedicated node
      effect: noschedule
Passes:
    registerWithTaints:
    - key: dedicated
      value: gpu
      effect: NoSchedule
Fix: safe for an effect that differs only in case (``noschedule`` becomes
``NoSchedule``); safe removal of ``timeAdded``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kubelint.diagnostics import Applicability, Finding, Fix, Severity, YamlEdit
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import REFUSES, effective_list, item, replace_fix

TAINTS = "registerWithTaints"
EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def _subdomain_error(prefix: str) -> str | None:
    if not prefix or len(prefix) > 253:
        return "the prefix before '/' must be a DNS subdomain of 1 to 253 characters"
    if not all(DNS_LABEL.match(label) for label in prefix.split(".")):
        return "the prefix before '/' must be a lowercase DNS subdomain (e.g. example.com)"
    return None


def _name_error(name: str, what: str) -> str | None:
    if len(name) > 63:
        return f"{what} must be at most 63 characters"
    if not NAME.match(name):
        return f"{what} must consist of letters, digits, '-', '_' or '.', and start and end with a letter or digit"
    return None


def key_error(key: str) -> str | None:
    if not key:
        return "the key must not be empty"
    prefix, slash, name = key.rpartition("/")
    if slash:
        if "/" in prefix:
            return "the key may contain at most one '/'"
        return _subdomain_error(prefix) or _name_error(name, "the key's name part")
    return _name_error(key, "the key")


def value_error(value: str) -> str | None:
    return _name_error(value, "the value") if value else None


def _shown(taint: dict[str, Any]) -> str:
    key, value, effect = taint.get("key") or "", taint.get("value") or "", taint.get("effect") or ""
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def _effect_finding(view: KubeletView, index: int, taint: dict[str, Any], effect: str) -> Finding:
    path = (*item(TAINTS, index), "effect")
    better = next((known for known in EFFECTS if known.lower() == effect.lower()), None)
    message = (f"{REFUSES}: invalid taint {_shown(taint)}: the effect {effect!r} is not one of "
               f"{', '.join(EFFECTS)}")
    fix = replace_fix(view, path, better, f"replace {effect!r} with {better!r}") if better else None
    if better:
        message += f"; did you mean {better!r}?"
    return Finding(view.where(path), message, fix=fix)


def _time_added_finding(view: KubeletView, index: int) -> Finding:
    path = (*item(TAINTS, index), "timeAdded")
    target = view.target(path)
    fix = None
    if target is not None:
        edit = YamlEdit(target.path, target.document, target.key_path, "delete")
        fix = Fix("remove timeAdded", Applicability.SAFE, (edit,))
    return Finding(view.where(path, key=True),
                   f"{REFUSES}: taint.TimeAdded is not nil; remove timeAdded (the API server sets it)", fix=fix)


def _check_taint(view: KubeletView, index: int, taint: dict[str, Any]) -> Iterator[Finding]:
    key, value, effect = taint.get("key") or "", taint.get("value") or "", taint.get("effect") or ""
    problem = key_error(key)
    if problem is not None:
        where = (*item(TAINTS, index), "key") if key else item(TAINTS, index)
        yield Finding(view.where(where), f"{REFUSES}: invalid taint {_shown(taint)}: {problem}")
    problem = value_error(value)
    if problem is not None:
        yield Finding(view.where((*item(TAINTS, index), "value")),
                      f"{REFUSES}: invalid taint {_shown(taint)}: {problem} (a label value of at most 63 characters)")
    if effect and effect not in EFFECTS:
        yield _effect_finding(view, index, taint, effect)
    if taint.get("timeAdded") is not None:
        yield _time_added_finding(view, index)


def check(view: KubeletView) -> Iterator[Finding]:
    for index, taint in enumerate(effective_list(view, TAINTS)):
        if isinstance(taint, dict):
            yield from _check_taint(view, index, taint)


RULE = define(__doc__, code="KL115", name="invalid-register-taint", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check, fixable=True)
