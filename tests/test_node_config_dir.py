"""``--config-dir``: the merge (lists replaced, maps and structs merged, lexical path order,
flags on top, drop-ins without ``--config`` on the legacy flag defaults) and KL712–KL714."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubelint.diagnostics import Severity
from kubelint.models.types import Duration
from tests.test_node_support import TREES, copy_tree, line_of, lint_root, node_of, only, write

DROPINS = "etc/kubernetes/kubelet.conf.d"
CONFIG = "var/lib/kubelet/config.yaml"


def test_drop_ins_are_read_in_lexical_path_order_including_subdirectories() -> None:
    node = node_of(TREES / "config-dir", "1.31")
    assert [d.display for d in node.dropins] == [
        f"{DROPINS}/10-nodelocaldns.conf", f"{DROPINS}/20-eviction.conf", f"{DROPINS}/90-local.conf",
        f"{DROPINS}/gpu/40-max-pods.conf",
    ]
    view = node.view
    assert view.get("maxPods") == 64  # gpu/40-max-pods.conf sorts after 90-local.conf
    assert view.describe("maxPods") == f"{DROPINS}/gpu/40-max-pods.conf:3:10"
    [(value, origin)] = view.history[("maxPods",)]
    assert (value, origin.kind, origin.location.path if origin.location else None) == (
        100, "dropin", f"{DROPINS}/90-local.conf")


def test_lists_are_replaced_maps_and_structs_merged() -> None:
    view = node_of(TREES / "config-dir", "1.31").view
    assert view.get("clusterDNS") == ["169.254.20.10"]
    assert view.origin("clusterDNS").kind == "dropin"
    assert view.get("evictionHard") == {"memory.available": "500Mi", "nodefs.available": "10%"}
    assert view.origin("evictionHard.memory.available").location.path == f"{DROPINS}/20-eviction.conf"  # type: ignore[union-attr]
    assert view.origin("evictionHard.nodefs.available").location.path == CONFIG  # type: ignore[union-attr]
    # a map merged across two drop-ins: cpu from 20-eviction.conf stays, memory from gpu/40 wins
    assert view.raw("systemReserved") == {"cpu": "500m", "memory": "2Gi"}
    assert view.get("authorization.mode") == "Webhook"  # from config.yaml, untouched by 90-local.conf
    assert view.get("authorization.webhook.cacheAuthorizedTTL") == Duration.parse("1m")
    assert view.origin("authorization.webhook.cacheAuthorizedTTL").kind == "dropin"


def test_flags_win_over_drop_ins(tmp_path: Path) -> None:
    root = copy_tree("config-dir", tmp_path)
    write(root, "etc/default/kubelet",
          'KUBELET_EXTRA_ARGS="--config-dir=/etc/kubernetes/kubelet.conf.d --max-pods=32"\n')
    view = node_of(root, "1.31").view
    assert view.get("maxPods") == 32
    assert view.describe("maxPods").startswith("--max-pods at etc/default/kubelet:1:")
    assert [o.kind for _, o in view.history[("maxPods",)]] == ["dropin", "dropin"]


def test_drop_ins_without_config_sit_on_the_legacy_flag_defaults() -> None:
    view = node_of(TREES / "dropins-only", "1.31").view
    assert view.uses_config_file is False
    assert view.get("authentication.anonymous.enabled") is True
    assert view.get("authorization.mode") == "AlwaysAllow"
    assert view.get("readOnlyPort") == 10255
    assert view.describe("authorization.mode") == "legacy flag default for 1.31"
    assert view.get("cgroupDriver") == "systemd"
    assert view.describe("cgroupDriver") == f"{DROPINS}/00-base.conf:3:15"


def test_a_clean_config_dir_node_has_no_config_dir_findings() -> None:
    found = lint_root(TREES / "config-dir", "1.31")
    assert [d for d in found if d.code in ("KL712", "KL713", "KL714")] == []


@pytest.mark.parametrize("target", ["1.28", "1.29"])
def test_alpha_config_dir_needs_the_environment_variable(tmp_path: Path, target: str) -> None:
    root = copy_tree("config-dir", tmp_path)
    [found] = only(lint_root(root, target), "KL712")
    assert found.severity is Severity.ERROR
    column = len('KUBELET_EXTRA_ARGS="--node-ip=10.0.12.11 ') + 1
    assert (found.path, found.span.line, found.span.column) == ("etc/default/kubelet", 1, column)
    assert f"--config-dir is alpha in {target}" in found.message
    assert "KUBELET_CONFIG_DROPIN_DIR_ALPHA" in found.message
    write(root, "etc/systemd/system/kubelet.service.d/20-config-dir-alpha.conf", """
        [Service]
        Environment="KUBELET_CONFIG_DROPIN_DIR_ALPHA=on"
        """)
    assert only(lint_root(root, target), "KL712") == []


def test_before_1_28_the_flag_is_left_to_the_flag_rules(tmp_path: Path) -> None:
    found = lint_root(TREES / "config-dir", "1.27")
    assert only(found, "KL712") == []
    assert [d.path for d in only(found, "KL203")] == ["etc/default/kubelet"]


def test_a_missing_directory_stops_the_kubelet(tmp_path: Path) -> None:
    root = copy_tree("config-dir", tmp_path)
    write(root, "etc/default/kubelet", 'KUBELET_EXTRA_ARGS="--config-dir=/etc/kubernetes/kubelet.d"\n')
    [found] = only(lint_root(root, "1.31"), "KL712")
    assert found.message.startswith("--config-dir /etc/kubernetes/kubelet.d does not exist under the node root")
    assert (found.span.line, found.span.column) == (1, len('KUBELET_EXTRA_ARGS="--config-dir=') + 1)


def test_files_that_are_not_conf_are_ignored(tmp_path: Path) -> None:
    root = copy_tree("config-dir", tmp_path)
    write(root, f"{DROPINS}/50-max-pods.yaml", """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        maxPods: 20
        """)
    write(root, f"{DROPINS}/README.md", "Drop-ins for the GPU pool.\n")
    write(root, f"{DROPINS}/.keep", "")
    found = only(lint_root(root, "1.31"), "KL713")
    assert [(d.path, d.span.line, d.severity) for d in found] == [
        (f"{DROPINS}/50-max-pods.yaml", 1, Severity.INFO), (f"{DROPINS}/README.md", 1, Severity.INFO)]
    assert found[0].message == ("50-max-pods.yaml is ignored: the kubelet reads only *.conf files from --config-dir; "
                                "this one holds a KubeletConfiguration whose settings never apply")
    assert found[0].hint == "rename it to 50-max-pods.conf if it should apply"
    assert found[1].hint is None
    assert node_of(root, "1.31").view.get("maxPods") == 64


def test_a_drop_in_without_header_stops_the_kubelet(tmp_path: Path) -> None:
    root = copy_tree("config-dir", tmp_path)
    write(root, f"{DROPINS}/30-max-pods.conf", "maxPods: 20\n")
    [found] = only(lint_root(root, "1.31"), "KL714")
    assert found.severity is Severity.ERROR
    assert (found.path, found.span.line, found.span.column) == (f"{DROPINS}/30-max-pods.conf", 1, 1)
    assert "has no apiVersion and kind" in found.message
    assert node_of(root, "1.31").view.get("maxPods") == 64  # not merged, as the kubelet never gets that far


def test_a_drop_in_of_another_kind(tmp_path: Path) -> None:
    root = copy_tree("config-dir", tmp_path)
    write(root, f"{DROPINS}/60-kube-proxy.conf", """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        mode: ipvs
        """)
    [found] = only(lint_root(root, "1.31"), "KL714")
    assert found.span.line == line_of(root, f"{DROPINS}/60-kube-proxy.conf", "kind:")
    assert "is a KubeProxyConfiguration, not a KubeletConfiguration" in found.message


def test_a_drop_in_with_half_a_header_is_kl009s(tmp_path: Path) -> None:
    root = copy_tree("config-dir", tmp_path)
    write(root, f"{DROPINS}/30-max-pods.conf", "kind: KubeletConfiguration\nmaxPods: 20\n")
    found = lint_root(root, "1.31")
    assert only(found, "KL714") == []
    assert [d.path for d in only(found, "KL009")] == [f"{DROPINS}/30-max-pods.conf"]
