"""KL710 client-cert-not-rotated and KL711 bootstrap-kubeconfig-leftover: kubeconfigs against the kubelet."""

from __future__ import annotations

from pathlib import Path

from kubelint.diagnostics import Severity
from tests.test_node_support import EXAMPLES, copy_tree, line_of, lint_root, only, write

CONFIG = "var/lib/kubelet/config.yaml"
KUBECONFIG = "etc/kubernetes/kubelet.conf"
BOOTSTRAP = "etc/kubernetes/bootstrap-kubelet.conf"
TOKEN_SECRET = "f395accd246ae52d"


def set_rotation(root: Path, config: str, value: str | None) -> None:
    path = root / config
    text = path.read_text(encoding="utf-8")
    assert "rotateCertificates: true\n" in text
    path.write_text(text.replace("rotateCertificates: true\n", f"rotateCertificates: {value}\n" if value else ""),
                    encoding="utf-8")


def bootstrap_file(user: str) -> str:
    """kubeadm's bootstrap-kubelet.conf with the given ``user:`` body (indented by 4)."""
    text = (EXAMPLES / "kubeadm-node" / BOOTSTRAP).read_text(encoding="utf-8")
    head = text[: text.index("users:")]
    return head + "users:\n- name: tls-bootstrap-token-user\n  user:\n" + user


def test_rotated_certificate_without_rotation(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    set_rotation(root, CONFIG, "false")
    [found] = only(lint_root(root), "KL710")
    assert found.severity is Severity.WARNING
    assert (found.path, found.span.line, found.span.column) == (
        KUBECONFIG, line_of(root, KUBECONFIG, "client-certificate:"), len("    client-certificate: ") + 1)
    assert found.message == (
        "/etc/kubernetes/kubelet.conf authenticates with the rotated client certificate "
        "/var/lib/kubelet/pki/kubelet-client-current.pem, but rotateCertificates is false "
        f"({CONFIG}:{line_of(root, CONFIG, 'rotateCertificates')}): the kubelet never renews it, and the node "
        "drops out of the cluster when it expires")
    [related] = found.related
    assert (related.location.path, related.location.span.line) == (CONFIG, line_of(root, CONFIG, "rotateCertificates"))


def test_the_default_false_counts_too(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    set_rotation(root, CONFIG, None)
    [found] = only(lint_root(root), "KL710")
    assert "rotateCertificates is false (kubelet default for 1.30)" in found.message
    assert found.related == ()


def test_rotation_on_or_an_embedded_certificate_passes(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    assert only(lint_root(root), "KL710") == []
    set_rotation(root, CONFIG, "false")
    text = (root / KUBECONFIG).read_text(encoding="utf-8")
    embedded = text.replace("client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem",
                            "client-certificate: /etc/kubernetes/pki/worker-3.crt")
    write(root, KUBECONFIG, embedded)
    assert only(lint_root(root), "KL710") == []


def test_a_node_still_to_bootstrap(tmp_path: Path) -> None:
    root = copy_tree("binary-docker", tmp_path)
    config = "opt/kubernetes/cfg/kubelet-config.yml"
    assert only(lint_root(root), "KL710") == []
    set_rotation(root, config, "false")
    [found] = only(lint_root(root), "KL710")
    env = "opt/kubernetes/cfg/kubelet.conf"
    assert (found.path, found.span.line) == (env, line_of(root, env, "--bootstrap-kubeconfig"))
    assert "write a kubeconfig that names /opt/kubernetes/ssl/kubelet-client-current.pem" in found.message


def test_bootstrap_token_left_next_to_kubelet_conf(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    write(root, BOOTSTRAP, bootstrap_file(f"    token: 07401b.{TOKEN_SECRET}\n"))
    [found] = only(lint_root(root), "KL711")
    assert found.severity is Severity.INFO
    assert (found.path, found.span.line, found.span.column) == (BOOTSTRAP, line_of(root, BOOTSTRAP, "token:"), 12)
    assert "still holds bootstrap token 07401b.****************" in found.message
    assert TOKEN_SECRET not in found.message + (found.hint or "")
    assert found.hint == ("delete /etc/kubernetes/bootstrap-kubelet.conf (kubeadm does after the TLS bootstrap), "
                          "then revoke the token with kubeadm token delete 07401b")
    paths = [r.location.path for r in found.related]
    assert paths == [KUBECONFIG, "etc/systemd/system/kubelet.service.d/10-kubeadm.conf"]


def test_a_client_certificate_in_the_leftover_is_a_warning(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    write(root, BOOTSTRAP, bootstrap_file("    client-certificate: /etc/kubernetes/pki/bootstrap.crt\n"
                                          "    client-key: /etc/kubernetes/pki/bootstrap.key\n"))
    [found] = only(lint_root(root), "KL711")
    assert found.severity is Severity.WARNING
    assert found.span.line == line_of(root, BOOTSTRAP, "client-certificate:")
    assert "a long-lived credential" in found.message


def test_no_leftover_without_a_working_kubeconfig(tmp_path: Path) -> None:
    root = copy_tree("kubeadm-deb", tmp_path)
    assert only(lint_root(root), "KL711") == []  # no bootstrap file at all
    # before the bootstrap: only the bootstrap kubeconfig exists, which is how it should be
    assert only(lint_root(copy_tree("binary-docker", tmp_path)), "KL711") == []
