"""The node examples under examples/: each layout shows the cross-file rules it was written for.

kubeadm-node (deb), kubeadm-rpm-node (rpm paths, CRI-O, --config-dir),
eks-node (flags in the unit, JSON config, containerd 2 config), the loose
files of an Ansible role, and a /configz dump.
"""

from __future__ import annotations

from pathlib import Path

from kubelint.analysis import Options
from kubelint.diagnostics import Diagnostic, Severity
from kubelint.discover import FileKind, classify
from kubelint.engine import Selection
from kubelint.scan import scan
from tests.test_node_support import EXAMPLES, line_of, lint_root, node_of, only, version


def check(path: Path, target: str) -> list[Diagnostic]:
    """What ``kubelint check PATH`` reports, paths made relative to ``path``."""
    report = scan([path], Options(version=version(target), selection=Selection()), 1, progress=False)
    found = []
    for result in report.files:
        for diagnostic in result.diagnostics:
            found.append(diagnostic)
    return found


def relative(diagnostic: Diagnostic, base: Path) -> str:
    return diagnostic.path.split(base.name + "/", 1)[-1]


def test_ansible_role_files_flag_and_runtime_disagree() -> None:
    base = EXAMPLES / "ansible-role-files"
    found = check(base, "1.30")
    [override] = only(found, "KL709")
    assert (relative(override, base), override.span.line) == ("kubeadm-flags.env", 1)
    assert override.message.startswith("--cgroup-driver=cgroupfs overrides cgroupDriver: systemd set in ")
    assert override.related[0].location.path.endswith("ansible-role-files/config.yaml")
    [mismatch] = only(found, "KL601")
    assert mismatch.severity is Severity.ERROR
    assert mismatch.related[0].location.path.endswith("ansible-role-files/config.toml")
    assert mismatch.related[0].location.span.line == line_of(base, "config.toml", "SystemdCgroup")


def test_configz_dump_is_linted_as_a_kubelet_configuration() -> None:
    path = EXAMPLES / "configz" / "node-a.json"
    assert classify(path.read_text(encoding="utf-8"), str(path)) is FileKind.CONFIGZ
    found = check(path, "1.30")
    assert only(found, "KL009") == []  # /configz carries no apiVersion/kind
    [port] = only(found, "KL405")
    assert (port.span.line, port.span.column) == (line_of(path.parent, "node-a.json", '"readOnlyPort"'), 21)
    [stream] = only(found, "KL406")
    assert stream.span.line == line_of(path.parent, "node-a.json", '"streamingConnectionIdleTimeout"')


def test_kubeadm_deb_node() -> None:
    found = lint_root(EXAMPLES / "kubeadm-node", "1.30")
    assert [d.path for d in only(found, "KL709")] == ["var/lib/kubelet/kubeadm-flags.env"]
    assert [d.severity for d in only(found, "KL601")] == [Severity.ERROR]
    assert [d.path for d in only(found, "KL711")] == ["etc/kubernetes/bootstrap-kubelet.conf"]


def test_kubeadm_rpm_node_by_version() -> None:
    base = EXAMPLES / "kubeadm-rpm-node"
    node = node_of(base, "1.29")
    assert node.service is not None and node.service.unit is not None
    assert node.service.unit.path == "usr/lib/systemd/system/kubelet.service"
    assert "KUBELET_EXTRA_ARGS" in node.service.environment
    assert node.view.get("maxPods") == 150
    assert node.view.get("systemReserved") is not None
    before = lint_root(base, "1.29")
    assert {d.code for d in before} >= {"KL601", "KL709", "KL710", "KL712", "KL713"}
    assert [d.severity for d in only(before, "KL601")] == [Severity.ERROR]
    assert only(before, "KL602") == []  # a mismatch is KL601's
    after = lint_root(base, "1.31")
    assert only(after, "KL712") == []
    assert [d.severity for d in only(after, "KL601")] == [Severity.WARNING]  # CRI-O's driver is in force
    [advice] = only(after, "KL602")
    assert advice.path == "etc/crio/crio.conf.d/10-cgroupfs.conf"


def test_eks_node_reads_flags_from_the_unit_and_a_json_config() -> None:
    base = EXAMPLES / "eks-node"
    node = node_of(base, "1.33")
    assert node.config is not None and node.config.display == "etc/kubernetes/kubelet/kubelet-config.json"
    location = node.view.origin("cgroupDriver").location
    assert location is not None
    assert location.span.line == line_of(base, "etc/kubernetes/kubelet/kubelet-config.json", '"cgroupDriver"')
    assert node.runtime is not None and node.runtime.config_version == 3
    found = lint_root(base, "1.33")
    assert only(found, "KL601") == [] and only(found, "KL602") == []
    [override] = only(found, "KL709")
    assert override.path == "etc/systemd/system/kubelet.service.d/30-kubelet-extra-args.conf"
    assert override.message.startswith("--max-pods=58 overrides maxPods: 110 set in "
                                       "etc/kubernetes/kubelet/kubelet-config.json:")
