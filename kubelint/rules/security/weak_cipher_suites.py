"""TLS cipher suites outside the CIS 1.12 strong list.

Why: CIS 4.2.12 allows six ECDHE suites with AEAD ciphers (AES-GCM,
ChaCha20-Poly1305). CIS 1.12 dropped the static-RSA suites
``TLS_RSA_WITH_AES_128_GCM_SHA256`` and ``TLS_RSA_WITH_AES_256_GCM_SHA384``
that 1.11 and checkov/kubescape still allow: without an ECDHE key exchange
there is no forward secrecy. A name the kubelet does not know is worse (it
refuses to start): KL126 (unknown-tls-cipher) reports that.
Legacy aliases (``..._CHACHA20_POLY1305`` without ``_SHA256``) are resolved
before comparing. With ``tlsMinVersion: VersionTLS13`` the list does not
matter (Go ignores suite lists for TLS 1.3), so nothing is asked then. An
unset list leaves Go's defaults, which include CBC suites outside the CIS
list: reported as info.

Fails:
    tlsCipherSuites:
    - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    - TLS_RSA_WITH_AES_128_GCM_SHA256
Passes:
    tlsCipherSuites:
    - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
    - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
    - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
    - TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305
    - TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305
Fix: none automatic (clients that only speak a removed suite would fail).
"""

from collections.abc import Iterator
from functools import cache

from kubelint import knowledge
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.security._common import config_file, locate, provenance, set_by_flag, written_in

PATH = "tlsCipherSuites"
MIN_VERSION = "tlsMinVersion"
TLS13 = "VersionTLS13"


@cache
def strong_suites() -> frozenset[str]:
    """Canonical Go names of the CIS 1.12 list (CIS spells two of them by their aliases)."""
    names = (knowledge.canonical_cipher_name(name) or name for name in knowledge.cis_strong_ciphers("cis-1.12"))
    return frozenset(names)


def is_tls13_only(name: str) -> bool:
    suite = knowledge.cipher_suites().get(name)
    return suite is not None and suite.tls_versions == (TLS13,)


def weakness(name: str) -> str:
    """Why one accepted suite falls outside the strong list."""
    if name.startswith("TLS_RSA_"):
        return "static RSA key exchange, no forward secrecy"
    suite = knowledge.cipher_suites()[name]
    if suite.insecure:
        return "insecure per Go's crypto/tls"
    return "CBC mode, not in the CIS list"


def check(view: KubeletView) -> Iterator[Finding]:
    suites = view.get(PATH)
    names = [str(name) for name in suites] if isinstance(suites, list) else []
    if view.get(MIN_VERSION) == TLS13:
        return
    if not names:
        yield _unset_finding(view)
        return
    yield from _weak_suites(view, names)


def _weak_suites(view: KubeletView, names: list[str]) -> Iterator[Finding]:
    where = ("from the --tls-cipher-suites flag" if set_by_flag(view, PATH)
             else f"from {PATH} in {written_in(view, PATH)}")
    for index, name in enumerate(names):
        canonical = knowledge.canonical_cipher_name(name)
        if canonical is None or canonical in strong_suites() or is_tls13_only(canonical):
            continue
        yield Finding(
            locate(view, (PATH, str(index))),
            f"weak cipher suite {name} ({weakness(canonical)}) in {PATH} ({provenance(view, PATH)}); "
            f"remove it {where} and keep only the CIS 1.12 strong suites, or set {MIN_VERSION}: {TLS13}",
        )


def _unset_finding(view: KubeletView) -> Finding:
    target = config_file(view)
    where = f"in {target}" if target else "in the kubelet config file"
    return Finding(
        locate(view, PATH),
        f"{PATH} is not set: Go's default suites apply, including CBC suites outside "
        f"the CIS 1.12 strong list; set {PATH} to the six ECDHE GCM/ChaCha20 suites {where}, "
        f"or {MIN_VERSION}: {TLS13}",
        severity=Severity.INFO,
        hint="CIS 1.12 list: " + ", ".join(knowledge.cis_strong_ciphers("cis-1.12")),
    )


RULE = define(__doc__, code="KL413", name="weak-tls-cipher-suites", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check, cis=("4.2.12",),
              tags=("kube-bench:4.2.12", "kubescape:C-0184", "checkov:CKV_K8S_151"))
