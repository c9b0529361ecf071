"""The kubelet's unit chain at the node level: what systemd does decides what the kubelet gets.

Each case changes one thing in a kubeadm tree and checks the effective
configuration and provenance, and the finding where systemd would complain.
"""

from __future__ import annotations

import os
from pathlib import Path

from kubelint.diagnostics import Severity
from tests.test_node_support import column_of, copy_tree, line_of, lint_root, node_of, only, write

DEB_DROPIN = "etc/systemd/system/kubelet.service.d/10-kubeadm.conf"
RPM_DROPIN = "usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf"
CONFIG = "var/lib/kubelet/config.yaml"


def with_max_pods(root: Path, value: int = 110) -> None:
    path = root / CONFIG
    path.write_text(path.read_text(encoding="utf-8").replace("clusterDomain: cluster.local\n",
                                                             f"clusterDomain: cluster.local\nmaxPods: {value}\n"),
                    encoding="utf-8")


def test_a_drop_in_without_exec_start_reset_adds_a_second_command(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    write(root, "etc/systemd/system/kubelet.service.d/20-verbose.conf", """
        [Service]
        ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS --v=4
        """)
    [found] = only(lint_root(root), "KL705")
    assert (found.path, found.span.line, found.severity) == (
        "etc/systemd/system/kubelet.service.d/20-verbose.conf", 2, Severity.ERROR)
    assert found.message.startswith(f"2 ExecStart= commands remain (the first in {DEB_DROPIN}:11)")


def test_an_exec_start_reset_in_a_later_drop_in_wins(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    with_max_pods(root)
    write(root, "etc/systemd/system/kubelet.service.d/20-verbose.conf", """
        [Service]
        ExecStart=
        ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS --max-pods=64
        """)
    node = node_of(root)
    assert only(lint_root(root), "KL705") == []
    assert node.service is not None and node.service.exec_location is not None
    assert node.service.exec_location.path == "etc/systemd/system/kubelet.service.d/20-verbose.conf"
    assert node.view.get("maxPods") == 64
    # KUBELET_KUBEADM_ARGS is no longer on the command line: its endpoint flag is gone
    assert node.view.origin("containerRuntimeEndpoint").kind == "config"  # kubeadm's "", which defaulting replaces


def test_a_masked_drop_in_is_not_applied(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-rpm-crio", tmp_path)
    write(root, "etc/sysconfig/kubelet", "KUBELET_EXTRA_ARGS=--max-pods=40\n")
    assert node_of(root).view.get("maxPods") == 40
    masked = root / "etc/systemd/system/kubelet.service.d/10-kubeadm.conf"
    masked.parent.mkdir(parents=True)
    os.symlink("/dev/null", masked)
    node = node_of(root)
    assert node.service is not None and "10-kubeadm.conf" in " ".join(node.service.masked_dropins)
    assert node.command_line is not None and node.command_line.words == ()  # the package unit's bare ExecStart
    assert node.config is None
    assert node.view.uses_config_file is False
    assert node.view.get("maxPods") == 110


def test_an_etc_drop_in_hides_the_packaged_one(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-rpm-crio", tmp_path)
    with_max_pods(root)
    text = (root / RPM_DROPIN).read_text(encoding="utf-8")
    write(root, "etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
          text.replace("$KUBELET_EXTRA_ARGS", "$KUBELET_EXTRA_ARGS --max-pods=90"))
    node = node_of(root)
    assert node.view.get("maxPods") == 90
    assert node.view.origin("maxPods").location.path == "etc/systemd/system/kubelet.service.d/10-kubeadm.conf"  # type: ignore[union-attr]
    hidden = only(lint_root(root), "KL707")
    assert [(d.path, d.span.line, d.severity) for d in hidden] == [(RPM_DROPIN, 1, Severity.INFO)]
    assert "is hidden by etc/systemd/system/kubelet.service.d/10-kubeadm.conf" in hidden[0].message


def test_a_missing_optional_env_file_drops_its_flags(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    write(root, "var/lib/kubelet/kubeadm-flags.env",
          'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/crio/crio.sock"\n')
    assert node_of(root).view.get("containerRuntimeEndpoint") == "unix:///run/crio/crio.sock"
    (root / "var/lib/kubelet/kubeadm-flags.env").unlink()
    node = node_of(root)
    assert node.view.get("containerRuntimeEndpoint") == "unix:///run/containerd/containerd.sock"
    assert node.view.origin("containerRuntimeEndpoint").kind == "config"  # kubeadm's "", which defaulting replaces
    [missing] = only(lint_root(root), "KL704")
    assert missing.severity is Severity.INFO
    assert (missing.path, missing.span.line) == (DEB_DROPIN, line_of(root, DEB_DROPIN, "kubeadm-flags.env"))


def test_braced_variable_stays_one_word(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    with_max_pods(root)
    write(root, "etc/default/kubelet", 'KUBELET_EXTRA_ARGS="--node-ip=10.0.12.9 --max-pods=50"\n')
    assert node_of(root).view.get("maxPods") == 50  # $KUBELET_EXTRA_ARGS splits on blanks
    dropin = root / DEB_DROPIN
    dropin.write_text(dropin.read_text(encoding="utf-8").replace("$KUBELET_EXTRA_ARGS", "${KUBELET_EXTRA_ARGS}"),
                      encoding="utf-8")
    node = node_of(root)
    assert node.command_line is not None
    assert node.command_line.value("node-ip") == "10.0.12.9 --max-pods=50"  # one argv word
    assert node.view.get("maxPods") == 110
    assert node.view.origin("maxPods").location.path == CONFIG  # type: ignore[union-attr]


def test_continuation_lines_keep_each_flag_on_its_own_line() -> None:
    from tests.test_node_support import EXAMPLES

    base = EXAMPLES / "eks-node"
    unit = "etc/systemd/system/kubelet.service"
    node = node_of(base, "1.33")
    assert node.command_line is not None
    endpoint = node.command_line.flag("container-runtime-endpoint")
    assert endpoint is not None and endpoint.value == "unix:///run/containerd/containerd.sock"
    assert endpoint.value_location is not None
    assert (endpoint.value_location.path, endpoint.value_location.span.line, endpoint.value_location.span.column) == (
        unit, line_of(base, unit, "--container-runtime-endpoint"), column_of(base, unit, "unix:///run/containerd"))
    assert node.config_node_path == "/etc/kubernetes/kubelet/kubelet-config.json"


def test_environment_file_overrides_environment(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    # Environment= comes after EnvironmentFile= in the file, yet the file's value wins (systemd.exec(5))
    write(root, "etc/systemd/system/kubelet.service.d/20-extra.conf", """
        [Service]
        Environment="KUBELET_EXTRA_ARGS=--max-pods=10"
        """)
    write(root, "etc/default/kubelet", "KUBELET_EXTRA_ARGS=--max-pods=20\n")
    node = node_of(root)
    assert node.view.get("maxPods") == 20
    assert node.view.origin("maxPods").location.path == "etc/default/kubelet"  # type: ignore[union-attr]
    assert node.service is not None
    variable = node.service.environment["KUBELET_EXTRA_ARGS"]
    assert variable.source == "EnvironmentFile"
    assert [o.path for o in variable.overrides] == ["etc/systemd/system/kubelet.service.d/20-extra.conf"]
