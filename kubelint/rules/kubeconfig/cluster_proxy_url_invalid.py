"""A cluster's ``proxy-url`` does not parse or uses a scheme other than http, https or socks5.

Why: client-go refuses the cluster (``invalid 'proxy-url' "P" for cluster
"X": ...``) and the kubelet exits. ``socks5h://`` and a bare
``proxy.example.com:3128`` are the usual mistakes. An error for the cluster
in use, a warning for the others.

Fails:
    clusters:
    - name: kubernetes
      cluster:
        server: https://10.0.0.10:6443
        proxy-url: socks5h://10.0.0.2:1080
Passes:
    clusters:
    - name: kubernetes
      cluster:
        server: https://10.0.0.10:6443
        proxy-url: socks5://10.0.0.2:1080
Fix: none automatic.
"""

import re
from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import at, decoded, quote, severity_for, unused_note

SCHEMES = ("http", "https", "socks5")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_AUTHORITY = re.compile(r"//(?:(?P<userinfo>[^@/?#]*)@)?(?P<host>\[[^\]]*\]|[^:/?#]*)(?::(?P<port>[^/?#]*))?")


def proxy_url_error(url: str) -> str | None:
    """Why Go's ``url.Parse`` plus client-go's scheme check reject ``url``, if they do."""
    if any(ord(char) < 0x20 or char == "\x7f" for char in url):
        return "could not parse: net/url: invalid control character in URL"
    match = _SCHEME.match(url)
    scheme = match.group(1).lower() if match else ""
    if match is None and ":" in url.split("/", 1)[0]:
        return "could not parse: first path segment in URL cannot contain colon"
    if scheme not in SCHEMES:
        return f"unsupported scheme {quote(scheme)}, must be http, https, or socks5"
    authority = _AUTHORITY.match(url, match.end()) if match else None
    if authority is not None:
        port = authority.group("port")
        if port and not port.isdigit():
            return f"could not parse: invalid port {quote(':' + port)} after host"
        if " " in authority.group("host"):
            return "could not parse: invalid character \" \" in host name"
    return None


def masked(url: str) -> str:
    """The URL with any password in its userinfo masked."""
    return re.sub(r"(//[^:@/?#]*:)[^@/?#]*@", r"\1****@", url)


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_clusters():
        url = entry.value.proxy_url
        if not url:
            continue
        reason = proxy_url_error(url)
        if reason is None:
            continue
        yield Finding(
            at(context, entry.path("proxy-url")),
            f"invalid 'proxy-url' {quote(masked(url))} for cluster {quote(entry.name)}: {reason}"
            f"{unused_note(context, entry)}",
            severity=severity_for(context, entry),
            hint="use http://, https:// or socks5:// followed by host:port",
        )


RULE = define(__doc__, code="KL512", name="cluster-proxy-url-invalid", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check)
