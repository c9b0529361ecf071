"""Helpers for the flags family tests: realistic files, node trees, fixes applied to text.

Test modules import these; pytest collects nothing here.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from kubelint import knowledge
from kubelint.analysis import Options
from kubelint.diagnostics import Diagnostic, Fix, Severity, TextEdit, YamlEdit
from kubelint.engine import Selection, all_rules
from kubelint.fix import apply_edits_to_text
from kubelint.scan import lint_root
from tests.helpers import lint_text

KUBEADM_FLAGS = "var/lib/kubelet/kubeadm-flags.env"
DEFAULT_KUBELET = "etc/default/kubelet"
DROPIN = "etc/systemd/system/kubelet.service.d/10-kubeadm.conf"
BINARY_OPTS = "opt/kubernetes/cfg/kubelet.conf"
CONFIG = "var/lib/kubelet/config.yaml"

# the drop-in kubeadm's deb package installs
KUBEADM_DROPIN = """\
# Note: This dropin only works with kubeadm and kubelet v1.11+
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
"""

KUBELET_UNIT = """\
[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
"""

# a trimmed kubeadm-generated config.yaml
KUBEADM_CONFIG = """\
apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
kind: KubeletConfiguration
rotateCertificates: true
staticPodPath: /etc/kubernetes/manifests
"""


def lint(text: str, path: str = KUBEADM_FLAGS, *, version: str = "1.30",
         select: tuple[str, ...] = ("KL2",)) -> list[Diagnostic]:
    """Lint one file alone, as ``kubelint check FILE`` does."""
    return lint_text(text, path, version=version, select=select)


def kubeadm_node(tmp_path: Path, *, flags: str, extra: str | None = None, config: str = KUBEADM_CONFIG,
                 more: dict[str, str] | None = None) -> Path:
    """A kubeadm node: the packaged unit and drop-in, kubeadm-flags.env, /etc/default/kubelet, config.yaml."""
    files = {"lib/systemd/system/kubelet.service": KUBELET_UNIT, DROPIN: KUBEADM_DROPIN,
             KUBEADM_FLAGS: flags, CONFIG: config, **(more or {})}
    if extra is not None:
        files[DEFAULT_KUBELET] = extra
    for relative, text in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def lint_node(root: Path, *, version: str = "1.30", select: tuple[str, ...] = ("KL2",)) -> list[Diagnostic]:
    """Every diagnostic of a node tree, paths relative to the root."""
    options = Options(version=knowledge.parse_version(version), selection=Selection(select=select))
    rules = [rule for rule in all_rules() if options.selection.enabled(rule)]
    return [d for result in lint_root(root, options, rules, prefix="") for d in result.diagnostics]


def only(diagnostics: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == code]


def one(diagnostics: list[Diagnostic], code: str) -> Diagnostic:
    found = only(diagnostics, code)
    assert len(found) == 1, [(d.code, d.message) for d in diagnostics]
    return found[0]


def where(diagnostic: Diagnostic) -> tuple[str, int, int, int, int]:
    span = diagnostic.span
    return diagnostic.path, span.line, span.column, span.end_line, span.end_column


def summary(diagnostic: Diagnostic) -> tuple[str, Severity, int, int]:
    return diagnostic.code, diagnostic.severity, diagnostic.span.line, diagnostic.span.column


def applied(fix: Fix | None, path: str, text: str) -> str:
    """``text`` (the file ``path``) after the fix's edits for that file."""
    assert fix is not None
    edits = [edit for edit in fix.edits if edit.path == path]
    assert edits, f"the fix does not touch {path}"
    return apply_edits_to_text(textwrap.dedent(text), edits)


def text_edits(fix: Fix | None) -> list[TextEdit]:
    assert fix is not None
    return [edit for edit in fix.edits if isinstance(edit, TextEdit)]


def yaml_edits(fix: Fix | None) -> list[YamlEdit]:
    assert fix is not None
    return [edit for edit in fix.edits if isinstance(edit, YamlEdit)]
