"""A kubeadm-generated kubelet config to which the gc_eviction tests add their settings."""

from __future__ import annotations

import textwrap

import pytest

from kubelint.engine import Rule, all_rules
from tests.helpers import EXAMPLES, lint_text

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


# The example files: one showing the family's findings, one tuned counterpart.

def test_gc_eviction_example_shows_the_family() -> None:
    path = EXAMPLES / "files" / "kubelet-config-gc-eviction.yaml"
    found = lint_text(path.read_text(encoding="utf-8"), path.name, select=("KL3",))
    marked = {
        number: line.split("# ")[-1].split(":")[0]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "# KL3" in line
    }
    # every finding sits on the line whose comment names it, and every marked line has its finding
    assert {d.span.line: d.code for d in found} == marked
    # KL301 (GC switched off) would hide the other image GC findings; its documented example covers it
    assert {d.code for d in found} == {rule.code for rule in GC_EVICTION_RULES} - {"KL301"}


def test_tuned_example_passes_every_rule() -> None:
    path = EXAMPLES / "files" / "kubelet-config-gc-tuned.yaml"
    assert lint_text(path.read_text(encoding="utf-8"), path.name) == []
    assert lint_text(path.read_text(encoding="utf-8"), path.name, version="1.33", select=("KL3",)) == []
