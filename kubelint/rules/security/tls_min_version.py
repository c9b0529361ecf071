"""The kubelet accepts TLS 1.0 or 1.1 (``tlsMinVersion``).

Why: TLS 1.0 and 1.1 are deprecated (RFC 8996) and lack modern AEAD
ciphers; every client of the kubelet (API server, metrics-server,
Prometheus) speaks TLS 1.2. A value other than ``VersionTLS10`` …
``VersionTLS13`` makes the kubelet refuse to start: KL105
(invalid-enum-value) reports that. An unset value keeps the library default (TLS 1.2 or newer) and passes.

Fails:
    tlsMinVersion: VersionTLS10
Passes:
    tlsMinVersion: VersionTLS12
Fix: none automatic (very old clients would be cut off).
"""

from collections.abc import Iterator

from kubelint import knowledge
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.security._common import locate, provenance, remedy

PATH = "tlsMinVersion"
FLAG = "--tls-min-version"
RECOMMENDED = "VersionTLS12"


def check(view: KubeletView) -> Iterator[Finding]:
    value = view.get(PATH)
    if not isinstance(value, str) or not value:
        return
    versions = knowledge.tls_versions()
    known = versions.get(value)
    if known is None or known.recommended:  # unknown names: KL105

        return
    yield Finding(
        locate(view, PATH),
        f"{PATH} {value} lets clients negotiate TLS {known.protocol} ({provenance(view, PATH)}); "
        f"{remedy(view, PATH, RECOMMENDED, FLAG)}",
    )


RULE = define(__doc__, code="KL414", name="tls-min-version-too-low", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check)
