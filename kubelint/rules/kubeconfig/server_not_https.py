"""A cluster's ``server`` is not an ``https://`` URL.

Why: client-go only attaches credentials and the CA when the server URL is
``https``: with ``http://`` the kubelet talks in clear text and sends no
client certificate or token at all. A server written without a scheme
(``10.0.0.10:6443``) is read as ``http://`` too, so the kubelet speaks plain
HTTP to the API server's TLS port and is turned away.

Fails:
    clusters:
    - name: kubernetes
      cluster:
        server: 10.0.0.10:6443
        certificate-authority: /etc/kubernetes/pki/ca.crt
Passes:
    clusters:
    - name: kubernetes
      cluster:
        server: https://10.0.0.10:6443
        certificate-authority: /etc/kubernetes/pki/ca.crt
Fix: unsafe, for a server without a scheme: ``https://`` is put in front.
"""

import re
from collections.abc import Iterator

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Fix, Severity
from kubelint.engine import Scope, define
from kubelint.rules.kubeconfig._support import at, decoded, quote, set_fix

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://")


def check(context: KubeconfigContext) -> Iterator[Finding]:
    for entry in decoded(context).config.named_clusters():
        server = entry.value.server
        if not server:
            continue
        match = _SCHEME.match(server)
        scheme = match.group(1).lower() if match else ""
        if scheme == "https":
            continue
        fix: Fix | None = None
        if not scheme:
            problem = "has no scheme, so client-go reads it as http://"
            fix = set_fix(context, entry.path("server"), "https://" + server, f"set server to https://{server}")
        elif scheme == "http":
            problem = "uses plain http://"
        else:
            problem = f"uses the scheme {quote(scheme)}, which client-go cannot speak"
        yield Finding(
            at(context, entry.path("server")),
            f"server {quote(server)} of cluster {quote(entry.name)} {problem}: the connection is unencrypted and "
            "client-go sends no client certificate or token over it",
            fix=fix,
            hint="use https://<api-server>:6443 and a CA (certificate-authority or certificate-authority-data)",
        )


RULE = define(__doc__, code="KL531", name="server-not-https", severity=Severity.WARNING,
              scope=Scope.KUBECONFIG, check=check, fixable=True)
