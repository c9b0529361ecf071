"""preloadedImagesVerificationAllowlist with the wrong policy or a bad pattern.

Why: with the ``KubeletEnsureSecretPulledImages`` gate on, the allowlist of
preloaded images is only allowed together with
``imagePullCredentialsVerificationPolicy: NeverVerifyAllowlistedImages``, and
every entry must be an image pattern without a tag or digest (a trailing
``/*`` matches a whole repository path). Otherwise the kubelet refuses to
start. (With the gate off the list must be empty: feature-gate-required.)

Fails:
    imagePullCredentialsVerificationPolicy: AlwaysVerify
    preloadedImagesVerificationAllowlist:
    - registry.k8s.io/pause:3.10
Passes:
    imagePullCredentialsVerificationPolicy: NeverVerifyAllowlistedImages
    preloadedImagesVerificationAllowlist:
    - registry.k8s.io/pause
    - registry.example.com/node/*
Fix: none automatic.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import REFUSES, effective_list, gate_enabled, item

ALLOWLIST, POLICY = "preloadedImagesVerificationAllowlist", "imagePullCredentialsVerificationPolicy"
ALLOWLISTED = "NeverVerifyAllowlistedImages"


def pattern_error(pattern: str) -> str | None:
    if not pattern or pattern != pattern.strip():
        return "it is empty or has spaces"
    if "@" in pattern:
        return "it has a digest; list the image without it"
    last = pattern.rsplit("/", 1)[-1]
    if ":" in last:
        return "it has a tag; list the image without it"
    if "*" in pattern and (not pattern.endswith("/*") or pattern.count("*") > 1):
        return "a wildcard is only allowed as a whole last path segment (/*)"
    return None


def check(view: KubeletView) -> Iterator[Finding]:
    patterns = effective_list(view, ALLOWLIST)
    if not patterns or not gate_enabled(view, "KubeletEnsureSecretPulledImages"):
        return
    policy = view.get(POLICY)
    if policy != ALLOWLISTED:
        related = (Related(view.where(POLICY), f"{POLICY}: {policy}"),) if view.is_set(POLICY) else ()
        yield Finding(view.where(ALLOWLIST, key=True),
                      f"{REFUSES}: can't set `preloadedImagesVerificationAllowlist` if "
                      f"`imagePullCredentialsVertificationPolicy` is not \"{ALLOWLISTED}\" (sic; it is {policy!r}, "
                      f"{view.describe(POLICY)}); set {POLICY}: {ALLOWLISTED} or remove the list", related=related)
        return
    for index, pattern in enumerate(patterns):
        problem = pattern_error(pattern) if isinstance(pattern, str) else None
        if problem is not None:
            yield Finding(view.where(item(ALLOWLIST, index)),
                          f"{REFUSES}: invalid image pattern in `preloadedImagesVerificationAllowlist`: {pattern!r}: "
                          f"{problem}")


RULE = define(__doc__, code="KL131", name="invalid-preloaded-images-allowlist", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check)
