"""Credential and TLS-bootstrap rules (KL530-KL535), and secrets never reaching output."""

from __future__ import annotations

from kubelint.diagnostics import Applicability, Diagnostic, YamlEdit
from kubelint.rules.kubeconfig._support import shown_token, token_kind
from tests.test_kubeconfig_material import (
    BINARY_BOOTSTRAP_KUBECONFIG,
    BOOTSTRAP_TOKEN,
    CA_DATA,
    CLIENT_CERT_DATA,
    CLIENT_KEY_DATA,
    KUBEADM_BOOTSTRAP_CONF,
    KUBEADM_KUBELET_CONF,
    STATIC_TOKEN,
)
from tests.test_kubeconfig_rules import BOOTSTRAP_CONF, KUBELET_CONF, SERVER_LINE, at, run, single

BINARY_BOOTSTRAP = "opt/kubernetes/cfg/bootstrap.kubeconfig"
CA_LINE = f"    certificate-authority-data: {CA_DATA}\n"
KUBELET_CERT_LINES = (
    "    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem\n"
    "    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem\n"
)


# --- KL530 insecure-skip-tls-verify ---------------------------------------------------------------

def test_insecure_without_ca_is_a_warning_without_fix() -> None:
    text = BINARY_BOOTSTRAP_KUBECONFIG.replace(CA_LINE, "    insecure-skip-tls-verify: true\n")
    diagnostic = single(run(text, BINARY_BOOTSTRAP), "KL530")
    assert (diagnostic.name, diagnostic.severity.label, at(diagnostic)) == ("insecure-skip-tls-verify", "warning", (4, 5))
    assert "receive the bootstrap token" in diagnostic.message and diagnostic.fix is None


def test_insecure_with_ca_is_an_error_with_an_unsafe_fix() -> None:
    text = KUBEADM_KUBELET_CONF.replace(SERVER_LINE, SERVER_LINE + "    insecure-skip-tls-verify: true\n")
    diagnostic = single(run(text), "KL530")
    assert (diagnostic.severity.label, at(diagnostic)) == ("error", (6, 5))
    assert "specifying a root certificates file with the insecure flag is not allowed" in diagnostic.message
    assert diagnostic.related[0].location.span.line == 4
    assert diagnostic.fix is not None and diagnostic.fix.applicability is Applicability.UNSAFE
    assert diagnostic.fix.edits == (YamlEdit(KUBELET_CONF, 0, ("clusters", 0, "cluster", "insecure-skip-tls-verify"),
                                             "delete"),)


def test_insecure_false_is_fine() -> None:
    text = KUBEADM_KUBELET_CONF.replace(SERVER_LINE, SERVER_LINE + "    insecure-skip-tls-verify: false\n")
    assert run(text) == []


# --- KL531 server-not-https ------------------------------------------------------------------

def test_plain_http_server() -> None:
    text = KUBEADM_KUBELET_CONF.replace("https://10.0.0.10:6443", "http://10.0.0.10:8080")
    diagnostic = single(run(text), "KL531")
    assert (diagnostic.name, diagnostic.severity.label, at(diagnostic)) == ("server-not-https", "warning", (5, 13))
    assert "sends no client certificate or token" in diagnostic.message and diagnostic.fix is None


def test_server_without_scheme_gets_https_prepended() -> None:
    text = BINARY_BOOTSTRAP_KUBECONFIG.replace("https://192.168.31.71:6443", "192.168.31.71:6443")
    diagnostic = single(run(text, BINARY_BOOTSTRAP), "KL531")
    assert at(diagnostic) == (5, 13) and "reads it as http://" in diagnostic.message
    assert diagnostic.fix is not None and diagnostic.fix.edits == (
        YamlEdit(BINARY_BOOTSTRAP, 0, ("clusters", 0, "cluster", "server"), "set", "https://192.168.31.71:6443"),)


# --- KL532 cluster-ca-missing ------------------------------------------------------------------

def test_https_cluster_without_ca() -> None:
    text = KUBEADM_KUBELET_CONF.replace(CA_LINE, "")
    diagnostic = single(run(text), "KL532")
    assert (diagnostic.name, diagnostic.severity.label, at(diagnostic)) == ("cluster-ca-missing", "warning", (4, 13))
    assert "certificate signed by unknown authority" in diagnostic.message
    with_file = KUBEADM_KUBELET_CONF.replace(CA_LINE, "    certificate-authority: /etc/kubernetes/pki/ca.crt\n")
    assert run(with_file) == []


# --- KL533 kubelet-static-credential -------------------------------------------------------------

def test_bootstrap_token_left_in_kubelet_conf() -> None:
    text = KUBEADM_KUBELET_CONF.replace(KUBELET_CERT_LINES, f"    token: {BOOTSTRAP_TOKEN}\n")
    diagnostic = single(run(text), "KL533")
    assert (diagnostic.name, diagnostic.severity.label, at(diagnostic)) == ("kubelet-static-credential", "warning", (18, 5))
    assert "bootstrap token 07401b.****************" in diagnostic.message
    assert "system:bootstrappers" in diagnostic.message
    assert diagnostic.hint is not None and "kubelet-client-current.pem" in diagnostic.hint


def test_basic_auth_in_the_kubelet_kubeconfig_given_by_role() -> None:
    text = KUBEADM_KUBELET_CONF.replace(KUBELET_CERT_LINES, "    username: kubelet\n    password: s3cr3t-Passw0rd\n")
    diagnostic = single(run(text, "etc/kubernetes/node.kubeconfig", role="kubeconfig"), "KL533")
    assert at(diagnostic) == (19, 5) and "password ********" in diagnostic.message
    # the same file with no role (name says nothing) is not the kubelet's
    assert [d.code for d in run(text, "etc/kubernetes/node.kubeconfig")] == []


def test_kubelet_conf_with_rotated_certificate_passes() -> None:
    assert [d for d in run(KUBEADM_KUBELET_CONF, role="kubeconfig") if d.code == "KL533"] == []


def test_token_in_a_bootstrap_kubeconfig_is_not_a_kubelet_credential_finding() -> None:
    assert [d.code for d in run(KUBEADM_BOOTSTRAP_CONF, BOOTSTRAP_CONF)] == []


# --- KL534 bootstrap-token-format --------------------------------------------------------------

def test_binary_install_static_token_in_bootstrap_kubeconfig() -> None:
    diagnostic = single(run(BINARY_BOOTSTRAP_KUBECONFIG, BINARY_BOOTSTRAP), "KL534")
    assert (diagnostic.name, diagnostic.severity.label, at(diagnostic)) == ("bootstrap-token-format", "warning", (18, 5))
    assert "static token (like a --token-auth-file token.csv entry) ********" in diagnostic.message


def test_bootstrap_token_format_follows_the_given_role() -> None:
    assert [d.code for d in run(BINARY_BOOTSTRAP_KUBECONFIG, "etc/kubernetes/join.conf", role="bootstrap")] == ["KL534"]
    assert [d.code for d in run(BINARY_BOOTSTRAP_KUBECONFIG, "etc/kubernetes/join.conf")] == []


def test_token_kinds() -> None:
    assert token_kind("07401b.f395accd246ae52d") == "bootstrap token"
    assert token_kind("07401B.F395ACCD246AE52D").startswith("bootstrap-token-like")
    assert token_kind("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2ln").startswith("JWT")
    assert shown_token(STATIC_TOKEN) == "static token (like a --token-auth-file token.csv entry) " + "*" * 24


# --- KL535 bootstrap-client-certificate -----------------------------------------------------------

def test_bootstrap_kubeconfig_with_an_embedded_client_certificate() -> None:
    text = KUBEADM_BOOTSTRAP_CONF.replace(
        f"    token: {BOOTSTRAP_TOKEN}\n",
        f"    client-certificate-data: {CLIENT_CERT_DATA}\n    client-key-data: {CLIENT_KEY_DATA}\n")
    diagnostic = single(run(text, BOOTSTRAP_CONF), "KL535")
    assert (diagnostic.name, diagnostic.severity.label, at(diagnostic)) == ("bootstrap-client-certificate", "warning", (18, 5))
    assert "embedded client certificate and key" in diagnostic.message
    assert [d.code for d in run(text, KUBELET_CONF)] == []  # in kubelet.conf that is how it should be


# --- secrets never reach output ---------------------------------------------------------------

PASSWORD = "s3cr3t-Passw0rd"
JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6a3ViZS1zeXN0ZW06eCJ9.c2lnbmF0dXJl"
LEAKY = f"""\
apiVersion: v1
clusters:
- name: kubernetes
  cluster:
    server: 10.0.0.10:6443
    proxy-url: socks5h://proxyuser:{PASSWORD}@10.0.0.2:1080
    insecure-skip-tls-verify: true
    certificate-authority-data: {CLIENT_KEY_DATA}
contexts:
- name: default
  context:
    cluster: kubernetes
    user: kubelet-bootstrap
current-context: default
kind: Config
users:
- name: kubelet-bootstrap
  user:
    token: {STATIC_TOKEN}
    username: kubelet
    password: {PASSWORD}
    client-certificate-data: {CLIENT_KEY_DATA}
    client-key-data: {CLIENT_KEY_DATA}
    client-key: /etc/kubernetes/pki/kubelet.key
- name: kubelet-bootstrap
  user:
    token: {BOOTSTRAP_TOKEN}
- name: sa
  user:
    token: {JWT}
    tokenFile: /var/run/secrets/token
- name: numeric
  user:
    password: 123456789
"""


def _texts(diagnostic: Diagnostic) -> list[str]:
    texts = [diagnostic.message, diagnostic.hint or ""]
    texts += [related.message for related in diagnostic.related]
    if diagnostic.fix is not None:
        texts.append(diagnostic.fix.description)
        for edit in diagnostic.fix.edits:
            texts.append(repr(edit))
    return texts


def test_no_secret_appears_in_any_message_hint_or_fix() -> None:
    secrets = [STATIC_TOKEN, BOOTSTRAP_TOKEN, BOOTSTRAP_TOKEN.split(".")[1], PASSWORD, JWT, "123456789",
               CLIENT_KEY_DATA[:40], CLIENT_KEY_DATA[-40:]]
    findings = []
    for role in ("kubeconfig", "bootstrap", None):
        findings += run(LEAKY, "etc/kubernetes/some.conf", role=role, existing=frozenset())
    codes = {d.code for d in findings}
    # the file trips most rules, so the check covers their wording
    assert {"KL501", "KL503", "KL512", "KL514", "KL515", "KL517", "KL523", "KL524", "KL530", "KL531",
            "KL533", "KL534", "KL535"} <= codes, sorted(codes)
    for diagnostic in findings:
        for text in _texts(diagnostic):
            for secret in secrets:
                assert secret not in text, (diagnostic.code, text)
