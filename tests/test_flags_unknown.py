"""KL203 unknown-flag: typos, config field names, flags of later releases and of Windows."""

from __future__ import annotations

from kubelint.diagnostics import Applicability, Severity
from tests.test_flags_helpers import DEFAULT_KUBELET, KUBEADM_FLAGS, applied, lint, one, only, where


def test_typo_is_an_error_with_a_suggestion_and_a_rename_fix() -> None:
    text = 'KUBELET_EXTRA_ARGS="--node-ip=10.0.12.7 --cgroup-drivers=systemd"\n'
    found = one(lint(text, DEFAULT_KUBELET), "KL203")
    assert (found.severity, where(found)) == (Severity.ERROR, (DEFAULT_KUBELET, 1, 41, 1, 65))
    assert "exits with `unknown flag: --cgroup-drivers`" in found.message
    assert "did you mean `--cgroup-driver`?" in found.message
    assert found.fix is not None and found.fix.applicability is Applicability.UNSAFE
    assert applied(found.fix, DEFAULT_KUBELET, text) == text.replace("--cgroup-drivers", "--cgroup-driver")


def test_config_field_names_map_to_their_flag() -> None:
    text = 'KUBELET_EXTRA_ARGS="--clusterDNS=10.96.0.10 --maxPods=250"\n'
    suggestions = [d.message.rsplit("`", 2)[-2] for d in only(lint(text, DEFAULT_KUBELET), "KL203")]
    assert suggestions == ["--cluster-dns", "--max-pods"]


def test_unrelated_name_gets_no_suggestion_but_a_deletion() -> None:
    text = 'KUBELET_EXTRA_ARGS="--v=2 --enable-magic=true"\n'
    found = one(lint(text, DEFAULT_KUBELET), "KL203")
    assert "did you mean" not in found.message
    assert applied(found.fix, DEFAULT_KUBELET, text) == 'KUBELET_EXTRA_ARGS="--v=2"\n'


def test_unknown_flag_with_a_separate_word_is_not_deleted() -> None:
    # whether --enable-magic takes "--v=2" as its value is unknown: deleting both could lose a flag
    found = one(lint('KUBELET_EXTRA_ARGS="--enable-magic --v=2"\n', DEFAULT_KUBELET), "KL203")
    assert found.fix is None


def test_fail_cgroupv1_before_1_31() -> None:
    text = 'KUBELET_KUBEADM_ARGS="--fail-cgroupv1=false"\n'
    found = one(lint(text, version="1.30"), "KL203")
    assert where(found) == (KUBEADM_FLAGS, 1, 23, 1, 44)
    assert "was added in 1.31" in found.message and "1.30 exits" in found.message
    assert only(lint(text, version="1.31"), "KL203") == []


def test_config_dir_before_1_28() -> None:
    text = 'KUBELET_EXTRA_ARGS="--config-dir=/etc/kubernetes/kubelet.conf.d"\n'
    found = one(lint(text, DEFAULT_KUBELET, version="1.27"), "KL203")
    assert found.severity is Severity.ERROR
    assert "`--config-dir` was added in 1.28" in found.message
    assert "KUBELET_CONFIG_DROPIN_DIR_ALPHA" in found.message
    assert only(lint(text, DEFAULT_KUBELET, version="1.28"), "KL203") == []


def test_windows_only_flag_on_a_linux_node() -> None:
    found = one(lint('KUBELET_EXTRA_ARGS="--windows-service"\n', DEFAULT_KUBELET), "KL203")
    assert "only in the Windows kubelet" in found.message
    assert found.severity is Severity.ERROR


def test_known_flags_pass() -> None:
    text = ('KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock '
            '--node-ip=10.0.12.7 --cluster_dns=10.96.0.10 -v=2 --housekeeping-interval=10s"\n')
    assert only(lint(text, version="1.30"), "KL203") == []


def test_removed_flags_are_left_to_kl201() -> None:
    assert only(lint('KUBELET_KUBEADM_ARGS="--network-plugin=cni"\n'), "KL203") == []
