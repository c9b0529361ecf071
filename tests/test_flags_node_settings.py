"""KL207 node-labels-refused, KL208 cloud-provider-removed, KL209 hostname-override, KL210 container-gc-flags."""

from __future__ import annotations

import pytest

from kubelint.diagnostics import Applicability, Severity
from kubelint.rules.flags.node_labels_refused import is_restricted
from tests.test_flags_helpers import BINARY_OPTS, DEFAULT_KUBELET, KUBEADM_FLAGS, applied, lint, one, only, where

# -- KL207 -----------------------------------------------------------------------------

LABELS = 'KUBELET_EXTRA_ARGS="--node-ip=10.0.12.7 --node-labels=node-role.kubernetes.io/worker=,topology.kubernetes.io/zone=eu-west-1a"\n'


def test_node_role_label_is_refused_and_pointed_at() -> None:
    found = one(lint(LABELS, DEFAULT_KUBELET), "KL207")
    start = LABELS.index("node-role")
    assert (found.severity, where(found)) == (
        Severity.ERROR, (DEFAULT_KUBELET, 1, start + 1, 1, start + 1 + len("node-role.kubernetes.io/worker=")))
    assert "unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels" in found.message
    assert "kubectl label node NAME node-role.kubernetes.io/worker=" in found.message
    assert found.fix is not None and found.fix.applicability is Applicability.UNSAFE
    assert applied(found.fix, DEFAULT_KUBELET, LABELS) == LABELS.replace("node-role.kubernetes.io/worker=,", "")


def test_allowed_labels_pass() -> None:
    text = ('KUBELET_EXTRA_ARGS="--node-labels=node.kubernetes.io/pool=workers,topology.kubernetes.io/zone=a,'
            'kubernetes.io/os=linux,disktype=ssd,example.com/team=payments,foo.kubelet.kubernetes.io/x=1"\n')
    assert only(lint(text, DEFAULT_KUBELET), "KL207") == []


@pytest.mark.parametrize(("key", "refused"), [
    ("node-role.kubernetes.io/control-plane", True),
    ("kubernetes.io/role", True),
    ("k8s.io/anything", True),
    ("storage.k8s.io/x", True),
    ("beta.kubernetes.io/arch", False),
    ("node.kubernetes.io/exclude-from-external-load-balancers", False),
    ("x.node.kubernetes.io/y", False),
    ("kubernetes.io.example.com/x", False),
])
def test_restricted_namespaces(key: str, refused: bool) -> None:
    assert is_restricted(key) is refused


def test_invalid_label_value_is_refused() -> None:
    text = 'KUBELET_EXTRA_ARGS="--node-labels=team=-payments"\n'
    found = one(lint(text, DEFAULT_KUBELET), "KL207")
    assert "label value '-payments'" in found.message and found.severity is Severity.ERROR


# -- KL208 -----------------------------------------------------------------------------


@pytest.mark.parametrize(("provider", "warning_at", "error_at"), [
    ("aws", "1.26", "1.27"),
    ("azure", "1.29", "1.30"),
    ("gce", "1.30", "1.31"),
    ("openstack", "1.30", "1.31"),
])
def test_in_tree_provider_by_version(provider: str, warning_at: str, error_at: str) -> None:
    text = f'KUBELET_EXTRA_ARGS="--node-ip=10.0.12.7 --cloud-provider={provider}"\n'
    start = text.index("--cloud-provider=") + len("--cloud-provider=") + 1
    before = one(lint(text, DEFAULT_KUBELET, version=warning_at), "KL208")
    after = one(lint(text, DEFAULT_KUBELET, version=error_at), "KL208")
    assert (before.severity, after.severity) == (Severity.WARNING, Severity.ERROR)
    assert where(after) == (DEFAULT_KUBELET, 1, start, 1, start + len(provider))
    assert f'unknown cloud provider "{provider}"' in after.message and "--cloud-provider=external" in after.message


@pytest.mark.parametrize("value", ["external", ""])
def test_external_or_none_passes(value: str) -> None:
    assert only(lint(f'KUBELET_EXTRA_ARGS="--cloud-provider={value}"\n', DEFAULT_KUBELET, version="1.33"),
                "KL208") == []


def test_unknown_provider_name_is_an_error_everywhere() -> None:
    found = one(lint('KUBELET_EXTRA_ARGS="--cloud-provider=hetzner"\n', DEFAULT_KUBELET, version="1.24"), "KL208")
    assert found.severity is Severity.ERROR and "not a cloud provider the kubelet knows" in found.message


# -- KL209 -----------------------------------------------------------------------------


def test_hostname_override_is_cis_info() -> None:
    text = 'KUBELET_OPTS="--v=2 --hostname-override=k8s-master --cert-dir=/opt/kubernetes/ssl"\n'
    found = one(lint(text, BINARY_OPTS), "KL209")
    assert (found.severity, where(found)) == (Severity.INFO, (BINARY_OPTS, 1, 21, 1, 51))
    assert "CIS 4.2.7" in found.message and "'k8s-master'" in found.message
    assert found.fix is None


def test_no_hostname_override_passes() -> None:
    assert only(lint('KUBELET_OPTS="--v=2 --cert-dir=/opt/kubernetes/ssl"\n', BINARY_OPTS), "KL209") == []


# -- KL210 -----------------------------------------------------------------------------


def test_both_gc_limits_off_warns_at_the_per_container_flag() -> None:
    text = ('KUBELET_KUBEADM_ARGS="--maximum-dead-containers-per-container=-1 '
            '--maximum-dead-containers=-1"\n')
    found = one(lint(text), "KL210")
    assert (found.severity, where(found)) == (Severity.WARNING, (KUBEADM_FLAGS, 1, 23, 1, 65))
    assert "switch both count limits off" in found.message


def test_negative_ttl_is_an_error() -> None:
    found = one(lint('KUBELET_KUBEADM_ARGS="--minimum-container-ttl-duration=-1m"\n'), "KL210")
    assert (found.severity, where(found)[1:3]) == (Severity.ERROR, (1, 23))
    assert "refuses to start" in found.message


def test_node_limit_below_per_container_limit() -> None:
    text = ('KUBELET_EXTRA_ARGS="--maximum-dead-containers-per-container=5 '
            '--maximum-dead-containers=2"\n')
    found = one(lint(text, DEFAULT_KUBELET), "KL210")
    assert found.severity is Severity.WARNING and "can never be honoured" in found.message
    assert where(found)[1:3] == (1, 21)


def test_sane_gc_flags_pass() -> None:
    text = ('KUBELET_EXTRA_ARGS="--maximum-dead-containers-per-container=2 '
            '--maximum-dead-containers=200 --minimum-container-ttl-duration=0s"\n')
    assert only(lint(text, DEFAULT_KUBELET), "KL210") == []


def test_unparsable_gc_value_is_left_to_kl204() -> None:
    found = lint('KUBELET_EXTRA_ARGS="--maximum-dead-containers=lots"\n', DEFAULT_KUBELET)
    assert only(found, "KL210") == [] and len(only(found, "KL204")) == 1
