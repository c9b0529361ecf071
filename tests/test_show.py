"""``kubelint show``: effective configuration with provenance, as YAML comments, JSON and --explain."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from kubelint.cli import main
from tests.test_node_support import TREES, column_of, copy_tree, line_of, write

FLAGS = "var/lib/kubelet/kubeadm-flags.env"
CONFIG = "var/lib/kubelet/config.yaml"
DROPIN_UNIT = "etc/systemd/system/kubelet.service.d/10-kubeadm.conf"
DROPINS = "etc/kubernetes/kubelet.conf.d"


def show(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["show", *args])
    return result.exit_code, result.stdout, result.stderr


def cgroupfs_node(tmp_path: Path) -> Path:
    root = copy_tree("kubeadm-deb", tmp_path)
    write(root, FLAGS, 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock '
                       '--cgroup-driver=cgroupfs"\n')
    return root


def comment_of(output: str, key_line: str) -> str:
    [line] = [line for line in output.splitlines() if line.startswith(key_line)]
    return line.split("  # ", 1)[1]


def test_yaml_carries_a_provenance_comment_per_value(tmp_path: Path) -> None:
    root = cgroupfs_node(tmp_path)
    status, out, _ = show("--root", str(root), "--kubernetes-version", "1.30")
    assert status == 0
    assert out.startswith("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n")
    assert comment_of(out, "cgroupDriver: cgroupfs") == (
        f"--cgroup-driver in {FLAGS}:1 via KUBELET_KUBEADM_ARGS → ExecStart in {DROPIN_UNIT}:11")
    assert comment_of(out, "clusterDomain: cluster.local") == f"{CONFIG}:{line_of(root, CONFIG, 'clusterDomain')}"
    assert comment_of(out, "port: 10250") == "kubelet default for 1.30"
    assert comment_of(out, "    cacheTTL: 2m0s") == \
        f"kubelet default for 1.30, replacing 0s at {CONFIG}:{line_of(root, CONFIG, 'cacheTTL')}"
    assert comment_of(out, "clusterDNS:") == f"{CONFIG}:{line_of(root, CONFIG, '- 10.96.0.10')}"  # the list
    assert "\n- 10.96.0.10\n" in out
    # the comments are YAML comments: the text is the configuration itself
    _, as_json, _ = show("--root", str(root), "--kubernetes-version", "1.30", "--format", "json")
    assert yaml.safe_load(out) == json.loads(as_json)["config"]


def test_json_has_config_provenance_and_command_line() -> None:
    status, out, _ = show("--root", str(TREES / "config-dir"), "--kubernetes-version", "1.31", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert set(data) == {"config", "provenance", "command_line"}
    config = data["config"]
    assert config["maxPods"] == 64
    assert config["streamingConnectionIdleTimeout"] == "4h0m0s"  # a Go duration string
    assert config["systemReserved"] == {"cpu": "500m", "memory": "2Gi"}  # quantities as written
    assert config["evictionHard"] == {"memory.available": "500Mi", "nodefs.available": "10%"}
    provenance = data["provenance"]
    assert provenance["evictionHard.memory.available"] == {
        "kind": "dropin", "path": f"{DROPINS}/20-eviction.conf", "line": 4, "column": 21,
        "via": f"--config-dir in etc/default/kubelet:1 via KUBELET_EXTRA_ARGS → ExecStart in {DROPIN_UNIT}:11"}
    assert provenance["evictionHard.nodefs.available"]["path"] == CONFIG
    assert provenance["authentication.x509.clientCAFile"]["kind"] == "config"
    assert provenance["authentication.x509.clientCAFile"]["via"] == (
        f"--config in {DROPIN_UNIT}:4 via KUBELET_CONFIG_ARGS → ExecStart in {DROPIN_UNIT}:11")
    assert provenance["port"] == {"kind": "default", "path": None, "line": None, "column": None,
                                  "via": "kubelet default for 1.31"}
    assert data["command_line"][:2] == ["/usr/bin/kubelet", "--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf"]
    assert "--config-dir=/etc/kubernetes/kubelet.conf.d" in data["command_line"]


def test_every_value_line_has_a_provenance_entry() -> None:
    _, out, _ = show("--root", str(TREES / "config-dir"), "--kubernetes-version", "1.31", "--format", "json")
    data = json.loads(out)
    scalars = [key for key, value in data["config"].items()
               if not isinstance(value, dict) and key not in ("apiVersion", "kind")]
    assert all(key in data["provenance"] for key in scalars)
    assert "authorization.webhook.cacheAuthorizedTTL" in data["provenance"]


def test_drop_ins_without_config_show_legacy_defaults() -> None:
    _, out, _ = show("--root", str(TREES / "dropins-only"), "--kubernetes-version", "1.31")
    assert comment_of(out, "readOnlyPort: 10255") == "legacy flag default for 1.31"
    assert comment_of(out, "  mode: AlwaysAllow") == "legacy flag default for 1.31"
    assert comment_of(out, "cgroupDriver: systemd") == f"{DROPINS}/00-base.conf:3"


def test_the_version_decides_defaults(tmp_path: Path) -> None:
    root = str(TREES / "kubeadm-deb")
    assert "failCgroupV1: false  # kubelet default for 1.34" in show("--root", root, "--k8s-version", "1.34")[1]
    assert "failCgroupV1: true  # kubelet default for 1.35" in show("--root", root, "--k8s-version", "1.35")[1]


def test_explain_follows_one_field_through_the_layers(tmp_path: Path) -> None:
    root = cgroupfs_node(tmp_path)
    status, out, _ = show("--root", str(root), "--kubernetes-version", "1.30", "--explain", "cgroupDriver")
    assert status == 0
    config_line = line_of(root, CONFIG, "cgroupDriver")
    assert out.splitlines() == [
        "cgroupDriver: cgroupfs",
        f"  from      --cgroup-driver in {FLAGS}:1:{column_of(root, FLAGS, 'cgroupfs')} via KUBELET_KUBEADM_ARGS → ExecStart in "
        f"{DROPIN_UNIT}:11",
        f"            KUBELET_KUBEADM_ARGS is set at {FLAGS}:1, loaded by EnvironmentFile= at {DROPIN_UNIT}:6",
        f"  overrides systemd at {CONFIG}:{config_line}:15 (config file, read through --config in {DROPIN_UNIT}:4 via "
        f"KUBELET_CONFIG_ARGS → ExecStart in {DROPIN_UNIT}:11)",
        "  default   cgroupfs (kubelet default for 1.30)",
    ]


def test_explain_as_json_lists_overridden_values() -> None:
    status, out, _ = show("--root", str(TREES / "config-dir"), "--kubernetes-version", "1.31", "--explain",
                          "maxPods", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert (data["field"], data["value"], data["default"]) == ("maxPods", 64, 110)
    assert data["provenance"]["path"] == f"{DROPINS}/gpu/40-max-pods.conf"
    assert [(o["value"], o["path"], o["line"]) for o in data["overridden"]] == [(100, f"{DROPINS}/90-local.conf", 6)]


def test_explain_a_map_lists_its_entries() -> None:
    _, out, _ = show("--root", str(TREES / "config-dir"), "--kubernetes-version", "1.31", "--explain", "evictionHard")
    assert f"  evictionHard.memory.available: 500Mi  # {DROPINS}/20-eviction.conf:4:21 (drop-in" in out
    assert f"  evictionHard.nodefs.available: \"10%\"  # {CONFIG}:" in out


def test_explain_an_unknown_field() -> None:
    status, out, err = show("--root", str(TREES / "kubeadm-deb"), "--explain", "maxpod")
    assert (status, out) == (2, "")
    assert err == "kubelint: 'maxpod' is not a KubeletConfiguration field (did you mean maxPods?)\n"


def test_explain_a_field_nobody_set() -> None:
    status, out, _ = show("--root", str(TREES / "kubeadm-deb"), "--explain", "tlsCertFile")
    assert status == 0
    assert out.splitlines()[0] == "tlsCertFile: not set (no default)"


def test_a_command_line_instead_of_a_unit() -> None:
    status, out, _ = show("--cmdline", "/usr/bin/kubelet --max-pods=20 --read-only-port=0", "--k8s-version", "1.33",
                          "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["config"]["maxPods"] == 20
    assert data["provenance"]["maxPods"]["via"] == "--max-pods in <cmdline>:1"
    assert data["provenance"]["authorization.mode"]["via"] == "legacy flag default for 1.33"
    assert data["command_line"] == ["--max-pods=20", "--read-only-port=0"]


def test_no_kubelet_unit_is_a_usage_error(tmp_path: Path) -> None:
    status, out, err = show("--root", str(tmp_path))
    assert (status, out) == (2, "")
    assert "no kubelet.service with an ExecStart= under" in err
