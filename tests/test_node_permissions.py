"""KL715 file-permissions and KL716 file-owner: modes and owners of the files the kubelet really uses.

Trees are copied to tmp_path and given the modes a CIS-compliant node has
(git keeps no modes), then one thing is loosened per test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kubelint.diagnostics import Severity
from tests.test_node_support import copy_tree, lint_root, only

PRIVATE = (
    "lib/systemd/system/kubelet.service",
    "etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
    "var/lib/kubelet/kubeadm-flags.env",
    "etc/default/kubelet",
    "var/lib/kubelet/config.yaml",
    "etc/kubernetes/kubelet.conf",
    "var/lib/kubelet/pki/kubelet-client-current.pem",
)
DROPINS = "etc/kubernetes/kubelet.conf.d"

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="chown needs root")


def hardened(name: str, tmp_path: Path) -> Path:
    root = copy_tree(name, tmp_path)
    for relative in PRIVATE:
        os.chmod(root / relative, 0o600)
    os.chmod(root / "etc/kubernetes/pki/ca.crt", 0o644)
    if (root / DROPINS).is_dir():
        os.chmod(root / DROPINS, 0o755)
        for path in (root / DROPINS).rglob("*.conf"):
            os.chmod(path, 0o644)
    return root


def findings(root: Path, code: str, target: str = "1.31") -> list[tuple[str, int, int, Severity]]:
    return [(d.path, d.span.line, d.span.column, d.severity)
            for d in only(lint_root(root, target, real_root=True), code)]


def test_a_hardened_node_passes(tmp_path: Path) -> None:
    root = hardened("config-dir", tmp_path)
    assert findings(root, "KL715") == []
    assert findings(root, "KL716") == []


def test_kubeconfig_readable_by_others(tmp_path: Path) -> None:
    root = hardened("kubeadm-deb", tmp_path)
    os.chmod(root / "etc/kubernetes/kubelet.conf", 0o644)
    [found] = only(lint_root(root, real_root=True), "KL715")
    assert (found.path, found.span.line, found.span.column, found.severity) == (
        "etc/kubernetes/kubelet.conf", 1, 1, Severity.WARNING)
    assert found.message == ("kubeconfig (--kubeconfig) etc/kubernetes/kubelet.conf has mode 0644, more open than "
                             "0600 (CIS 4.1.5): group and others can read it, and it carries the kubelet's credentials")
    assert found.hint == "chmod 600 /etc/kubernetes/kubelet.conf"
    [related] = found.related
    assert related.location.path == "etc/systemd/system/kubelet.service.d/10-kubeadm.conf"


def test_modes_mean_nothing_outside_a_real_root(tmp_path: Path) -> None:
    root = hardened("kubeadm-deb", tmp_path)
    os.chmod(root / "etc/kubernetes/kubelet.conf", 0o666)
    assert only(lint_root(root, real_root=False), "KL715") == []


def test_the_packaged_unit_mode_fails_cis(tmp_path: Path) -> None:
    root = hardened("kubeadm-deb", tmp_path)
    os.chmod(root / "lib/systemd/system/kubelet.service", 0o644)
    os.chmod(root / "etc/default/kubelet", 0o640)
    assert findings(root, "KL715") == [
        ("etc/default/kubelet", 1, 1, Severity.WARNING),
        ("lib/systemd/system/kubelet.service", 1, 1, Severity.WARNING),
    ]
    [group_only] = [d for d in only(lint_root(root, real_root=True), "KL715") if d.path == "etc/default/kubelet"]
    assert "its group can read it" in group_only.message and "CIS" not in group_only.message


def test_client_ca_may_be_644_but_not_writable(tmp_path: Path) -> None:
    root = hardened("kubeadm-deb", tmp_path)
    os.chmod(root / "etc/kubernetes/pki/ca.crt", 0o664)
    [found] = only(lint_root(root, real_root=True), "KL715")
    assert found.path == "etc/kubernetes/pki/ca.crt"
    assert "more open than 0644 (CIS 4.1.7): its group can write to it" in found.message
    assert found.related[0].location.path == "var/lib/kubelet/config.yaml"


def test_private_key_readable(tmp_path: Path) -> None:
    root = hardened("kubeadm-deb", tmp_path)
    os.chmod(root / "var/lib/kubelet/pki/kubelet-client-current.pem", 0o644)
    [found] = only(lint_root(root, real_root=True), "KL715")
    assert found.path == "var/lib/kubelet/pki/kubelet-client-current.pem"
    assert found.message.startswith("kubelet client key var/lib/kubelet/pki/kubelet-client-current.pem has mode 0644")


def test_a_closed_parent_directory_makes_it_info(tmp_path: Path) -> None:
    root = hardened("kubeadm-deb", tmp_path)
    os.chmod(root / "etc/kubernetes/kubelet.conf", 0o644)
    os.chmod(root / "etc/kubernetes", 0o700)
    [found] = only(lint_root(root, real_root=True), "KL715")
    assert found.severity is Severity.INFO
    assert "its directory etc/kubernetes is 0700, so nobody else can reach it today" in found.message


def test_config_dir_and_its_drop_ins(tmp_path: Path) -> None:
    root = hardened("config-dir", tmp_path)
    os.chmod(root / DROPINS, 0o775)
    os.chmod(root / DROPINS / "20-eviction.conf", 0o666)
    found = only(lint_root(root, "1.31", real_root=True), "KL715")
    assert [(d.path, d.severity) for d in found] == [
        (DROPINS, Severity.WARNING), (f"{DROPINS}/20-eviction.conf", Severity.WARNING)]
    assert "--config-dir directory etc/kubernetes/kubelet.conf.d has mode 0775, more open than 0755 (CIS 4.1.11)" \
        in found[0].message
    assert "others can write to it" in found[1].message


def test_a_symlink_out_of_the_root_is_not_followed(tmp_path: Path) -> None:
    root = hardened("kubeadm-deb", tmp_path)
    outside = tmp_path / "outside.conf"
    outside.write_text((root / "etc/kubernetes/kubelet.conf").read_text(encoding="utf-8"), encoding="utf-8")
    os.chmod(outside, 0o666)
    (root / "etc/kubernetes/kubelet.conf").unlink()
    os.symlink("../../../outside.conf", root / "etc/kubernetes/kubelet.conf")
    assert findings(root, "KL715") == []


@needs_root
def test_config_owned_by_a_user(tmp_path: Path) -> None:
    root = hardened("kubeadm-deb", tmp_path)
    os.chown(root / "var/lib/kubelet/config.yaml", 1000, 1000)
    [found] = only(lint_root(root, real_root=True), "KL716")
    assert (found.path, found.span.line, found.severity) == ("var/lib/kubelet/config.yaml", 1, Severity.WARNING)
    assert found.message.startswith("kubelet config file var/lib/kubelet/config.yaml is owned by 1000:1000, not "
                                    "root:root (CIS 4.1.10)")
    assert found.hint == "chown root:root /var/lib/kubelet/config.yaml"


@needs_root
def test_group_alone_counts(tmp_path: Path) -> None:
    root = hardened("kubeadm-deb", tmp_path)
    os.chown(root / "etc/systemd/system/kubelet.service.d/10-kubeadm.conf", 0, 1000)
    [found] = only(lint_root(root, real_root=True), "KL716")
    assert "is owned by 0:1000, not root:root (CIS 4.1.2)" in found.message
