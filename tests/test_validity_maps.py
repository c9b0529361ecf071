"""Validity rules on maps and lists: eviction (KL120-KL122), reservations, logging, tracing, TLS names,
clusterDNS, metrics, user namespaces, qosReserved and the preloaded image allowlist (KL123-KL131)."""

from kubelint.diagnostics import Diagnostic, YamlEdit
from tests.helpers import lint_text, only

HEADER = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"


def lint(body: str, version: str | None = "1.33") -> list[Diagnostic]:
    return lint_text(HEADER + body, version=version, select=("KL1",))


def position(diagnostic: Diagnostic) -> tuple[int, int]:
    return (diagnostic.span.line, diagnostic.span.column)


def first_edit(diagnostic: Diagnostic) -> YamlEdit:
    assert diagnostic.fix is not None
    edit = diagnostic.fix.edits[0]
    assert isinstance(edit, YamlEdit)
    return edit


# --------------------------------------------------------------------------- KL120


def test_eviction_signal_in_wrong_case_is_refused_and_renamed() -> None:
    found = only(lint("evictionHard:\n  memory.available: 100Mi\n  nodefs.inodesfree: 5%\n"), "KL120")
    assert len(found) == 1
    assert found[0].severity.label == "error"
    assert position(found[0]) == (5, 3) and found[0].span.end_column == 20
    assert "unsupported eviction signal nodefs.inodesfree" in found[0].message
    edit = first_edit(found[0])
    assert edit.op == "rename" and edit.new_key == "nodefs.inodesFree"


def test_misspelled_signal_gets_a_suggestion_in_every_eviction_map() -> None:
    body = ("evictionSoft:\n  memory.avaliable: 500Mi\nevictionSoftGracePeriod:\n  memory.avaliable: 1m\n"
            "evictionMinimumReclaim:\n  disk.available: 1Gi\n")
    found = only(lint(body), "KL120")
    assert [position(d) for d in found] == [(4, 3), (6, 3), (8, 3)]
    assert "did you mean 'memory.available'?" in found[0].message
    assert "valid signals:" in found[2].message


def test_swap_signal_is_a_warning() -> None:
    found = only(lint("evictionHard:\n  memory.available: 100Mi\n  swap.available: 10%\n"), "KL120")
    assert [d.severity.label for d in found] == ["warning"]


def test_known_signals_pass() -> None:
    body = ("evictionHard:\n  memory.available: 100Mi\n  nodefs.available: 10%\n  nodefs.inodesFree: 5%\n"
            "  imagefs.available: 15%\n  imagefs.inodesFree: 5%\n  pid.available: 10%\n")
    assert only(lint(body), "KL120") == []


# --------------------------------------------------------------------------- KL121


def test_eviction_values_the_kubelet_rejects() -> None:
    body = ("evictionHard:\n  memory.available: \"0\"\n  nodefs.available: 110%\n  imagefs.available: 15 %\n"
            "evictionSoftGracePeriod:\n  memory.available: 1d\nevictionMinimumReclaim:\n  memory.available: 0%\n"
            "  nodefs.available: -1Gi\n")
    found = only(lint(body), "KL121")
    assert [position(d) for d in found] == [(4, 21), (5, 21), (6, 22), (8, 21), (10, 21), (11, 21)]
    assert all(d.severity.label == "error" for d in found)
    assert "eviction threshold 0 must be positive" in found[0].message
    assert "eviction percentage threshold 110% must be <= 100%" in found[1].message
    assert "no 'd'" in found[3].message
    assert "eviction percentage minimum reclaim 0% must be positive" in found[4].message
    assert "negative eviction minimum reclaim specified for -1Gi" in found[5].message


def test_eviction_values_the_kubelet_accepts() -> None:
    body = ("evictionHard:\n  memory.available: 500Mi\n  nodefs.available: 7.5%\n  imagefs.available: 0%\n"
            "  pid.available: \"1000\"\nevictionSoftGracePeriod:\n  memory.available: 0s\n"
            "evictionMinimumReclaim:\n  memory.available: \"0\"\n  nodefs.available: 5%\n")
    assert only(lint(body), "KL121") == []


# --------------------------------------------------------------------------- KL122


def test_soft_threshold_without_grace_period_is_refused() -> None:
    body = "evictionSoft:\n  memory.available: 500Mi\n  nodefs.available: 15%\nevictionSoftGracePeriod:\n  nodefs.available: 2m\n"
    found = only(lint(body), "KL122")
    assert len(found) == 1
    assert found[0].severity.label == "error"
    assert position(found[0]) == (4, 3)
    assert "grace period must be specified for the soft eviction threshold memory.available" in found[0].message


def test_soft_thresholds_with_grace_periods_or_switched_off_pass() -> None:
    body = "evictionSoft:\n  memory.available: 500Mi\n  nodefs.available: 0%\nevictionSoftGracePeriod:\n  memory.available: 1m30s\n"
    assert only(lint(body), "KL122") == []


# --------------------------------------------------------------------------- KL123


def test_reserved_resources_with_wrong_names_and_values() -> None:
    body = "kubeReserved:\n  CPU: 500m\n  memory: 1 Gi\nsystemReserved:\n  ephemeral-storage: -1Gi\n  hugepages-2Mi: 1Gi\n"
    found = only(lint(body), "KL123")
    assert [position(d) for d in found] == [(4, 3), (5, 11), (7, 22), (8, 3)]
    assert '--kube-reserved value failed to parse: cannot reserve "CPU" resource' in found[0].message
    assert first_edit(found[0]).new_key == "cpu"
    assert 'failed to parse quantity "1 Gi" for "memory" resource' in found[1].message
    assert 'resource quantity for "ephemeral-storage" cannot be negative' in found[2].message
    assert found[3].fix is None


def test_valid_reservations_pass() -> None:
    body = "kubeReserved:\n  cpu: 500m\n  memory: 1Gi\n  pid: \"1000\"\nsystemReserved:\n  cpu: \"1\"\n  ephemeral-storage: 10Gi\n"
    assert only(lint(body), "KL123") == []


# --------------------------------------------------------------------------- KL124


def test_logging_format_and_vmodule() -> None:
    body = "logging:\n  format: JSON\n  verbosity: 2\n  vmodule:\n  - filePattern: kubelet.go=4\n    verbosity: 4\n"
    found = only(lint(body), "KL124")
    assert [position(d) for d in found] == [(4, 11), (6, 3), (7, 18)]
    assert 'logging.format: Invalid value: "JSON": Unsupported log format' in found[0].message
    assert first_edit(found[0]).value == "json"
    assert "Only supported for text log format" in found[1].message
    assert "must not contain equal sign or comma" in found[2].message


def test_logging_text_with_vmodule_passes() -> None:
    body = "logging:\n  format: text\n  flushFrequency: 5s\n  vmodule:\n  - filePattern: kubelet*\n    verbosity: 4\n"
    assert only(lint(body), "KL124") == []


def test_logging_json_needs_the_beta_gate() -> None:
    found = only(lint("logging:\n  format: json\nfeatureGates:\n  LoggingBetaOptions: false\n"), "KL124")
    assert len(found) == 1 and "LoggingBetaOptions" in found[0].message
    assert only(lint("logging:\n  format: json\n"), "KL124") == []


# --------------------------------------------------------------------------- KL125


def test_tracing_endpoint_url_and_rate() -> None:
    body = "tracing:\n  endpoint: http://otel-collector.observability:4317\n  samplingRatePerMillion: 2000000\n"
    found = only(lint(body), "KL125")
    assert [position(d) for d in found] == [(4, 13), (5, 27)]
    assert "unsupported scheme: http. Options are none, dns, unix, or unix-abstract" in found[0].message
    assert first_edit(found[0]).value == "otel-collector.observability:4317"
    assert "must be less than or equal to one million" in found[1].message


def test_tracing_grpc_targets_pass() -> None:
    assert only(lint("tracing:\n  endpoint: otel-collector.observability:4317\n  samplingRatePerMillion: 100\n"), "KL125") == []
    assert only(lint("tracing:\n  endpoint: unix:///run/otel/otel.sock\n"), "KL125") == []


# --------------------------------------------------------------------------- KL126


def test_unknown_cipher_names() -> None:
    body = ("tlsCipherSuites:\n- TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n- tls_ecdhe_rsa_with_aes_256_gcm_sha384\n"
            "- ECDHE-ECDSA-AES128-GCM-SHA256\n")
    found = only(lint(body), "KL126")
    assert [position(d) for d in found] == [(5, 3), (6, 3)]
    assert "Cipher suite tls_ecdhe_rsa_with_aes_256_gcm_sha384 not supported or doesn't exist" in found[0].message
    assert first_edit(found[0]).value == "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
    assert "OpenSSL name of TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" in found[1].message


def test_known_cipher_names_and_aliases_pass() -> None:
    body = "tlsCipherSuites:\n- TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305\n- TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n"
    assert only(lint(body), "KL126") == []


# --------------------------------------------------------------------------- KL127


def test_cluster_dns_host_name_is_a_warning() -> None:
    found = only(lint("clusterDNS:\n- 10.96.0.10\n- kube-dns.kube-system.svc\n"), "KL127")
    assert len(found) == 1
    assert found[0].severity.label == "warning"
    assert position(found[0]) == (5, 3)
    assert "one nameserver fewer" in found[0].message
    only_bad = only(lint("clusterDNS:\n- 10.96.0.10:53\n"), "KL127")
    assert "no cluster DNS server at all" in only_bad[0].message


def test_cluster_dns_ips_pass() -> None:
    assert only(lint("clusterDNS:\n- 10.96.0.10\n- fd00:10:96::a\n"), "KL127") == []


# --------------------------------------------------------------------------- KL128


def test_show_hidden_metrics_must_be_the_previous_minor() -> None:
    found = only(lint("showHiddenMetricsForVersion: \"1.30\"\n", version="1.33"), "KL128")
    assert len(found) == 1 and position(found[0]) == (3, 30)
    assert "'1.32'" in found[0].message
    assert only(lint("showHiddenMetricsForVersion: \"1.32\"\n", version="1.33"), "KL128") == []


# --------------------------------------------------------------------------- KL129


def test_user_namespace_ids_per_pod() -> None:
    found = only(lint("userNamespaces:\n  idsPerPod: 100000\n"), "KL129")
    assert len(found) == 1 and position(found[0]) == (4, 14)
    assert "use e.g. 65536" in found[0].message
    assert only(lint("userNamespaces:\n  idsPerPod: 131072\n"), "KL129") == []


# --------------------------------------------------------------------------- KL130


def test_qos_reserved_parse_errors() -> None:
    found = only(lint("qosReserved:\n  memory: \"50\"\n  cpu: 10%\nfeatureGates:\n  QOSReserved: true\n"), "KL130")
    assert [position(d) for d in found] == [(4, 11), (5, 3)]
    assert "percentage expected, got '50'" in found[0].message
    assert 'cannot reserve "cpu" resource' in found[1].message


def test_qos_reserved_without_its_gate_is_a_warning() -> None:
    found = only(lint("qosReserved:\n  memory: 50%\n"), "KL130")
    assert [(d.severity.label, position(d)) for d in found] == [("warning", (3, 1))]
    assert only(lint("qosReserved:\n  memory: 50%\nfeatureGates:\n  QOSReserved: true\n"), "KL130") == []


# --------------------------------------------------------------------------- KL131


def test_preloaded_allowlist_needs_the_allowlist_policy() -> None:
    body = ("imagePullCredentialsVerificationPolicy: AlwaysVerify\npreloadedImagesVerificationAllowlist:\n"
            "- registry.k8s.io/pause\n")
    found = only(lint(body, version="1.35"), "KL131")
    assert len(found) == 1 and position(found[0]) == (4, 1)
    assert "imagePullCredentialsVertificationPolicy" in found[0].message


def test_preloaded_allowlist_patterns() -> None:
    body = ("imagePullCredentialsVerificationPolicy: NeverVerifyAllowlistedImages\n"
            "preloadedImagesVerificationAllowlist:\n- registry.k8s.io/pause:3.10\n- registry.example.com/node/*\n"
            "- registry.example.com/*/agent\n")
    found = only(lint(body, version="1.35"), "KL131")
    assert [position(d) for d in found] == [(5, 3), (7, 3)]
    assert "it has a tag" in found[0].message
