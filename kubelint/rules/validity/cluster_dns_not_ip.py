"""A clusterDNS entry that is not an IP address.

Why: pods get the ``clusterDNS`` addresses as nameservers. The kubelet does
not refuse a bad entry: it skips it with a log line ("Invalid clusterDNS
IP"), so a host name or an address with a port silently leaves pods
without that resolver, and without any if it was the only one.

Fails:
    clusterDNS:
    - kube-dns.kube-system.svc
Passes:
    clusterDNS:
    - 10.96.0.10
Fix: none automatic (the service IP of the cluster DNS is not in the file).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from functools import lru_cache

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import effective_list, item

FIELD = "clusterDNS"


# a pure function of the text; ipaddress is slow and a fleet's configs repeat
# the same few addresses (bounded: a scan meets arbitrary text)
@lru_cache(maxsize=4096)
def is_ip(text: str) -> bool:
    if "%" in text:  # Go's net.ParseIP takes no IPv6 zone
        return False
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def check(view: KubeletView) -> Iterator[Finding]:
    entries = effective_list(view, FIELD)
    bad = [index for index, entry in enumerate(entries) if isinstance(entry, str) and not is_ip(entry)]
    for index in bad:
        consequence = "pods get no cluster DNS server at all" if len(bad) == len(entries) else \
            "pods get one nameserver fewer"
        yield Finding(view.where(item(FIELD, index)),
                      f"clusterDNS entry {entries[index]!r} is not an IP address: the kubelet skips it "
                      f"(\"Invalid clusterDNS IP\") and {consequence}; use the cluster DNS service IP "
                      "(e.g. 10.96.0.10)")


RULE = define(__doc__, code="KL127", name="cluster-dns-not-ip", severity=Severity.WARNING,
              scope=Scope.KUBELET, check=check)
