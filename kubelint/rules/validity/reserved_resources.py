"""kubeReserved / systemReserved entries the kubelet cannot parse.

Why: the kubelet parses ``kubeReserved`` and ``systemReserved`` at start and
refuses to start when a key is not one of ``cpu``, ``memory``,
``ephemeral-storage`` or ``pid`` ("cannot reserve ... resource"), when a
value is not a quantity, or when it is negative. Resource names are
case-sensitive: ``CPU`` fails.

Fails:
    kubeReserved:
      CPU: 500m
      memory: 1 Gi
Passes:
    kubeReserved:
      cpu: 500m
      memory: 1Gi
Fix: safe when a key differs from a resource name only by case.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from kubelint.diagnostics import Applicability, Finding, Fix, Severity, YamlEdit
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.models.types import Quantity, ValueSyntaxError
from kubelint.rules.validity._support import REFUSES

RESOURCES = ("cpu", "memory", "ephemeral-storage", "pid")
FIELDS = {"kubeReserved": "kube-reserved", "systemReserved": "system-reserved"}


def _rename_fix(view: KubeletView, field: str, key: str, better: str) -> Fix | None:
    target = view.target((field, key))
    if target is None:
        return None
    edit = YamlEdit(target.path, target.document, target.key_path, "rename", new_key=better)
    return Fix(f"rename {key!r} to {better!r}", Applicability.SAFE, (edit,))


def _unknown_resource(view: KubeletView, field: str, key: str) -> Finding:
    message = (f'{REFUSES}: --{FIELDS[field]} value failed to parse: cannot reserve "{key}" resource '
               f"(only {', '.join(RESOURCES)})")
    better = next((name for name in RESOURCES if name == key.lower()), None)
    if better is None:
        return Finding(view.where((field, key), key=True), message)
    return Finding(view.where((field, key), key=True), f"{message}; did you mean {better!r}?",
                   fix=_rename_fix(view, field, key, better))


def _quantity_problem(key: str, raw: object) -> str | None:
    if not isinstance(raw, str):
        return None  # a non-string is a decode error (invalid-value-type)
    return _text_problem(key, raw)


# a pure function of two strings, met with the same few spellings in every
# file; bounded, since a scan meets arbitrary text
@lru_cache(maxsize=4096)
def _text_problem(key: str, raw: str) -> str | None:
    try:
        quantity = Quantity.parse(raw)
    except ValueSyntaxError as error:
        return f'failed to parse quantity "{raw}" for "{key}" resource: {error}'
    if quantity.value < 0:
        return f'resource quantity for "{key}" cannot be negative: {raw}'
    return None


def check(view: KubeletView) -> Iterator[Finding]:
    for field in FIELDS:
        reserved = view.get(field)
        if not isinstance(reserved, dict):
            continue
        for key, raw in reserved.items():
            if key not in RESOURCES:
                yield _unknown_resource(view, field, key)
                continue
            problem = _quantity_problem(key, raw)
            if problem is not None:
                yield Finding(view.where((field, key)), f"{REFUSES}: --{FIELDS[field]} value failed to parse: {problem}")


RULE = define(__doc__, code="KL123", name="invalid-reserved-resource", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check, fixable=True)
