"""A kubeadm-generated kubelet config to which the gc_eviction tests add their settings."""

from __future__ import annotations

import textwrap

import pytest

from kubelint.engine import Rule, all_rules
from tests.helpers import lint_text

# What `kubeadm init` writes to /var/lib/kubelet/config.yaml, trimmed.
KUBEADM_BASE = """\
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
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
rotateCertificates: true
staticPodPath: /etc/kubernetes/manifests
"""
BASE_LINES = KUBEADM_BASE.count("\n")


def kubeadm_config(extra: str) -> str:
    """The kubeadm config followed by ``extra``: its first line is line BASE_LINES + 1."""
    return KUBEADM_BASE + textwrap.dedent(extra).lstrip("\n")



# Every gc_eviction rule documents itself with a failing and a passing
# example (rendered by `kubelint explain`); the examples must do what they say.

GC_EVICTION_RULES = [rule for rule in all_rules() if rule.code.startswith("KL3")]
HEADER = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"


def doc_example(rule: Rule, section: str) -> str:
    lines = textwrap.dedent(rule.doc).splitlines()
    start = lines.index(f"{section}:") + 1
    body: list[str] = []
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break
        body.append(line)
    return HEADER + textwrap.dedent("\n".join(body)).strip("\n") + "\n"


def test_the_family_has_rules() -> None:
    assert len(GC_EVICTION_RULES) >= 12


@pytest.mark.parametrize("rule", GC_EVICTION_RULES, ids=lambda rule: rule.code)
def test_documented_failing_example_fails(rule: Rule) -> None:
    found = lint_text(doc_example(rule, "Fails"), select=(rule.code,))
    assert [d.code for d in found] == [rule.code]


@pytest.mark.parametrize("rule", GC_EVICTION_RULES, ids=lambda rule: rule.code)
def test_documented_passing_example_passes(rule: Rule) -> None:
    assert lint_text(doc_example(rule, "Passes"), select=(rule.code,)) == []
