"""Structural kubeconfig rules (KL501-KL524): what client-go refuses, at the right place."""

from __future__ import annotations

import base64

from kubelint.contexts import KubeconfigContext
from kubelint.diagnostics import Applicability, Diagnostic, YamlEdit
from kubelint.engine import Scope, all_rules, run_rules
from kubelint.loaders.yaml import load_yaml
from tests.helpers import lint_text, only
from tests.test_kubeconfig_material import (
    BINARY_BOOTSTRAP_KUBECONFIG,
    CA_DATA,
    CA_PEM,
    CLIENT_CERT_DATA,
    CLIENT_KEY_DATA,
    KUBEADM_BOOTSTRAP_CONF,
    KUBEADM_KUBELET_CONF,
)

KUBELET_CONF = "etc/kubernetes/kubelet.conf"
BOOTSTRAP_CONF = "etc/kubernetes/bootstrap-kubelet.conf"
SERVER_LINE = "    server: https://10.0.0.10:6443\n"
CLIENT_KEY_LINE = "    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem\n"


def run(text: str, path: str = KUBELET_CONF, *, role: str | None = None,
        existing: frozenset[str] | None = None) -> list[Diagnostic]:
    """Run every KL5 rule on ``text`` as the node view would hand it over."""
    rules = [rule for rule in all_rules() if rule.code.startswith("KL5")]
    contexts = [KubeconfigContext(document, role, (1, 33), existing) for document in load_yaml(text, path).documents]
    return sorted(run_rules(rules, Scope.KUBECONFIG, contexts), key=Diagnostic.sort_key)


def at(diagnostic: Diagnostic) -> tuple[int, int]:
    return diagnostic.span.line, diagnostic.span.column


def single(diagnostics: list[Diagnostic], code: str) -> Diagnostic:
    found = only(diagnostics, code)
    assert len(found) == 1, [(d.code, d.message) for d in diagnostics]
    return found[0]


def with_context(text: str, entry: str) -> str:
    """Add a second, unused context to a kubeadm file."""
    return text.replace("current-context:", entry + "current-context:")


# --- clean files ------------------------------------------------------------------------

def test_kubeadm_files_are_clean() -> None:
    assert run(KUBEADM_KUBELET_CONF) == []
    assert run(KUBEADM_BOOTSTRAP_CONF, BOOTSTRAP_CONF) == []


def test_check_command_runs_the_kubeconfig_rules_on_a_kubeconfig_file() -> None:
    found = lint_text(KUBEADM_KUBELET_CONF.replace("current-context: system", "current-context: admin@system"),
                      KUBELET_CONF, select=("KL5",))
    assert [(d.code, d.severity.label, at(d)) for d in found] == [("KL505", "error", (12, 18))]


# --- KL501 kubeconfig-invalid-value ------------------------------------------------------------

def test_quoted_boolean_is_a_decode_error_at_the_value() -> None:
    text = KUBEADM_KUBELET_CONF.replace(SERVER_LINE, SERVER_LINE + '    insecure-skip-tls-verify: "false"\n')
    diagnostic = single(run(text), "KL501")
    assert (diagnostic.name, diagnostic.severity.label, at(diagnostic)) == ("kubeconfig-invalid-value", "error", (6, 31))
    assert "must be a boolean" in diagnostic.message and diagnostic.hint == "write true or false without quotes"


def test_pem_text_pasted_into_a_data_field_is_bad_base64() -> None:
    pem_block = "".join("      " + line + "\n" for line in CA_PEM.decode().splitlines())
    text = KUBEADM_KUBELET_CONF.replace(f"    certificate-authority-data: {CA_DATA}\n",
                                        "    certificate-authority-data: |\n" + pem_block)
    diagnostic = single(run(text), "KL501")
    assert (diagnostic.severity.label, at(diagnostic)) == ("error", (4, 33))
    assert "illegal base64 data at input byte 0" in diagnostic.message
    assert diagnostic.hint is not None and "PEM text itself" in diagnostic.hint


def test_numeric_token_is_a_decode_error_without_showing_it() -> None:
    text = KUBEADM_BOOTSTRAP_CONF.replace("token: 07401b.f395accd246ae52d", "token: 123456789012")
    diagnostic = single(run(text, BOOTSTRAP_CONF), "KL501")
    assert at(diagnostic) == (18, 12)
    assert "123456789012" not in diagnostic.message


# --- KL502 kubeconfig-unknown-field ---------------------------------------------------------

def test_token_file_in_kebab_case_is_unknown_with_a_safe_rename() -> None:
    text = KUBEADM_BOOTSTRAP_CONF.replace("    token: 07401b.f395accd246ae52d", "    token-file: /var/lib/kubelet/token")
    diagnostic = single(run(text, BOOTSTRAP_CONF), "KL502")
    assert (diagnostic.severity.label, at(diagnostic), diagnostic.span.end_column) == ("warning", (18, 5), 15)
    assert "did you mean 'tokenFile'" in diagnostic.message
    assert diagnostic.fix is not None and diagnostic.fix.applicability is Applicability.SAFE
    edit = diagnostic.fix.edits[0]
    assert isinstance(edit, YamlEdit) and (edit.key_path, edit.op, edit.new_key) == (
        ("users", 0, "user", "token-file"), "rename", "tokenFile")


def test_unknown_field_without_a_near_miss_lists_the_known_ones() -> None:
    text = KUBEADM_KUBELET_CONF.replace(SERVER_LINE, SERVER_LINE + "    namespace: kube-system\n")
    diagnostic = single(run(text), "KL502")
    assert at(diagnostic) == (6, 5) and diagnostic.fix is None
    assert diagnostic.hint is not None and "tls-server-name" in diagnostic.hint


# --- KL503 kubeconfig-duplicate-name ----------------------------------------------------------

def test_duplicate_user_name_points_at_the_second_entry() -> None:
    text = BINARY_BOOTSTRAP_KUBECONFIG + "- name: kubelet-bootstrap\n  user:\n    token: 3f8b2c.8e2f1a7c9d0b4e6f\n"
    diagnostic = single(run(text, "opt/kubernetes/cfg/bootstrap.kubeconfig"), "KL503")
    assert (diagnostic.name, diagnostic.severity.label, at(diagnostic)) == ("kubeconfig-duplicate-name", "error", (19, 9))
    assert diagnostic.related[0].location.span.line == 16
    assert "duplicate name \"kubelet-bootstrap\" in list" in diagnostic.message


# --- KL504 kubeconfig-empty --------------------------------------------------------------

def test_a_kubeconfig_with_nothing_in_it() -> None:
    diagnostic = single(run("apiVersion: v1\nkind: Config\npreferences: {}\n"), "KL504")
    assert (diagnostic.severity.label, at(diagnostic)) == ("error", (2, 1))
    assert "no configuration has been provided" in diagnostic.message


# --- KL505 current-context-not-found ---------------------------------------------------------

def test_current_context_naming_no_context_offers_the_only_one() -> None:
    text = BINARY_BOOTSTRAP_KUBECONFIG.replace("current-context: default", "current-context: kubernetes")
    diagnostic = single(run(text, "bootstrap.kubeconfig"), "KL505")
    assert (diagnostic.name, diagnostic.severity.label, at(diagnostic)) == ("current-context-not-found", "error", (12, 18))
    assert "context was not found for specified context: kubernetes" in diagnostic.message
    assert diagnostic.fix is not None and diagnostic.fix.applicability is Applicability.UNSAFE
    edit = diagnostic.fix.edits[0]
    assert isinstance(edit, YamlEdit) and (edit.key_path, edit.value) == (("current-context",), "default")


# --- KL506 current-context-unset -----------------------------------------------------------

def test_missing_use_context_step_leaves_current_context_unset() -> None:
    text = BINARY_BOOTSTRAP_KUBECONFIG.replace("current-context: default\n", "")
    diagnostic = single(run(text, "bootstrap.kubeconfig"), "KL506")
    assert (diagnostic.severity.label, at(diagnostic)) == ("error", (12, 1))  # the kind key
    assert diagnostic.fix is not None and diagnostic.fix.edits[0] == YamlEdit(
        "bootstrap.kubeconfig", 0, ("current-context",), "set", "default")


def test_empty_current_context_is_reported_at_its_key() -> None:
    text = BINARY_BOOTSTRAP_KUBECONFIG.replace("current-context: default", 'current-context: ""')
    assert at(single(run(text, "bootstrap.kubeconfig"), "KL506")) == (12, 1)


# --- KL507 context-name-empty ------------------------------------------------------------

def test_context_without_name() -> None:
    text = with_context(KUBEADM_KUBELET_CONF, "- context:\n    cluster: kubernetes\n    user: system:node:worker-1\n")
    diagnostic = single(run(text), "KL507")
    assert (diagnostic.severity.label, at(diagnostic)) == ("warning", (12, 3))  # its context: key
    assert "empty context name" in diagnostic.message


# --- KL508 context-user-not-found / KL509 context-cluster-not-found ----------------------------------

def test_context_in_use_naming_a_missing_user_is_an_error() -> None:
    text = KUBEADM_KUBELET_CONF.replace("    user: system:node:worker-1\n", "    user: default-auth\n")
    diagnostic = single(run(text), "KL508")
    assert (diagnostic.name, diagnostic.severity.label, at(diagnostic)) == ("context-user-not-found", "error", (10, 11))
    assert "user \"default-auth\" was not found for context" in diagnostic.message
    assert "without credentials" in diagnostic.message
    assert diagnostic.fix is not None and diagnostic.fix.edits[0] == YamlEdit(
        KUBELET_CONF, 0, ("contexts", 0, "context", "user"), "set", "system:node:worker-1")


def test_unused_context_with_a_missing_user_is_a_warning() -> None:
    text = with_context(KUBEADM_KUBELET_CONF, "- context:\n    cluster: kubernetes\n  name: spare\n")
    diagnostic = single(run(text), "KL508")
    assert (diagnostic.severity.label, at(diagnostic)) == ("warning", (14, 9))  # its name
    assert "user was not specified for context \"spare\"" in diagnostic.message
    assert "not used by current-context" in diagnostic.message


def test_context_naming_a_missing_cluster() -> None:
    text = KUBEADM_KUBELET_CONF.replace("    cluster: kubernetes\n", "    cluster: default-cluster\n")
    diagnostic = single(run(text), "KL509")
    assert (diagnostic.severity.label, at(diagnostic)) == ("error", (9, 14))
    assert "cluster \"default-cluster\" was not found for context" in diagnostic.message
    assert run(KUBEADM_KUBELET_CONF) == []


# --- KL510 context-namespace-invalid ---------------------------------------------------------

def test_namespace_must_be_a_dns_label() -> None:
    text = KUBEADM_KUBELET_CONF.replace("    user: system:node:worker-1\n",
                                        "    user: system:node:worker-1\n    namespace: Kube_System\n")
    diagnostic = single(run(text), "KL510")
    assert (diagnostic.severity.label, at(diagnostic)) == ("warning", (11, 16))
    good = KUBEADM_KUBELET_CONF.replace("    user: system:node:worker-1\n",
                                        "    user: system:node:worker-1\n    namespace: kube-system\n")
    assert only(run(good), "KL510") == []


# --- KL511 cluster-server-missing ---------------------------------------------------------

def test_cluster_without_server() -> None:
    diagnostic = single(run(KUBEADM_KUBELET_CONF.replace(SERVER_LINE, "")), "KL511")
    assert (diagnostic.name, diagnostic.severity.label, at(diagnostic)) == ("cluster-server-missing", "error", (5, 9))
    assert "no server found for cluster \"kubernetes\"" in diagnostic.message


def test_completely_empty_cluster() -> None:
    text = KUBEADM_KUBELET_CONF.replace(f"    certificate-authority-data: {CA_DATA}\n", "").replace(SERVER_LINE, "")
    text = text.replace("- cluster:\n", "- cluster: {}\n")
    diagnostic = single(run(text), "KL511")
    assert "cluster has no server defined" in diagnostic.message and at(diagnostic) == (4, 9)


# --- KL512 cluster-proxy-url-invalid -----------------------------------------------------------

def test_proxy_url_scheme_must_be_http_https_or_socks5() -> None:
    bad = KUBEADM_KUBELET_CONF.replace(SERVER_LINE, SERVER_LINE + "    proxy-url: socks5h://proxy:pa55@10.0.0.2:1080\n")
    diagnostic = single(run(bad), "KL512")
    assert (diagnostic.severity.label, at(diagnostic)) == ("error", (6, 16))
    assert "unsupported scheme \"socks5h\"" in diagnostic.message and "pa55" not in diagnostic.message
    good = KUBEADM_KUBELET_CONF.replace(SERVER_LINE, SERVER_LINE + "    proxy-url: socks5://10.0.0.2:1080\n")
    assert only(run(good), "KL512") == []


def test_proxy_url_with_a_bad_port() -> None:
    text = KUBEADM_KUBELET_CONF.replace(SERVER_LINE, SERVER_LINE + "    proxy-url: http://proxy.corp:31 28\n")
    assert "invalid port" in single(run(text), "KL512").message


# --- KL513 cluster-ca-conflict ------------------------------------------------------------

def test_ca_file_and_data_together() -> None:
    text = KUBEADM_KUBELET_CONF.replace(SERVER_LINE, SERVER_LINE + "    certificate-authority: /etc/kubernetes/pki/ca.crt\n")
    diagnostic = single(run(text), "KL513")
    assert (diagnostic.severity.label, at(diagnostic)) == ("error", (6, 5))
    assert diagnostic.related[0].location.span.line == 4
    assert diagnostic.fix is not None and diagnostic.fix.edits[0] == YamlEdit(
        KUBELET_CONF, 0, ("clusters", 0, "cluster", "certificate-authority"), "delete")


# --- KL514 referenced-file-missing ----------------------------------------------------------

def test_missing_client_certificate_file_on_a_node() -> None:
    pem = "/var/lib/kubelet/pki/kubelet-client-current.pem"
    found = only(run(KUBEADM_KUBELET_CONF, existing=frozenset({"/etc/kubernetes/pki/ca.crt"})), "KL514")
    assert [(d.severity.label, at(d)) for d in found] == [("error", (18, 25)), ("error", (19, 17))]
    assert f"unable to read client-cert {pem}" in found[0].message
    assert only(run(KUBEADM_KUBELET_CONF, existing=frozenset({pem})), "KL514") == []
    assert only(run(KUBEADM_KUBELET_CONF), "KL514") == []  # a lone file: unknown, not missing


def test_relative_ca_path_is_resolved_against_the_kubeconfig_directory() -> None:
    text = KUBEADM_KUBELET_CONF.replace(f"certificate-authority-data: {CA_DATA}", "certificate-authority: pki/ca.crt")
    present = frozenset({"/var/lib/kubelet/pki/kubelet-client-current.pem", "etc/kubernetes/pki/ca.crt"})
    assert only(run(text, existing=present), "KL514") == []
    diagnostic = single(run(text, existing=frozenset({"/var/lib/kubelet/pki/kubelet-client-current.pem"})), "KL514")
    assert at(diagnostic) == (4, 28) and "resolved to etc/kubernetes/pki/ca.crt" in diagnostic.message


# --- KL515 user-auth-conflict ------------------------------------------------------------

def test_token_and_basic_auth_together() -> None:
    text = KUBEADM_BOOTSTRAP_CONF + "    username: kubelet\n    password: s3cr3t-Passw0rd\n"
    diagnostic = single(run(text, "etc/kubernetes/some.conf"), "KL515")
    assert (diagnostic.severity.label, at(diagnostic)) == ("error", (19, 5))
    assert "found [token basicAuth], only one is allowed" in diagnostic.message
    assert only(run(KUBEADM_BOOTSTRAP_CONF, BOOTSTRAP_CONF), "KL515") == []


# --- KL516 client-certificate-conflict / KL517 client-key-conflict / KL518 client-key-missing -----------

def test_client_certificate_file_and_data_together() -> None:
    text = KUBEADM_KUBELET_CONF.replace(CLIENT_KEY_LINE, f"    client-certificate-data: {CLIENT_CERT_DATA}\n" + CLIENT_KEY_LINE)
    diagnostic = single(run(text), "KL516")
    assert (diagnostic.name, diagnostic.severity.label, at(diagnostic)) == ("client-certificate-conflict", "error", (19, 5))
    assert diagnostic.fix is not None and diagnostic.fix.edits[0] == YamlEdit(
        KUBELET_CONF, 0, ("users", 0, "user", "client-certificate-data"), "delete")


def test_client_key_file_and_data_together() -> None:
    text = KUBEADM_KUBELET_CONF + f"    client-key-data: {CLIENT_KEY_DATA}\n"
    diagnostic = single(run(text), "KL517")
    assert (diagnostic.severity.label, at(diagnostic)) == ("error", (20, 5))
    assert CLIENT_KEY_DATA not in diagnostic.message


def test_client_key_without_certificate_is_fine() -> None:
    text = KUBEADM_KUBELET_CONF.replace("    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem\n", "")
    assert [d.code for d in run(text + f"    client-key-data: {CLIENT_KEY_DATA}\n")] == []


def test_client_certificate_without_key_offers_the_combined_pem() -> None:
    diagnostic = single(run(KUBEADM_KUBELET_CONF.replace(CLIENT_KEY_LINE, "")), "KL518")
    assert (diagnostic.name, diagnostic.severity.label, at(diagnostic)) == ("client-key-missing", "error", (18, 5))
    assert "client-key-data or client-key must be specified for system:node:worker-1" in diagnostic.message
    assert diagnostic.fix is not None and diagnostic.fix.edits[0] == YamlEdit(
        KUBELET_CONF, 0, ("users", 0, "user", "client-key"), "set", "/var/lib/kubelet/pki/kubelet-client-current.pem")


# --- KL519-KL521 exec plugins ---------------------------------------------------------------

EXEC_USER = """\
users:
- name: kubelet
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: aws-iam-authenticator
      args: [token, -i, prod]
      interactiveMode: Never
"""


def exec_config(user_block: str) -> str:
    head = KUBEADM_KUBELET_CONF.split("users:\n")[0].replace("user: system:node:worker-1", "user: kubelet")
    return head + user_block


def test_exec_plugin_complete_is_clean() -> None:
    assert run(exec_config(EXEC_USER)) == []


def test_exec_with_auth_provider() -> None:
    text = exec_config(EXEC_USER.replace("    exec:\n", "    auth-provider:\n      name: gcp\n    exec:\n"))
    diagnostic = single(run(text), "KL519")
    assert (diagnostic.severity.label, at(diagnostic)) == ("error", (18, 5))
    assert "authProvider cannot be provided in combination with an exec plugin for kubelet" in diagnostic.message


def test_exec_v1_without_interactive_mode_and_command() -> None:
    text = exec_config(EXEC_USER.replace("      interactiveMode: Never\n", "").replace("      command: aws-iam-authenticator\n", ""))
    found = only(run(text), "KL520")
    assert [(d.severity.label, at(d)) for d in found] == [("error", (18, 5)), ("error", (18, 5))]
    assert ["command must be" in found[0].message, "interactiveMode must be" in found[1].message] == [True, True]
    beta = exec_config(EXEC_USER.replace("/v1\n", "/v1beta1\n").replace("      interactiveMode: Never\n", ""))
    assert only(run(beta), "KL520") == []


def test_exec_env_without_name() -> None:
    text = exec_config(EXEC_USER + "      env:\n      - value: eu-west-1\n")
    diagnostic = single(run(text), "KL520")
    assert at(diagnostic) == (24, 9) and "env variable name must be specified" in diagnostic.message


def test_exec_interactive_mode_in_the_wrong_case_has_a_safe_fix() -> None:
    diagnostic = single(run(exec_config(EXEC_USER.replace("Never", "never"))), "KL521")
    assert (diagnostic.severity.label, at(diagnostic)) == ("error", (22, 24))
    assert "invalid interactiveMode for kubelet: \"never\"" in diagnostic.message
    assert diagnostic.fix is not None and diagnostic.fix.applicability is Applicability.SAFE


# --- KL522 impersonation-without-user -----------------------------------------------------------

def test_impersonated_groups_need_a_user() -> None:
    text = KUBEADM_KUBELET_CONF + "    as-groups: [system:masters]\n"
    diagnostic = single(run(text), "KL522")
    assert (diagnostic.severity.label, at(diagnostic)) == ("error", (20, 5))
    assert only(run(text + "    as: jane\n"), "KL522") == []


# --- KL523 ca-data-invalid / KL524 client-data-invalid ---------------------------------------------

def test_ca_data_encoded_twice() -> None:
    twice = base64.b64encode(CA_DATA.encode()).decode()
    diagnostic = single(run(KUBEADM_KUBELET_CONF.replace(CA_DATA, twice)), "KL523")
    assert (diagnostic.name, diagnostic.severity.label, at(diagnostic)) == ("ca-data-invalid", "error", (4, 33))
    assert "base64-encoded twice" in diagnostic.message
    assert "unable to parse bytes as PEM block" in diagnostic.message


def test_ca_data_holding_a_key() -> None:
    diagnostic = single(run(KUBEADM_KUBELET_CONF.replace(CA_DATA, CLIENT_KEY_DATA)), "KL523")
    assert "no valid certificate authority data seen" in diagnostic.message
    assert CLIENT_KEY_DATA not in diagnostic.message


def test_client_certificate_and_key_data_swapped() -> None:
    text = KUBEADM_KUBELET_CONF.replace(
        "    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem\n" + CLIENT_KEY_LINE,
        f"    client-certificate-data: {CLIENT_KEY_DATA}\n    client-key-data: {CLIENT_CERT_DATA}\n")
    found = only(run(text), "KL524")
    assert [(d.severity.label, at(d)) for d in found] == [("error", (18, 5)), ("error", (19, 5))]
    assert "failed to find \"CERTIFICATE\" PEM block" in found[0].message
    assert "found a certificate rather than a key" in found[1].message
    embedded = KUBEADM_KUBELET_CONF.replace(
        "    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem\n" + CLIENT_KEY_LINE,
        f"    client-certificate-data: {CLIENT_CERT_DATA}\n    client-key-data: {CLIENT_KEY_DATA}\n")
    assert run(embedded) == []
