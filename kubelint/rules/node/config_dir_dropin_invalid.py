"""A ``--config-dir`` drop-in that is not a KubeletConfiguration.

Why: each ``*.conf`` drop-in is decoded on its own, as a (partial)
KubeletConfiguration that names ``apiVersion: kubelet.config.k8s.io/v1beta1``
and ``kind: KubeletConfiguration``. A drop-in with only the settings
(``maxPods: 150``), or with another kind, fails to decode and the kubelet
exits at start ("failed to load kubelet dropin file"). A drop-in that has
one of the two but not the other is reported by KL009 on the file itself.

Fails:
    # etc/kubernetes/kubelet.conf.d/20-max-pods.conf
    maxPods: 150
Passes:
    apiVersion: kubelet.config.k8s.io/v1beta1
    kind: KubeletConfiguration
    maxPods: 150
Fix: none automatic: add the two header lines.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.contexts import NodeContext
from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.models.kubelet_config import API_VERSION, KIND
from kubelint.node import _is_kubelet

HEADER = f"add apiVersion: {API_VERSION} and kind: {KIND} at the top"


def check(context: NodeContext) -> Iterator[Finding]:
    for dropin in context.node.dropins:
        for document in dropin.documents:
            data = document.data
            if not isinstance(data, dict) or not data or _is_kubelet(document):
                continue
            kind = data.get("kind")
            if kind is not None:
                message = (f"drop-in {dropin.display} is a {kind}, not a {KIND}: the kubelet fails to decode it "
                           "and exits at start")
                location = document.location(("kind",))
            else:
                message = (f"drop-in {dropin.display} has no apiVersion and kind: the kubelet cannot decode it as a "
                           f"{KIND} and exits at start (kubelint leaves its settings out of the effective config)")
                location = document.location(())
            yield Finding(location, message, hint=HEADER)


RULE = define(__doc__, code="KL714", name="config-dir-dropin-invalid", severity=Severity.ERROR, scope=Scope.NODE,
              check=check)
