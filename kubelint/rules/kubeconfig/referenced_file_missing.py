"""A file the kubeconfig names does not exist on the node.

Why: client-go opens ``certificate-authority``, ``client-certificate`` and
``client-key`` while validating (``unable to read certificate-authority F
for X due to ...``, ``unable to read client-cert F for U due to ...``) and
reads ``tokenFile`` when it builds the client: a missing file stops the
kubelet. Relative paths are resolved against the kubeconfig's directory.
Checked only when kubelint lints a node tree (``--root``), where it knows
which files exist; an error for the entries in use, a warning for the others.

Fails:
    users:
    - name: default-auth
      user:
        client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
        client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
    (on a node without /var/lib/kubelet/pki/kubelet-client-current.pem)
Passes:
    the same, on a node where the file exists
Fix: none automatic; restore the file (or, for the kubelet's client
certificate, remove kubelet.conf and let TLS bootstrap write a new one).
"""

from collections.abc import Iterator
from typing import Any

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.models.kubeconfig import Named, resolve_reference
from kubelint.rules.kubeconfig._support import at, decoded, file_exists, quote, severity_for, unused_note

CLUSTER_FILES = (("certificate-authority", "certificate-authority", "certificate_authority"),)
# client-go reads the key only along with a client certificate
CLIENT_CERT_FILES = (
    ("client-certificate", "client-cert", "client_certificate"),
    ("client-key", "client-key", "client_key"),
)
TOKEN_FILES = (("tokenFile", "tokenFile", "token_file"),)


def _missing(context: KubeconfigContext, entry: Named[Any],
             fields: tuple[tuple[str, str, str], ...]) -> Iterator[Finding]:
    for key, upstream_word, attribute in fields:
        reference = getattr(entry.value, attribute)
        if not reference or file_exists(context, reference) is not False:
            continue
        resolved = resolve_reference(reference, context.document.path)
        shown = reference if resolved == reference else f"{reference} (resolved to {resolved})"
        yield Finding(
            at(context, entry.path(key)),
            f"unable to read {upstream_word} {shown} for {quote(entry.name)}: no such file on this node"
            f"{unused_note(context, entry)}",
            severity=severity_for(context, entry),
        )


def check(context: KubeconfigContext) -> Iterator[Finding]:
    if context.existing_files is None:
        return
    config = decoded(context).config
    for cluster in config.named_clusters():
        yield from _missing(context, cluster, CLUSTER_FILES)
    for user in config.named_users():
        if user.value.has_client_certificate():
            yield from _missing(context, user, CLIENT_CERT_FILES)
        if not user.value.token:  # a token wins over tokenFile, which is then never read
            yield from _missing(context, user, TOKEN_FILES)


RULE = define(__doc__, code="KL514", name="referenced-file-missing", severity=Severity.ERROR,
              scope=Scope.KUBECONFIG, check=check)
