"""KL709 flag-overrides-config on kubeadm node trees: which flag, which line it beats, the fix."""

from __future__ import annotations

from pathlib import Path

from kubelint.diagnostics import Applicability, Severity, TextEdit
from kubelint.fix import apply_edits_to_text
from tests.test_node_support import copy_tree, line_of, lint_root, node_of, only, write

FLAGS = "var/lib/kubelet/kubeadm-flags.env"
CONFIG = "var/lib/kubelet/config.yaml"
ENDPOINT = "--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock"


def kubeadm_flags(root: Path, extra: str) -> None:
    write(root, FLAGS, f'KUBELET_KUBEADM_ARGS="{ENDPOINT} {extra}"\n')


def set_config(root: Path, old: str, new: str) -> None:
    path = root / CONFIG
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_cgroup_driver_flag_in_kubeadm_flags_env(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    kubeadm_flags(root, "--cgroup-driver=cgroupfs")
    [found] = only(lint_root(root), "KL709")
    assert found.severity is Severity.WARNING
    assert found.path == FLAGS
    column = len('KUBELET_KUBEADM_ARGS="') + len(ENDPOINT) + 2
    assert (found.span.line, found.span.column, found.span.end_column) == (1, column, column + len("--cgroup-driver=cgroupfs"))
    assert found.message == ("--cgroup-driver=cgroupfs overrides cgroupDriver: systemd set in "
                             f"{CONFIG}:{line_of(root, CONFIG, 'cgroupDriver')} (flags win over the config file)")
    [related] = found.related
    assert (related.location.path, related.location.span.line, related.location.span.column) == (
        CONFIG, line_of(root, CONFIG, "cgroupDriver"), len("cgroupDriver: ") + 1)
    assert "kubeadm rewrites kubeadm-flags.env" in (found.hint or "")
    assert found.fix is not None and found.fix.applicability is Applicability.UNSAFE
    text = (root / FLAGS).read_text(encoding="utf-8")
    assert apply_edits_to_text(text, found.fix.edits) == f'KUBELET_KUBEADM_ARGS="{ENDPOINT}"\n'


def test_the_effective_value_is_the_flags_and_history_keeps_the_file_value(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    kubeadm_flags(root, "--cgroup-driver=cgroupfs")
    view = node_of(root).view
    assert view.get("cgroupDriver") == "cgroupfs"
    assert view.origin("cgroupDriver").kind == "flag"
    assert view.describe("cgroupDriver").startswith(f"--cgroup-driver at {FLAGS}:1:")
    [(value, origin)] = view.history[("cgroupDriver",)]
    assert (value, origin.kind, origin.location.path if origin.location else None) == ("systemd", "config", CONFIG)


def test_no_finding_without_the_flag_or_with_the_same_value(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    assert only(lint_root(root), "KL709") == []
    kubeadm_flags(root, "--cgroup-driver=systemd")
    assert only(lint_root(root), "KL709") == []


def test_a_zero_value_in_the_file_is_not_a_choice(tmp_path: Path) -> None:
    # kubeadm writes containerRuntimeEndpoint: "" and 0s durations; the flags are the real values
    root = copy_tree("kubeadm-deb", tmp_path)
    kubeadm_flags(root, "--node-status-update-frequency=20s")
    assert node_of(root).view.history  # both were overridden ...
    assert only(lint_root(root), "KL709") == []  # ... but neither was a choice


def test_durations_compare_by_value(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    set_config(root, "nodeStatusUpdateFrequency: 0s", "nodeStatusUpdateFrequency: 1m")
    kubeadm_flags(root, "--node-status-update-frequency=60s")
    assert only(lint_root(root), "KL709") == []
    kubeadm_flags(root, "--node-status-update-frequency=30s")
    [found] = only(lint_root(root), "KL709")
    assert "overrides nodeStatusUpdateFrequency: 1m" in found.message


def test_etc_default_kubelet_has_the_last_word(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    set_config(root, "clusterDomain: cluster.local", "clusterDomain: cluster.local\nmaxPods: 110")
    write(root, "etc/default/kubelet", "KUBELET_EXTRA_ARGS=--node-ip=10.0.12.9 --max-pods=250\n")
    [found] = only(lint_root(root), "KL709")
    assert (found.path, found.span.line, found.span.column) == ("etc/default/kubelet", 1, 40)
    assert found.message.startswith("--max-pods=250 overrides maxPods: 110 set in var/lib/kubelet/config.yaml:")
    assert "from KUBELET_EXTRA_ARGS in etc/default/kubelet" in (found.hint or "")
    edits = found.fix.edits if found.fix else ()
    assert apply_edits_to_text((root / "etc/default/kubelet").read_text(encoding="utf-8"), edits) == \
        "KUBELET_EXTRA_ARGS=--node-ip=10.0.12.9\n"


def test_feature_gates_are_compared_gate_by_gate(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    set_config(root, "memorySwap: {}", "memorySwap: {}\nfeatureGates:\n  GracefulNodeShutdown: true\n"
                                       "  KubeletTracing: true")
    write(root, "etc/default/kubelet", "KUBELET_EXTRA_ARGS=--feature-gates=GracefulNodeShutdown=false\n")
    [found] = only(lint_root(root), "KL709")
    assert found.message.startswith("--feature-gates=GracefulNodeShutdown=false sets feature gate "
                                    "GracefulNodeShutdown=false, overriding featureGates.GracefulNodeShutdown: true")
    assert found.related[0].location.span.line == line_of(root, CONFIG, "GracefulNodeShutdown")
    assert found.fix is not None
    view = node_of(root).view
    assert view.gate("GracefulNodeShutdown") is False and view.gate("KubeletTracing") is True


def test_a_gate_list_gets_no_removal_fix(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    set_config(root, "memorySwap: {}", "memorySwap: {}\nfeatureGates:\n  GracefulNodeShutdown: true")
    write(root, "etc/default/kubelet",
          "KUBELET_EXTRA_ARGS=--feature-gates=KubeletTracing=true,GracefulNodeShutdown=false\n")
    [found] = only(lint_root(root), "KL709")
    assert found.fix is None


def test_a_map_flag_replaces_the_whole_map(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    set_config(root, "memorySwap: {}", "memorySwap: {}\nevictionHard:\n  memory.available: 500Mi\n"
                                       "  nodefs.available: 10%")
    kubeadm_flags(root, "--eviction-hard=memory.available<200Mi")
    [found] = only(lint_root(root), "KL709")
    assert "replaces evictionHard set in var/lib/kubelet/config.yaml:" in found.message
    assert "keys not on the flag are dropped" in found.message
    assert node_of(root).view.get("evictionHard") == {"memory.available": "200Mi"}


def test_a_flag_given_twice_gets_no_removal_fix(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    kubeadm_flags(root, "--cgroup-driver=cgroupfs")
    write(root, "etc/default/kubelet", "KUBELET_EXTRA_ARGS=--cgroup-driver=cgroupfs\n")
    [found] = only(lint_root(root), "KL709")
    assert found.path == "etc/default/kubelet"  # the last occurrence wins
    assert found.fix is None


def test_a_flag_over_a_config_dir_drop_in(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    write(root, "etc/systemd/system/kubelet.service.d/20-config-dir.conf", """
        [Service]
        Environment="KUBELET_EXTRA_ARGS=--config-dir=/etc/kubernetes/kubelet.conf.d --max-pods=200"
        """)
    write(root, "etc/kubernetes/kubelet.conf.d/50-pods.conf", """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        maxPods: 150
        """)
    write(root, "etc/default/kubelet", "")
    [found] = only(lint_root(root), "KL709")
    assert found.message == ("--max-pods=200 overrides maxPods: 150 set in drop-in "
                             "etc/kubernetes/kubelet.conf.d/50-pods.conf:3 (flags win over --config-dir drop-ins)")
    assert found.path == "etc/systemd/system/kubelet.service.d/20-config-dir.conf"
    assert isinstance(found.fix.edits[0], TextEdit) if found.fix else False
