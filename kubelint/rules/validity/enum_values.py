"""A setting that takes one of a fixed set of names has another value.

Why: the kubelet matches these names exactly, and the case differs from
field to field: ``cpuManagerPolicy`` and ``topologyManagerPolicy`` are
lowercase (``static``, ``best-effort``), ``memoryManagerPolicy`` is
capitalized (``Static``), as are ``configMapAndSecretChangeDetectionStrategy``
(``Watch``) and ``authorization.mode`` (``Webhook``). An unknown name makes
the kubelet refuse to start (validation, or the CPU/memory manager, the
authorizer or the TLS setup failing at start). Covered: topologyManagerPolicy,
topologyManagerScope, hairpinMode, memorySwap.swapBehavior (when NodeSwap is
on), imagePullCredentialsVerificationPolicy (when
KubeletEnsureSecretPulledImages is on), memoryReservationPolicy,
enforceNodeAllocatable entries, cpuManagerPolicy, memoryManagerPolicy,
configMapAndSecretChangeDetectionStrategy, authorization.mode, tlsMinVersion
and cgroupDriver (a warning: it is not validated, but a wrong name does not
select the systemd driver).

Fails:
    cpuManagerPolicy: Static
    memoryManagerPolicy: static
    authorization:
      mode: webhook
Passes:
    cpuManagerPolicy: static
    memoryManagerPolicy: Static
    authorization:
      mode: Webhook
Fix: safe when the value matches exactly one valid name apart from case,
``_`` for ``-`` or the spelling of a TLS version (``VersionTLS1.2``,
``TLS12``, ``1.2`` become ``VersionTLS12``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Final

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import FieldPath, KubeletView, field_path
from kubelint.records import Record
from kubelint.rules.validity._support import REFUSES, gate_enabled, gate_state, item, replace_fix

Version = tuple[int, int]
Values = tuple[str, ...]


def _quoted_list(values: Values, last_joiner: str = " or ") -> str:
    shown = [f'"{value}"' for value in values]
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + last_joiner + shown[-1]


class Choice(Record):
    """One enumerated setting: its names per version and the kubelet's complaint."""

    __slots__ = ("consequence", "fragment", "gate", "is_list", "path", "severity", "values")
    path: Final[str]
    values: Final[Callable[[Version], Values]]
    fragment: Final[Callable[[str, Values], str]]
    gate: Final[str | None]
    is_list: Final[bool]
    severity: Final[Severity | None]
    consequence: Final[str]

    def __init__(self, path: str, values: Callable[[Version], Values], fragment: Callable[[str, Values], str],
                 gate: str | None = None, is_list: bool = False, severity: Severity | None = None,
                 consequence: str = REFUSES) -> None:
        self.path = path
        self.values = values
        self.fragment = fragment
        self.gate = gate
        self.is_list = is_list
        self.severity = severity
        self.consequence = consequence


def _fixed(*values: str) -> Callable[[Version], Values]:
    return lambda _version: values


def _swap_behaviors(version: Version) -> Values:
    # UnlimitedSwap was replaced by NoSwap in 1.30
    return ("", "LimitedSwap", "NoSwap") if version >= (1, 30) else ("", "LimitedSwap", "UnlimitedSwap")


def _enforcements(version: Version) -> Values:
    base = ("pods", "system-reserved", "kube-reserved", "none")
    if version >= (1, 32):
        return ("pods", "system-reserved", "system-reserved-compressible", "kube-reserved",
                "kube-reserved-compressible", "none")
    return base


TLS_VERSIONS: Values = ("VersionTLS10", "VersionTLS11", "VersionTLS12", "VersionTLS13")

CHOICES: tuple[Choice, ...] = (
    Choice("topologyManagerPolicy", _fixed("none", "best-effort", "restricted", "single-numa-node"),
           lambda value, values: f'topologyManagerPolicy (--topology-manager-policy) "{value}" must be one of: ['
           + " ".join(f'"{v}"' for v in values) + "]"),
    Choice("topologyManagerScope", _fixed("container", "pod"),
           lambda value, values: f'topologyManagerScope (--topology-manager-scope) "{value}" must be one of: '
           + _quoted_list(values, ", or ")),
    Choice("hairpinMode", _fixed("none", "hairpin-veth", "promiscuous-bridge"),
           lambda value, values: f'option "{value}" specified for hairpinMode (--hairpin-mode). Valid options are '
           + _quoted_list(values)),
    Choice("memorySwap.swapBehavior", _swap_behaviors,
           lambda value, values: f'memorySwap.swapBehavior "{value}" must be one of: ' + _quoted_list(values),
           gate="NodeSwap"),
    Choice("imagePullCredentialsVerificationPolicy",
           _fixed("NeverVerify", "NeverVerifyPreloadedImages", "NeverVerifyAllowlistedImages", "AlwaysVerify"),
           lambda value, values: f'option "{value}" specified for imagePullCredentialsVerificationPolicy. '
           "Valid options are " + _quoted_list(values),
           gate="KubeletEnsureSecretPulledImages"),
    Choice("memoryReservationPolicy", _fixed("None", "TieredReservation"),
           lambda value, values: f'option "{value}" specified for memoryReservationPolicy. Valid options are '
           + _quoted_list(values)),
    Choice("enforceNodeAllocatable", _enforcements,
           lambda value, values: f'option "{value}" specified for enforceNodeAllocatable '
           "(--enforce-node-allocatable). Valid options are " + _quoted_list(values),
           is_list=True),
    Choice("cpuManagerPolicy", _fixed("none", "static"),
           lambda value, values: f'the CPU manager fails: unknown policy: "{value}" (valid: {_quoted_list(values)})'),
    Choice("memoryManagerPolicy", _fixed("None", "Static"),
           lambda value, values: f'the memory manager fails: unknown policy "{value}" (valid: {_quoted_list(values)})'),
    Choice("configMapAndSecretChangeDetectionStrategy", _fixed("Get", "Cache", "Watch"),
           lambda value, values: f"unknown configmap and secret manager mode: {value} (valid: {_quoted_list(values)})"),
    Choice("authorization.mode", _fixed("AlwaysAllow", "Webhook"),
           lambda value, values: f"unknown authorization mode {value} (valid: {_quoted_list(values)})"),
    Choice("tlsMinVersion", _fixed(*TLS_VERSIONS),
           lambda value, values: f"unknown TLS version {value!r} for tlsMinVersion (valid: {_quoted_list(values)})"),
    Choice("cgroupDriver", _fixed("cgroupfs", "systemd"),
           lambda value, values: f'cgroupDriver "{value}" is neither "cgroupfs" nor "systemd"',
           severity=Severity.WARNING,
           consequence="the kubelet does not validate it, but only the exact name \"systemd\" selects the systemd "
           "driver, so its cgroups will not match a runtime that uses systemd"),
)


def _normalized(text: str) -> str:
    return text.strip().lower().replace("_", "-")


def _tls_key(text: str) -> str:
    # VersionTLS1.2, TLS12, tls1_2, 1.2 all name the same protocol
    digits = re.sub(r"[^0-9]", "", text)
    return digits if len(digits) == 2 and digits.startswith("1") else ""


def correction(path: str, value: str, values: Values) -> str | None:
    """The one valid name ``value`` is a misspelling of, if there is exactly one."""
    matches = [known for known in values if known and _normalized(known) == _normalized(value)]
    if not matches and path == "tlsMinVersion" and _tls_key(value):
        matches = [known for known in values if _tls_key(known) == _tls_key(value)]
    return matches[0] if len(matches) == 1 else None


def _finding(view: KubeletView, choice: Choice, where: FieldPath, value: str, values: Values) -> Finding:
    better = correction(choice.path, value, values)
    message = f"{choice.consequence}: {choice.fragment(value, values)}"
    if choice.severity is Severity.WARNING:
        message = f"{choice.fragment(value, values)}: {choice.consequence}"
    if choice.gate is not None:
        message += f" (checked because {gate_state(view, choice.gate)})"
    fix = None
    if better is not None:
        message += f"; did you mean {better!r}?"
        fix = replace_fix(view, where, better, f"replace {value!r} with {better!r}")
    return Finding(view.where(where), message, severity=choice.severity, fix=fix)


def _check_choice(view: KubeletView, choice: Choice, value: object) -> Iterator[Finding]:
    values = choice.values(view.version)
    if choice.is_list:
        if not isinstance(value, list):
            return
        invalid = [(index, entry) for index, entry in enumerate(value)
                   if isinstance(entry, str) and entry not in values]
        if invalid and (choice.gate is None or gate_enabled(view, choice.gate)):
            for index, entry in invalid:
                yield _finding(view, choice, item(choice.path, index), entry, values)
        return
    if (isinstance(value, str) and value not in values and not (value == "" and _empty_means_default(choice))
            and (choice.gate is None or gate_enabled(view, choice.gate))):
        yield _finding(view, choice, field_path(choice.path), value, values)


def _empty_means_default(choice: Choice) -> bool:
    # tlsMinVersion and the policies the kubelet defaults treat "" as "not set"
    return choice.path in ("tlsMinVersion", "memoryReservationPolicy", "imagePullCredentialsVerificationPolicy")


def check(view: KubeletView) -> Iterator[Finding]:
    # the value first, the feature gate only for a value that would be reported
    # (most settings are unset or valid, and a gate lookup costs more)
    version = view.version
    for choice in CHOICES:
        value = view.get(choice.path)
        if value is None or (type(value) is str and not choice.is_list and value in choice.values(version)):
            continue  # unset or one of the names, as most are: no generator for them
        yield from _check_choice(view, choice, value)


RULE = define(__doc__, code="KL105", name="invalid-enum-value", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check, fixable=True)
