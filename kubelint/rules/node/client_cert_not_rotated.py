"""The kubeconfig relies on the rotated client certificate, but rotation is off.

Why: after TLS bootstrap the kubelet's kubeconfig names
``<cert-dir>/kubelet-client-current.pem``, the link the certificate
manager moves to each renewed certificate. With ``rotateCertificates``
false (the v1beta1 default; kubeadm sets true) nothing renews it: the
kubelet keeps the certificate it got at bootstrap, and the node drops out
of the cluster (NotReady, every API call refused) the day it expires, a
year later with kubeadm's CA. Also reported when the kubeconfig does not
exist yet and the bootstrap kubeconfig will create one of that kind.
KL411 reports ``rotateCertificates: false`` alone; this rule ties it to the
kubeconfig that depends on it.

Fails:
    # etc/kubernetes/kubelet.conf
    users:
    - name: system:node:worker-1
      user:
        client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
        client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
    # var/lib/kubelet/config.yaml
    rotateCertificates: false
Passes:
    # var/lib/kubelet/config.yaml
    rotateCertificates: true
Fix: none automatic: set ``rotateCertificates: true`` (client renewals of
``system:nodes`` are approved by the controller manager's csrapproving
controller).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from kubelint.contexts import NodeContext
from kubelint.diagnostics import Finding, Related, Severity
from kubelint.engine import Scope, define
from kubelint.models.kubeconfig import resolve_reference
from kubelint.node import NodeView
from kubelint.rules.node._common import kubeconfig_user, related_value, value_site

PATH = "rotateCertificates"
ROTATED = "kubelet-client-current.pem"
DEFAULT_CERT_DIR = "/var/lib/kubelet/pki"
HINT = "set rotateCertificates: true (kubeadm does); the controller manager approves the renewals of system:nodes"


def check(context: NodeContext) -> Iterator[Finding]:
    node = context.node
    if node.view.get(PATH) is not False:
        return
    _, provenance = value_site(node.view, PATH)
    related = related_value(node.view, PATH, "rotateCertificates: false")
    user = kubeconfig_user(node, "kubeconfig")
    if user is not None:
        certificate = user.user.value.client_certificate
        if not certificate or posixpath.basename(resolve_reference(certificate, user.node_path)) != ROTATED:
            return
        yield Finding(
            user.location("client-certificate"),
            f"{user.node_path} authenticates with the rotated client certificate {certificate}, but "
            f"rotateCertificates is false ({provenance}): the kubelet never renews it, and the node drops out of "
            "the cluster when it expires",
            hint=HINT, related=related,
        )
        return
    yield from _after_bootstrap(node, provenance, related)


def _after_bootstrap(node: NodeView, provenance: str, related: tuple[Related, ...]) -> Iterator[Finding]:
    """No kubeconfig yet: the bootstrap writes one that names the rotated certificate."""
    if "kubeconfig" in node.kubeconfigs or "bootstrap" not in node.kubeconfigs or node.command_line is None:
        return
    occurrence = node.command_line.flag("bootstrap-kubeconfig")
    location = occurrence.value_location if occurrence else None
    if location is None:
        return
    cert_dir = node.command_line.value("cert-dir") or DEFAULT_CERT_DIR
    yield Finding(
        location,
        f"the kubelet will bootstrap with {node.kubeconfig_paths['bootstrap']} and write a kubeconfig that names "
        f"{posixpath.join(cert_dir, ROTATED)}, but rotateCertificates is false ({provenance}): that certificate is "
        "never renewed, and the node drops out of the cluster when it expires",
        hint=HINT, related=related,
    )


RULE = define(__doc__, code="KL710", name="client-cert-not-rotated", severity=Severity.WARNING, scope=Scope.NODE,
              check=check)
