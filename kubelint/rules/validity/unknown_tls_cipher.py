"""A tlsCipherSuites entry that is not a cipher suite name Go knows.

Why: the kubelet resolves ``tlsCipherSuites`` by Go's IANA-style names
(``TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256``) plus two legacy aliases, and
refuses to start on any other name ("Cipher suite X not supported or
doesn't exist"). OpenSSL names (``ECDHE-RSA-AES128-GCM-SHA256``) and
lowercase names fail. Whether a suite is strong enough is the security
rules' business.

Fails:
    tlsCipherSuites:
    - ECDHE-RSA-AES128-GCM-SHA256
Passes:
    tlsCipherSuites:
    - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
Fix: safe when the entry is a known name in the wrong case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kubelint import knowledge
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import REFUSES, effective_list, item, replace_fix

FIELD = "tlsCipherSuites"


def _openssl_equivalent(name: str) -> str | None:
    """The Go name for an OpenSSL-style ECDHE AEAD name, when it maps one to one."""
    match = re.fullmatch(r"ECDHE-(RSA|ECDSA)-(AES128|AES256)-GCM-(SHA256|SHA384)", name.upper())
    if match is None:
        return None
    signature, cipher, mac = match.groups()
    go_name = f"TLS_ECDHE_{signature}_WITH_AES_{cipher[3:]}_GCM_{mac}"
    return go_name if go_name in knowledge.cipher_suites() else None


def check(view: KubeletView) -> Iterator[Finding]:
    known = knowledge.cipher_suites()
    for index, name in enumerate(effective_list(view, FIELD)):
        if not isinstance(name, str) or name in known:
            continue
        path = item(FIELD, index)
        message = f"{REFUSES}: Cipher suite {name} not supported or doesn't exist"
        if name.upper() in known:
            better = name.upper()
            yield Finding(view.where(path), f"{message}; cipher names are case-sensitive: {better}",
                          fix=replace_fix(view, path, better, f"replace {name!r} with {better!r}"))
            continue
        equivalent = _openssl_equivalent(name)
        hint = (f"that is the OpenSSL name of {equivalent}" if equivalent
                else "use Go's names, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
        yield Finding(view.where(path), f"{message}; {hint}")


RULE = define(__doc__, code="KL126", name="unknown-tls-cipher", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check, fixable=True)
