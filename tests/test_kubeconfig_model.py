"""The kubeconfig model: decoding like client-go, resolution, base64, PEM sniffing, roles."""

from __future__ import annotations

import base64

import pytest
import yaml

from kubelint.models.kubeconfig import (
    Base64Error,
    decode_base64,
    decode_kubeconfig,
    describe_pem_content,
    effective_role,
    guess_role,
    has_certificate,
    has_private_key,
    is_der_sequence,
    pem_blocks,
    resolve_reference,
    unknown_keys,
)
from tests.test_kubeconfig_material import (
    BINARY_BOOTSTRAP_KUBECONFIG,
    CA_DATA,
    CA_PEM,
    CLIENT_KEY_PEM,
    KUBEADM_KUBELET_CONF,
)


def test_kubeadm_kubelet_conf_decodes_without_problems_and_resolves_its_context() -> None:
    result = decode_kubeconfig(yaml.safe_load(KUBEADM_KUBELET_CONF))
    assert result.problems == ()
    chosen = result.config.current()
    assert chosen.context is not None and chosen.context.name == "system:node:worker-1@kubernetes"
    assert chosen.cluster is not None and chosen.cluster.value.server == "https://10.0.0.10:6443"
    assert chosen.cluster.value.certificate_authority_data == CA_PEM
    assert chosen.user is not None
    assert chosen.user.value.client_key == "/var/lib/kubelet/pki/kubelet-client-current.pem"
    assert chosen.user.path("client-key") == ("users", 0, "user", "client-key")


def test_dangling_references_resolve_to_nothing() -> None:
    data = yaml.safe_load(BINARY_BOOTSTRAP_KUBECONFIG.replace("user: kubelet-bootstrap", "user: kubelet"))
    chosen = decode_kubeconfig(data).config.current()
    assert chosen.context is not None and chosen.cluster is not None
    assert chosen.user is None


def test_unknown_current_context_selects_nothing() -> None:
    data = yaml.safe_load(BINARY_BOOTSTRAP_KUBECONFIG.replace("current-context: default", "current-context: other"))
    chosen = decode_kubeconfig(data).config.current()
    assert (chosen.context_name, chosen.context, chosen.cluster, chosen.user) == ("other", None, None, None)


def test_type_errors_are_reported_with_key_paths_and_dropped() -> None:
    data = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "kubernetes", "cluster": {"server": "https://10.0.0.10:6443",
                                                        "insecure-skip-tls-verify": "true"}}],
        "users": [{"name": "kubelet", "user": {"token": 1234567890, "as-groups": ["ok", 7]}}],
        "current-context": "default",
    }
    result = decode_kubeconfig(data)
    assert [problem.path for problem in result.problems] == [
        ("clusters", 0, "cluster", "insecure-skip-tls-verify"),
        ("users", 0, "user", "token"),
        ("users", 0, "user", "as-groups", 1),
    ]
    assert "must be a boolean (true or false), found a string" in result.problems[0].message
    assert "1234567890" not in result.problems[1].message  # values are never quoted (they may be secrets)
    # the rest of the file still decodes
    assert result.config.named_clusters()[0].value.server == "https://10.0.0.10:6443"
    assert result.config.named_users()[0].value.impersonate_groups == ["ok"]


def test_bad_base64_is_a_decode_problem_at_the_field() -> None:
    pem_text = CA_PEM.decode()
    data = {"clusters": [{"name": "k", "cluster": {"certificate-authority-data": pem_text}}]}
    (problem,) = decode_kubeconfig(data).problems
    assert problem.path == ("clusters", 0, "cluster", "certificate-authority-data")
    assert "illegal base64 data at input byte 0" in problem.message


def test_a_struct_of_the_wrong_type_keeps_later_indexes() -> None:
    data = {"clusters": ["kubernetes", {"name": "b", "cluster": {"server": "https://b:6443"}}]}
    result = decode_kubeconfig(data)
    assert [problem.path for problem in result.problems] == [("clusters", 0)]
    assert [entry.name for entry in result.config.named_clusters()] == ["", "b"]


def test_null_entries_decode_as_empty_structs_like_go() -> None:
    result = decode_kubeconfig({"clusters": [None], "users": [{"name": "u", "user": None}]})
    assert result.problems == ()
    assert result.config.named_clusters()[0].value.is_empty()


def test_wrong_api_version_and_kind() -> None:
    result = decode_kubeconfig({"apiVersion": "v2", "kind": "KubeConfig", "clusters": []})
    assert [problem.path for problem in result.problems] == [("apiVersion",), ("kind",)]


def test_kebab_keys_only_by_alias() -> None:
    # client-go matches keys case-sensitively; the Python attribute name is not a key
    result = decode_kubeconfig({"clusters": [{"name": "k", "cluster": {"insecure_skip_tls_verify": True}}]})
    assert result.config.named_clusters()[0].value.insecure_skip_tls_verify is None
    assert [path for path, _ in unknown_keys({"clusters": [{"cluster": {"insecure_skip_tls_verify": True}}]})] == [
        ("clusters", 0, "cluster", "insecure_skip_tls_verify")
    ]


def test_unknown_keys_skip_maps_and_extensions() -> None:
    data = {
        "users": [{"name": "u", "user": {"token-file": "/t", "as-user-extra": {"scopes": ["a"]},
                                         "auth-provider": {"name": "oidc", "config": {"id-token": "x"}},
                                         "exec": {"command": "c", "env": [{"name": "A", "valeu": "1"}]}}}],
        "extensions": [{"name": "e", "extension": {"anything": 1}}],
    }
    assert [path for path, _ in unknown_keys(data)] == [
        ("users", 0, "user", "token-file"),
        ("users", 0, "user", "exec", "env", 0, "valeu"),
    ]


def test_exec_interactive_mode_defaulting() -> None:
    data = {"users": [
        {"name": "v1", "user": {"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": "c"}}},
        {"name": "beta", "user": {"exec": {"apiVersion": "client.authentication.k8s.io/v1beta1", "command": "c"}}},
    ]}
    modes = []
    for entry in decode_kubeconfig(data).config.named_users():
        assert entry.value.exec is not None
        modes.append(entry.value.exec.effective_interactive_mode())
    assert modes == ["", "IfAvailable"]


@pytest.mark.parametrize(
    ("text", "offset"),
    [("LS0t!", 4), ("LS0tLS1", 7), ("LS0=LS0t", 4), ("L===", 1), ("LS=x", 2), ("LS=", 3), ("-----BEGIN", 0), ("LS 0t", 2)],
)
def test_base64_errors_name_the_offending_byte(text: str, offset: int) -> None:
    with pytest.raises(Base64Error) as raised:
        decode_base64(text)
    assert raised.value.offset == offset


def test_base64_skips_line_breaks_like_go() -> None:
    wrapped = "\n".join(CA_DATA[i:i + 76] for i in range(0, len(CA_DATA), 76))
    assert decode_base64(wrapped) == CA_PEM


def test_pem_sniffing_tells_certificates_from_keys() -> None:
    assert has_certificate(CA_PEM) and not has_private_key(CA_PEM)
    assert has_private_key(CLIENT_KEY_PEM) and not has_certificate(CLIENT_KEY_PEM)
    combined = CA_PEM + CLIENT_KEY_PEM  # like kubelet-client-current.pem
    assert has_certificate(combined) and has_private_key(combined)
    assert [block.type for block in pem_blocks(combined)] == ["CERTIFICATE", "EC PRIVATE KEY"]


def test_pem_sniffing_rejects_truncated_der_and_describes_content() -> None:
    truncated = CA_PEM.replace(CA_PEM.splitlines()[2], b"")
    assert not has_certificate(truncated)
    assert not is_der_sequence(b"\x30\x82\x01\x00\x00")
    assert describe_pem_content(b"\x30\x82\x01\x80") == "no PEM block"
    assert describe_pem_content(base64.b64encode(CA_PEM)).startswith("base64 text again")
    assert describe_pem_content(CLIENT_KEY_PEM) == "PEM blocks of type EC PRIVATE KEY"


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("etc/kubernetes/bootstrap-kubelet.conf", "bootstrap"),
        ("/opt/kubernetes/cfg/bootstrap.kubeconfig", "bootstrap"),
        ("etc/kubernetes/kubelet.conf", "kubeconfig"),
        ("/opt/kubernetes/cfg/kubelet.kubeconfig", "kubeconfig"),
        ("node/var/lib/kubelet/kubeconfig", "kubeconfig"),
        ("examples/files/bootstrap-binary-bad.kubeconfig", "bootstrap"),
        ("etc/kubernetes/kubelet-bootstrap.kubeconfig", "bootstrap"),
        ("examples/files/kubeconfig-kubelet-clean.conf", "kubeconfig"),
        ("/root/.kube/config", None),
        ("etc/kubernetes/kube-proxy.kubeconfig", None),
        ("etc/kubernetes/admin.conf", None),
    ],
)
def test_role_is_guessed_from_the_file_name(path: str, role: str | None) -> None:
    assert guess_role(path) == role


def test_given_role_wins_over_the_file_name() -> None:
    assert effective_role("bootstrap", "etc/kubernetes/kubelet.conf") == "bootstrap"
    assert effective_role(None, "etc/kubernetes/kubelet.conf") == "kubeconfig"


def test_relative_references_resolve_against_the_kubeconfig_directory() -> None:
    assert resolve_reference("pki/ca.crt", "/etc/kubernetes/kubelet.conf") == "/etc/kubernetes/pki/ca.crt"
    assert resolve_reference("/var/lib/kubelet/pki/x.pem", "etc/kubernetes/kubelet.conf") == "/var/lib/kubelet/pki/x.pem"
