"""KL601 cgroup-driver-mismatch and KL602 cgroupfs-on-systemd-host on whole nodes.

The severity of a mismatch depends on the target version, the
KubeletCgroupDriverFromCRI gate and the runtime (security-and-peers §4.2).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kubelint.analysis import gate_defaults
from kubelint.contexts import NodeContext
from kubelint.diagnostics import Severity
from kubelint.loaders.cmdline import split_cmdline
from kubelint.node import build_from_command_line
from kubelint.rules.runtime import cgroupfs_on_systemd_host
from tests.test_node_support import column_of, copy_tree, line_of, lint_root, node_of, only, version, write

CONFIG = "var/lib/kubelet/config.yaml"
CONTAINERD = "etc/containerd/config.toml"
FLAGS = "var/lib/kubelet/kubeadm-flags.env"

CONTAINERD_V3 = """
    version = 3

    [plugins]
      [plugins.'io.containerd.cri.v1.runtime'.containerd]
        default_runtime_name = 'runc'
        [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
          runtime_type = 'io.containerd.runc.v2'
          [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
            SystemdCgroup = {systemd}
    """


def with_cgroupfs_flag(tmp_path: Path) -> Path:
    root = copy_tree("kubeadm-deb", tmp_path)
    write(root, FLAGS, 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock '
                       '--cgroup-driver=cgroupfs"\n')
    return root


def set_config_driver(root: Path, driver: str | None) -> None:
    path = root / CONFIG
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("cgroupDriver: systemd\n", f"cgroupDriver: {driver}\n" if driver else ""),
                    encoding="utf-8")


def test_flag_against_containerd_before_the_gate_is_an_error(tmp_path: Path) -> None:
    root = with_cgroupfs_flag(tmp_path)
    [found] = only(lint_root(root, "1.30"), "KL601")
    assert found.severity is Severity.ERROR
    assert (found.path, found.span.line, found.span.column) == (FLAGS, 1, column_of(root, FLAGS, "cgroupfs"))
    assert found.message.startswith("the kubelet's cgroupDriver cgroupfs (--cgroup-driver in KUBELET_KUBEADM_ARGS at "
                                    f"{FLAGS}:1) does not match containerd's systemd (SystemdCgroup = true, handler runc)")
    assert "expected cgroupsPath to be of format" in found.message
    assert "KubeletCgroupDriverFromCRI is off" in found.message
    [related] = found.related
    assert (related.location.path, related.location.span.line) == (CONTAINERD, line_of(root, CONTAINERD, "SystemdCgroup"))


@pytest.mark.parametrize("target", ["1.24", "1.27"])
def test_old_kubelets_always_use_their_own_driver(tmp_path: Path, target: str) -> None:
    root = with_cgroupfs_flag(tmp_path)
    [found] = only(lint_root(root, target), "KL601")
    assert found.severity is Severity.ERROR
    assert f"kubelet {target} always uses its own cgroupDriver" in found.message


def test_containerd_version_2_config_on_1_31_explains_both_cases(tmp_path: Path) -> None:
    root = with_cgroupfs_flag(tmp_path)
    [found] = only(lint_root(root, "1.31"), "KL601")
    assert found.severity is Severity.WARNING
    assert "with containerd 1.x (no RuntimeConfig call" in found.message
    assert "with containerd 2.x the kubelet follows the runtime" in found.message


def test_containerd_2_on_1_33_ignores_the_kubelet_setting(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    write(root, CONTAINERD, CONTAINERD_V3.format(systemd="true"))
    set_config_driver(root, "cgroupfs")
    [found] = only(lint_root(root, "1.33"), "KL601")
    assert found.severity is Severity.WARNING
    assert (found.path, found.span.line) == (CONFIG, line_of(root, CONFIG, "cgroupDriver"))
    assert "systemd is in force and this setting is ignored" in found.message
    assert found.hint == "set cgroupDriver: systemd (or remove it)"
    # the same files under a 1.30 kubelet: the gate is alpha and off, the mismatch is real
    [before] = only(lint_root(root, "1.30"), "KL601")
    assert before.severity is Severity.ERROR


def test_gate_turned_on_early_follows_the_runtime(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    write(root, CONTAINERD, CONTAINERD_V3.format(systemd="true"))
    set_config_driver(root, "cgroupfs\nfeatureGates:\n  KubeletCgroupDriverFromCRI: true")
    [found] = only(lint_root(root, "1.30"), "KL601")
    assert found.severity is Severity.WARNING


def test_an_unset_driver_that_the_runtime_overrides_is_fine(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    write(root, CONTAINERD, CONTAINERD_V3.format(systemd="true"))
    set_config_driver(root, None)
    assert node_of(root, "1.33").view.get("cgroupDriver") == "cgroupfs"
    assert only(lint_root(root, "1.33"), "KL601") == []
    assert only(lint_root(root, "1.33"), "KL602") == []


def test_matching_drivers_pass(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    for target in ("1.27", "1.30", "1.33"):
        assert only(lint_root(root, target), "KL601") == []


def test_crio_drop_in_turns_cgroupfs_on(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-rpm-crio", tmp_path)
    assert only(lint_root(root, "1.30"), "KL601") == []
    write(root, "etc/crio/crio.conf.d/10-cgroupfs.conf", """
        # Node image for a cgroup v1 fleet still on cgroupfs.
        [crio.runtime]
        cgroup_manager = "cgroupfs"
        conmon_cgroup = "pod"
        """)
    [found] = only(lint_root(root, "1.30"), "KL601")
    assert found.severity is Severity.ERROR
    assert "CRI-O's cgroupfs" in found.message and "CRI-O refuses them" in found.message
    assert found.related[0].location.path == "etc/crio/crio.conf.d/10-cgroupfs.conf"
    assert found.related[0].location.span.line == 3
    [later] = only(lint_root(root, "1.31"), "KL601")
    assert later.severity is Severity.WARNING and "the kubelet takes the driver CRI-O reports" in later.message


def test_docker_without_exec_opts_depends_on_the_host(tmp_path: Path) -> None:
    root = copy_tree("binary-docker", tmp_path)
    config = "opt/kubernetes/cfg/kubelet-config.yml"
    [found] = only(lint_root(root, "1.30"), "KL601")
    assert found.severity is Severity.WARNING
    assert (found.path, found.span.line) == (config, line_of(root, config, "cgroupDriver"))
    assert "matches Docker only on cgroup v2 hosts" in found.message
    assert found.related[0].location.path == "etc/docker/daemon.json"
    # from 1.35 the kubelet refuses cgroup v1 hosts, so Docker's default is systemd there
    assert only(lint_root(root, "1.35"), "KL601") == []
    write(root, "etc/docker/daemon.json", '{"exec-opts": ["native.cgroupdriver=systemd"]}\n')
    assert only(lint_root(root, "1.30"), "KL601") == []


def test_a_non_default_handler_on_another_driver_is_info(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    (root / CONTAINERD).write_text((root / CONTAINERD).read_text(encoding="utf-8") + """\
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.legacy]
          runtime_type = "io.containerd.runc.v2"
          [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.legacy.options]
            SystemdCgroup = false
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata]
          runtime_type = "io.containerd.kata.v2"
""", encoding="utf-8")
    [found] = only(lint_root(root, "1.30"), "KL601")  # kata is not runc: its default says nothing
    assert found.severity is Severity.INFO
    assert (found.path, found.span.line) == (CONTAINERD, line_of(root, CONTAINERD, "SystemdCgroup = false"))
    assert found.message.startswith("runtime handler 'legacy' uses cgroupfs (SystemdCgroup = false) while the "
                                    "kubelet's driver is systemd")
    assert found.related[0].location.path == CONFIG


def test_cgroupfs_on_both_sides_of_a_systemd_host(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    set_config_driver(root, "cgroupfs")
    write(root, CONTAINERD, (root / CONTAINERD).read_text(encoding="utf-8").replace("true", "false"))
    found = lint_root(root, "1.30")
    assert only(found, "KL601") == []
    [advice] = only(found, "KL602")
    assert advice.severity is Severity.INFO
    assert (advice.path, advice.span.line) == (CONFIG, line_of(root, CONFIG, "cgroupDriver"))
    assert advice.message.startswith("the kubelet uses cgroupfs (var/lib/kubelet/config.yaml:")
    assert "on a node whose init is systemd" in advice.message
    assert advice.related[0].location.path == CONTAINERD
    # 1.35 refuses cgroup v1 hosts: cgroupfs now writes into systemd's cgroup v2 hierarchy
    [later] = only(lint_root(root, "1.35"), "KL602")
    assert later.severity is Severity.WARNING and "failCgroupV1" in later.message


def test_cgroupfs_reported_by_containerd_2(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    write(root, CONTAINERD, CONTAINERD_V3.format(systemd="false"))
    found = lint_root(root, "1.33")
    [advice] = only(found, "KL602")
    assert (advice.path, advice.span.line) == (CONTAINERD, line_of(root, CONTAINERD, "SystemdCgroup"))
    assert "the kubelet follows it" in advice.message
    assert [d.severity for d in only(found, "KL601")] == [Severity.WARNING]  # config says systemd, ignored


def test_no_advice_without_systemd(tmp_path: Path) -> None:
    # a container image or a non-systemd distribution: only the kubelet's command line is known
    root = tmp_path / "openrc-node"
    write(root, "etc/kubernetes/kubelet.yaml", """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        cgroupDriver: cgroupfs
        """)
    target = version("1.30")
    words = split_cmdline("--config=/etc/kubernetes/kubelet.yaml", "<cmdline>")
    node = build_from_command_line(words, "--cmdline", root, target, gate_defaults(target))
    assert list(cgroupfs_on_systemd_host.check(NodeContext(node, target))) == []
    write(root, "etc/systemd/system.conf", "[Manager]\n")
    node = build_from_command_line(words, "--cmdline", root, target, gate_defaults(target))
    [advice] = cgroupfs_on_systemd_host.check(NodeContext(node, target))
    assert advice.location.path == "etc/kubernetes/kubelet.yaml"
