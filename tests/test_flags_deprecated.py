"""KL202 deprecated-flag: the message names the config field and file; the unsafe migration fix and its limits."""

from __future__ import annotations

from pathlib import Path

from kubelint.diagnostics import Applicability, Severity, YamlEdit
from kubelint.fix import apply_edits_to_text
from kubelint.loaders.yaml import load_yaml
from tests.test_flags_helpers import (
    CONFIG,
    DEFAULT_KUBELET,
    KUBEADM_CONFIG,
    KUBEADM_FLAGS,
    applied,
    kubeadm_node,
    lint,
    lint_node,
    one,
    only,
    text_edits,
    where,
    yaml_edits,
)

FLAGS = ('KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock '
         '--cgroup-driver=systemd"\n')


def _config_after(root: Path, fix_edits: list[YamlEdit]) -> dict[str, object]:
    text = (root / CONFIG).read_text(encoding="utf-8")
    data = load_yaml(apply_edits_to_text(text, fix_edits), CONFIG).documents[0].data
    assert isinstance(data, dict)
    return data


def test_lone_env_file_names_the_field_and_points_at_the_flag() -> None:
    text = 'KUBELET_KUBEADM_ARGS="--cgroup-driver=systemd"\n'
    found = one(lint(text), "KL202")
    assert (found.severity, where(found)) == (Severity.WARNING, (KUBEADM_FLAGS, 1, 23, 1, 46))
    assert found.message == ("`--cgroup-driver` is deprecated: set `cgroupDriver: systemd` in the file given to "
                             "--config and delete the flag")
    assert found.fix is None  # the config file is only known on a whole node


def test_config_path_from_the_same_command_line() -> None:
    text = 'KUBELET_OPTS="--config=/opt/kubernetes/cfg/kubelet-config.yml --max-pods=250"\n'
    found = one(lint(text, "opt/kubernetes/cfg/kubelet.conf"), "KL202")
    assert "set `maxPods: 250` in /opt/kubernetes/cfg/kubelet-config.yml" in found.message


def test_active_flags_pass() -> None:
    text = 'KUBELET_EXTRA_ARGS="--node-ip=10.0.12.7 --v=2 --hostname-override=node-1 --provider-id=aws:///i-1"\n'
    assert only(lint(text, DEFAULT_KUBELET), "KL202") == []


def test_flag_only_deprecation_names_the_replacement() -> None:
    found = one(lint('KUBELET_EXTRA_ARGS="--experimental-mounter-path=/sbin/mount"\n', DEFAULT_KUBELET), "KL202")
    assert found.severity is Severity.WARNING
    assert "deprecated since 1.19" in found.message and "use a CSI driver" in found.message


def test_container_runtime_endpoint_is_deprecated_from_1_27() -> None:
    text = 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock"\n'
    assert only(lint(text, version="1.26"), "KL202") == []
    assert one(lint(text, version="1.27"), "KL202").severity is Severity.WARNING


def test_node_migration_moves_the_flag_into_config_yaml(tmp_path: Path) -> None:
    root = kubeadm_node(tmp_path, flags=FLAGS)
    found = [d for d in only(lint_node(root), "KL202") if "--cgroup-driver" in d.message]
    assert len(found) == 1
    assert where(found[0])[:3] == (KUBEADM_FLAGS, 1, FLAGS.index("--cgroup-driver") + 1)
    assert "set `cgroupDriver: systemd` in /var/lib/kubelet/config.yaml" in found[0].message
    fix = found[0].fix
    assert fix is not None and fix.applicability is Applicability.UNSAFE
    assert applied(fix, KUBEADM_FLAGS, FLAGS) == (
        'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock"\n')
    assert [(e.path, e.key_path, e.op, e.value) for e in yaml_edits(fix)] == [
        (CONFIG, ("cgroupDriver",), "set", "systemd")]


def test_migration_of_a_map_flag_writes_a_mapping(tmp_path: Path) -> None:
    flags = 'KUBELET_KUBEADM_ARGS="--eviction-hard=memory.available<100Mi,nodefs.available<10%"\n'
    root = kubeadm_node(tmp_path, flags=flags)
    fix = one(lint_node(root), "KL202").fix
    data = _config_after(root, yaml_edits(fix))
    assert data["evictionHard"] == {"memory.available": "100Mi", "nodefs.available": "10%"}
    assert applied(fix, KUBEADM_FLAGS, flags) == 'KUBELET_KUBEADM_ARGS=""\n'


def test_migration_of_feature_gates_sets_each_gate(tmp_path: Path) -> None:
    config = KUBEADM_CONFIG + "featureGates:\n  KubeletTracing: true\n"
    flags = 'KUBELET_KUBEADM_ARGS="--feature-gates=RotateKubeletServerCertificate=true,NodeSwap=false"\n'
    root = kubeadm_node(tmp_path, flags=flags, config=config)
    fix = one(lint_node(root), "KL202").fix
    data = _config_after(root, yaml_edits(fix))
    # the command line wins gate by gate: gates only in the file stay
    assert data["featureGates"] == {"KubeletTracing": True, "RotateKubeletServerCertificate": True, "NodeSwap": False}


def test_migration_of_a_nested_field_and_system_reserved(tmp_path: Path) -> None:
    extra = 'KUBELET_EXTRA_ARGS="--system-reserved=cpu=100m,memory=256Mi --read-only-port=0"\n'
    root = kubeadm_node(tmp_path, flags='KUBELET_KUBEADM_ARGS=""\n', extra=extra)
    fixes = {d.message.split("`")[1]: d.fix for d in only(lint_node(root), "KL202")}
    reserved = _config_after(root, yaml_edits(fixes["--system-reserved"]))
    assert reserved["systemReserved"] == {"cpu": "100m", "memory": "256Mi"}
    assert text_edits(fixes["--system-reserved"])[0].path == DEFAULT_KUBELET
    port = _config_after(root, yaml_edits(fixes["--read-only-port"]))
    assert port["readOnlyPort"] == 0


def test_no_migration_without_a_config_file(tmp_path: Path) -> None:
    dropin = (
        "[Service]\n"
        'Environment="KUBELET_KUBECONFIG_ARGS=--kubeconfig=/etc/kubernetes/kubelet.conf"\n'
        "EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env\n"
        "ExecStart=\n"
        "ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_KUBEADM_ARGS\n"
    )
    root = kubeadm_node(tmp_path, flags='KUBELET_KUBEADM_ARGS="--cgroup-driver=systemd"\n',
                        more={"etc/systemd/system/kubelet.service.d/10-kubeadm.conf": dropin})
    found = one(lint_node(root), "KL202")
    assert found.fix is None
    assert "runs without --config" in found.message
    assert found.hint is not None and "legacy flag defaults" in found.hint


def test_no_migration_when_a_dropin_sets_the_field(tmp_path: Path) -> None:
    flags = 'KUBELET_KUBEADM_ARGS="--config-dir=/etc/kubernetes/kubelet.conf.d --max-pods=250"\n'
    dropin = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nmaxPods: 150\n"
    root = kubeadm_node(tmp_path, flags=flags, more={"etc/kubernetes/kubelet.conf.d/50-pods.conf": dropin})
    found = one(lint_node(root, version="1.31"), "KL202")
    assert found.fix is None
    assert found.hint is not None and "drop-in sets maxPods" in found.hint


def test_no_migration_of_a_zero_the_config_defaulting_replaces(tmp_path: Path) -> None:
    # maxPods: 0 in the file means 110; --max-pods=0 stays 0
    root = kubeadm_node(tmp_path, flags='KUBELET_KUBEADM_ARGS="--max-pods=0"\n')
    found = one(lint_node(root), "KL202")
    assert found.fix is None
    assert found.hint is not None and "use the default" in found.hint


def test_no_migration_when_the_flag_is_given_twice(tmp_path: Path) -> None:
    root = kubeadm_node(tmp_path, flags='KUBELET_KUBEADM_ARGS="--max-pods=200"\n',
                        extra='KUBELET_EXTRA_ARGS="--max-pods=250"\n')
    found = only(lint_node(root), "KL202")
    assert len(found) == 2 and all(d.fix is None for d in found)


def test_no_migration_of_a_relative_path(tmp_path: Path) -> None:
    root = kubeadm_node(tmp_path, flags='KUBELET_KUBEADM_ARGS="--tls-cert-file=pki/kubelet.crt"\n')
    found = one(lint_node(root), "KL202")
    assert found.fix is None and found.hint is not None and "relative path" in found.hint


def test_no_migration_of_eviction_hard_when_defaults_are_merged(tmp_path: Path) -> None:
    config = KUBEADM_CONFIG + "mergeDefaultEvictionSettings: true\n"
    root = kubeadm_node(tmp_path, flags='KUBELET_KUBEADM_ARGS="--eviction-hard=memory.available<1Gi"\n',
                        config=config)
    found = one(lint_node(root, version="1.34"), "KL202")
    assert found.fix is None and found.hint is not None and "mergeDefaultEvictionSettings" in found.hint


def test_feature_gates_move_unless_a_dropin_names_the_same_gate(tmp_path: Path) -> None:
    dropin = ("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
              "featureGates:\n  KubeletTracing: true\n")
    flags = 'KUBELET_KUBEADM_ARGS="--config-dir=/etc/kubernetes/kubelet.conf.d --feature-gates={gates}"\n'
    other = kubeadm_node(tmp_path / "other", flags=flags.format(gates="NodeSwap=true"),
                         more={"etc/kubernetes/kubelet.conf.d/10-tracing.conf": dropin})
    same = kubeadm_node(tmp_path / "same", flags=flags.format(gates="KubeletTracing=false"),
                        more={"etc/kubernetes/kubelet.conf.d/10-tracing.conf": dropin})
    assert one(lint_node(other, version="1.31"), "KL202").fix is not None
    blocked = one(lint_node(same, version="1.31"), "KL202")
    assert blocked.fix is None
    assert blocked.hint is not None and "drop-in sets featureGates.KubeletTracing" in blocked.hint


def test_no_migration_when_the_config_file_disagrees(tmp_path: Path) -> None:
    # config.yaml says systemd, the flag says cgroupfs: moving the flag would
    # make cgroupfs permanent, removing it (KL709) would switch to systemd
    flags = 'KUBELET_KUBEADM_ARGS="--cgroup-driver=cgroupfs"\n'
    root = kubeadm_node(tmp_path, flags=flags)  # its config.yaml sets cgroupDriver: systemd
    found = one(lint_node(root), "KL202")
    assert found.fix is None
    assert found.hint is not None and "the config file sets cgroupDriver to another value" in found.hint
