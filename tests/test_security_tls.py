"""Serving certificates, certificate rotation and TLS parameters (KL409-KL414)."""

from __future__ import annotations

import pytest

from kubelint.diagnostics import Diagnostic, Severity
from tests.helpers import lint_text
from tests.test_security_support import (
    CONFIG_PATH,
    FLAGS_ENV,
    HEADER,
    Flag,
    find,
    flag_span,
    flags_line,
    lint_config,
    lint_view,
    node_view,
    position,
)

CIS_112_SUITES = """
tlsCipherSuites:
- TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
- TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
- TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305
- TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
- TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305
- TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
"""


def codes_of(diagnostics: list[Diagnostic]) -> set[str]:
    return {d.code for d in diagnostics}


def of_code(diagnostics: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == code]


# ---------------------------------------------------------------- KL409 self-signed serving cert


def test_no_serving_cert_and_no_bootstrap_warns_at_kind() -> None:
    found = find(lint_config("rotateCertificates: true\n"), "KL409")
    assert found.severity is Severity.WARNING
    assert position(found) == (CONFIG_PATH, 2, 1)
    assert "self-signed" in found.message
    assert f"set serverTLSBootstrap: true in {CONFIG_PATH}" in found.message


def test_explicit_false_bootstrap_is_reported_at_its_value() -> None:
    found = find(lint_config("serverTLSBootstrap: false\n"), "KL409")
    assert position(found) == (CONFIG_PATH, 3, 21)
    assert "serverTLSBootstrap is false" in found.message


def test_serving_cert_files_or_bootstrap_pass() -> None:
    files = lint_config("""
        tlsCertFile: /var/lib/kubelet/pki/kubelet.crt
        tlsPrivateKeyFile: /var/lib/kubelet/pki/kubelet.key
    """)
    assert "KL409" not in codes_of(files)
    assert "KL409" not in codes_of(lint_config("serverTLSBootstrap: true\n"))


# ---------------------------------------------------------------- KL410 half a key pair


def test_cert_without_key_is_an_error_naming_the_missing_file() -> None:
    diagnostics = lint_config("tlsCertFile: /var/lib/kubelet/pki/kubelet.crt\n")
    found = find(diagnostics, "KL410")
    assert found.severity is Severity.ERROR
    assert position(found) == (CONFIG_PATH, 3, 14)
    assert "but tlsPrivateKeyFile has none" in found.message
    assert f"set tlsPrivateKeyFile: /var/lib/kubelet/pki/kubelet.key in {CONFIG_PATH}" in found.message
    # a half pair is not "no certificate": KL409 stays quiet
    assert "KL409" not in codes_of(diagnostics)


def test_key_without_cert_is_an_error_at_the_key() -> None:
    found = find(lint_config("tlsPrivateKeyFile: /etc/kubernetes/pki/kubelet.key\n"), "KL410")
    assert position(found) == (CONFIG_PATH, 3, 20)
    assert "but tlsCertFile has none" in found.message


def test_cert_flag_without_key_asks_for_the_key_flag() -> None:
    flag = Flag("tls-cert-file", "/var/lib/kubelet/pki/kubelet.crt", ("tlsCertFile",), "/var/lib/kubelet/pki/kubelet.crt")
    found = find(lint_view(node_view("rotateCertificates: true\n", [flag])), "KL410")
    assert position(found) == (FLAGS_ENV, 1, flag_span(flags_line([flag]), flag).column)
    assert "add --tls-private-key-file=/var/lib/kubelet/pki/kubelet.key next to --tls-cert-file" in found.message


def test_complete_key_pair_passes() -> None:
    diagnostics = lint_config("""
        tlsCertFile: /var/lib/kubelet/pki/kubelet.crt
        tlsPrivateKeyFile: /var/lib/kubelet/pki/kubelet.key
    """)
    assert "KL410" not in codes_of(diagnostics)


# ---------------------------------------------------------------- KL411 client cert rotation


def test_rotate_certificates_false_is_a_warning() -> None:
    found = find(lint_config("rotateCertificates: false\n"), "KL411")
    assert found.severity is Severity.WARNING
    assert position(found) == (CONFIG_PATH, 3, 21)
    assert f"set rotateCertificates: true in {CONFIG_PATH}" in found.message


def test_rotate_certificates_unset_is_info_explaining_the_default() -> None:
    found = find(lint_config("serverTLSBootstrap: true\n"), "KL411")
    assert found.severity is Severity.INFO
    assert position(found) == (CONFIG_PATH, 2, 1)
    assert "not set, so the default false applies" in found.message
    assert "kubelet default for 1.37" in found.message


def test_rotate_certificates_flag_false_overrides_the_file() -> None:
    flag = Flag("rotate-certificates", "false", ("rotateCertificates",), False)
    found = find(lint_view(node_view("rotateCertificates: true\n", [flag])), "KL411")
    assert found.severity is Severity.WARNING
    assert position(found)[0] == FLAGS_ENV


def test_rotate_certificates_true_passes() -> None:
    assert "KL411" not in codes_of(lint_config("rotateCertificates: true\n"))


# ---------------------------------------------------------------- KL412 RotateKubeletServerCertificate


def test_server_cert_gate_off_is_a_warning_at_the_gate() -> None:
    found = find(lint_config("""
        featureGates:
          RotateKubeletServerCertificate: false
    """), "KL412")
    assert found.severity is Severity.WARNING
    assert position(found) == (CONFIG_PATH, 4, 35)


def test_server_cert_gate_off_with_server_tls_bootstrap_is_an_error() -> None:
    found = find(lint_config("""
        serverTLSBootstrap: true
        featureGates:
          RotateKubeletServerCertificate: false
    """), "KL412")
    assert found.severity is Severity.ERROR
    assert "does not start" in found.message


def test_server_cert_gate_off_by_flag_is_found_in_the_feature_gates_map() -> None:
    flag = Flag("feature-gates", "RotateKubeletServerCertificate=false", ("featureGates",),
                {"RotateKubeletServerCertificate": False})
    found = find(lint_view(node_view("serverTLSBootstrap: true\n", [flag])), "KL412")
    assert found.severity is Severity.ERROR
    assert position(found)[0] == FLAGS_ENV


def test_server_cert_gate_absent_or_on_passes() -> None:
    # beta and on by default since 1.12: an absent gate is not a finding (unlike early kube-bench)
    assert "KL412" not in codes_of(lint_config("serverTLSBootstrap: true\n"))
    assert "KL412" not in codes_of(lint_config("featureGates:\n  RotateKubeletServerCertificate: true\n"))


# ---------------------------------------------------------------- KL413 cipher suites


def test_static_rsa_gcm_suite_is_weak_under_cis_1_12() -> None:
    diagnostics = lint_config("""
        tlsCipherSuites:
        - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
        - TLS_RSA_WITH_AES_128_GCM_SHA256
    """)
    found = find(diagnostics, "KL413")
    assert found.severity is Severity.WARNING
    assert position(found) == (CONFIG_PATH, 5, 3)
    assert (found.span.end_line, found.span.end_column) == (5, 34)
    assert "TLS_RSA_WITH_AES_128_GCM_SHA256" in found.message and "forward secrecy" in found.message
    assert f"remove it from tlsCipherSuites in {CONFIG_PATH}" in found.message


def test_each_weak_suite_gets_its_own_finding() -> None:
    diagnostics = lint_config("""
        tlsCipherSuites: [TLS_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA]
    """)
    weak = of_code(diagnostics, "KL413")
    assert [(d.span.line, d.span.column) for d in weak] == [(3, 19), (3, 91)]
    assert "CBC" in weak[1].message


def test_the_cis_1_12_list_passes_including_legacy_chacha_aliases() -> None:
    assert "KL413" not in codes_of(lint_config(CIS_112_SUITES))


def test_unknown_suite_is_an_error_even_with_tls_1_3() -> None:
    diagnostics = lint_text(HEADER + "tlsMinVersion: VersionTLS13\ntlsCipherSuites:\n"
                            "- TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n- TLS_ECDHE_RSA_AES128_GCM_SHA256\n",
                            CONFIG_PATH, select=("KL4", "KL1"))
    # the refusal belongs to the validity family (KL126); the security rule stays quiet
    assert "KL413" not in codes_of(diagnostics)
    found = find(diagnostics, "KL126")
    assert found.severity is Severity.ERROR
    assert position(found) == (CONFIG_PATH, 6, 3)


def test_tls_1_3_minimum_without_cipher_list_needs_no_ciphers() -> None:
    diagnostics = lint_config("tlsMinVersion: VersionTLS13\n")
    assert "KL413" not in codes_of(diagnostics)
    assert "KL414" not in codes_of(diagnostics)


def test_tls_1_3_minimum_makes_a_weak_list_irrelevant() -> None:
    diagnostics = lint_config("""
        tlsMinVersion: VersionTLS13
        tlsCipherSuites:
        - TLS_RSA_WITH_AES_128_GCM_SHA256
    """)
    assert "KL413" not in codes_of(diagnostics)


def test_unset_cipher_list_is_info_pointing_at_the_cis_list() -> None:
    found = find(lint_config("tlsMinVersion: VersionTLS12\n"), "KL413")
    assert found.severity is Severity.INFO
    assert position(found) == (CONFIG_PATH, 2, 1)
    assert found.hint is not None and "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" in found.hint


def test_weak_suite_in_the_flag_is_reported_at_the_flag() -> None:
    flag = Flag("tls-cipher-suites", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_128_GCM_SHA256",
                ("tlsCipherSuites",), ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"])
    found = find(lint_view(node_view(CIS_112_SUITES, [flag])), "KL413")
    assert position(found) == (FLAGS_ENV, 1, flag_span(flags_line([flag]), flag).column)
    assert "remove it from the --tls-cipher-suites flag" in found.message


# ---------------------------------------------------------------- KL414 minimum TLS version


@pytest.mark.parametrize("version", ["VersionTLS10", "VersionTLS11"])
def test_tls_below_1_2_is_a_warning(version: str) -> None:
    found = find(lint_config(f"tlsMinVersion: {version}\n"), "KL414")
    assert found.severity is Severity.WARNING
    assert position(found) == (CONFIG_PATH, 3, 16)
    assert f"set tlsMinVersion: VersionTLS12 in {CONFIG_PATH}" in found.message


def test_unknown_tls_version_is_reported_once_by_the_validity_family() -> None:
    diagnostics = lint_text(HEADER + "tlsMinVersion: TLS1.2\n", CONFIG_PATH, select=("KL4", "KL1"))
    assert "KL414" not in codes_of(diagnostics)
    found = find(diagnostics, "KL105")
    assert found.severity is Severity.ERROR
    assert "refuses to start" in found.message


@pytest.mark.parametrize("body", ["tlsMinVersion: VersionTLS12\n", "tlsMinVersion: VersionTLS13\n", "cgroupDriver: systemd\n"])
def test_tls_1_2_or_newer_or_unset_passes(body: str) -> None:
    assert "KL414" not in codes_of(lint_config(body))
