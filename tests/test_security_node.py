"""Node hardening settings (KL406-KL408, KL415-KL417, KL419), whole files, and rule metadata."""

from __future__ import annotations

import textwrap

import pytest

from kubelint import knowledge
from kubelint.diagnostics import Diagnostic, Severity
from kubelint.engine import Rule, all_rules
from tests.helpers import EXAMPLES, lint_text
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

# /var/lib/kubelet/config.yaml as `kubeadm join` writes it (keys sorted, zero values
# spelled out: kubeadm marshals the whole struct)
KUBEADM_CONFIG = """\
apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
containerRuntimeEndpoint: ""
cpuManagerReconcilePeriod: 0s
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMaximumGCAge: 0s
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
"""


def codes_of(diagnostics: list[Diagnostic]) -> set[str]:
    return {d.code for d in diagnostics}


def streaming_flag(written: str) -> Flag:
    return Flag("streaming-connection-idle-timeout", written, ("streamingConnectionIdleTimeout",), written)


# ---------------------------------------------------------------- KL406 streaming idle timeout


@pytest.mark.parametrize("written", ["0", "0s", "0m", "0h0m0s"])
def test_zero_streaming_timeout_from_a_flag_is_a_warning_whatever_its_spelling(written: str) -> None:
    flag = streaming_flag(written)
    found = find(lint_view(node_view("rotateCertificates: true\n", [flag])), "KL406")
    assert found.severity is Severity.WARNING
    assert position(found) == (FLAGS_ENV, 1, flag_span(flags_line([flag]), flag).column)
    assert "--streaming-connection-idle-timeout=5m" in found.message


def test_nonzero_streaming_timeout_flag_passes() -> None:
    assert "KL406" not in codes_of(lint_view(node_view("rotateCertificates: true\n", [streaming_flag("5m")])))


@pytest.mark.parametrize("value", ["0s", '"0"', "0m", "5m"])
def test_streaming_timeout_in_a_config_file_is_never_zero_in_effect(value: str) -> None:
    # a zero in the file is a Go zero value: defaulting turns it into 4h
    assert "KL406" not in codes_of(lint_config(f"streamingConnectionIdleTimeout: {value}\n"))


def test_a_flag_zero_overrides_a_sane_file_value() -> None:
    view = node_view("streamingConnectionIdleTimeout: 5m\n", [streaming_flag("0s")])
    assert position(find(lint_view(view), "KL406"))[0] == FLAGS_ENV


# ---------------------------------------------------------------- KL407 iptables util chains


def test_iptables_util_chains_false_is_a_warning() -> None:
    found = find(lint_config("makeIPTablesUtilChains: false\n"), "KL407")
    assert found.severity is Severity.WARNING
    assert position(found) == (CONFIG_PATH, 3, 25)


@pytest.mark.parametrize("body", ["makeIPTablesUtilChains: true\n", "cgroupDriver: systemd\n"])
def test_iptables_util_chains_true_or_absent_passes(body: str) -> None:
    # absent means the default true: checkov and older kubescape fail this, kubelint does not
    assert "KL407" not in codes_of(lint_config(body))


# ---------------------------------------------------------------- KL408 event QPS


def test_event_qps_zero_on_1_37_means_unlimited() -> None:
    found = find(lint_config("eventRecordQPS: 0\n", version="1.37"), "KL408")
    assert found.severity is Severity.INFO
    assert position(found) == (CONFIG_PATH, 3, 17)
    assert "no limit" in found.message


def test_event_qps_zero_before_1_37_falls_back_to_a_limit() -> None:
    found = find(lint_config("eventRecordQPS: 0\n", version="1.33"), "KL408")
    assert "does not mean unlimited" in found.message


@pytest.mark.parametrize("body", ["eventRecordQPS: 50\n", "eventRecordQPS: 5\n", "cgroupDriver: systemd\n"])
def test_event_qps_limit_or_default_passes(body: str) -> None:
    assert "KL408" not in codes_of(lint_config(body))


# ---------------------------------------------------------------- KL415 pod PIDs


def test_pod_pids_limit_unset_is_a_warning_at_kind() -> None:
    found = find(lint_config("cgroupDriver: systemd\n"), "KL415")
    assert found.severity is Severity.WARNING
    assert position(found) == (CONFIG_PATH, 2, 1)
    assert f"set podPidsLimit: 4096 in {CONFIG_PATH}" in found.message


@pytest.mark.parametrize("value", ["-1", "0", "-5"])
def test_pod_pids_limit_without_effect_is_a_warning_at_the_value(value: str) -> None:
    found = find(lint_config(f"podPidsLimit: {value}\n"), "KL415")
    assert position(found) == (CONFIG_PATH, 3, 15)
    assert f"podPidsLimit is {value}, which means unlimited" in found.message


def test_pod_pids_limit_set_passes() -> None:
    assert "KL415" not in codes_of(lint_config("podPidsLimit: 4096\n"))


# ---------------------------------------------------------------- KL416 seccomp, KL417 kernel defaults


@pytest.mark.parametrize(("code", "field"), [("KL416", "seccompDefault"), ("KL417", "protectKernelDefaults")])
def test_advice_settings_false_are_info_at_the_value(code: str, field: str) -> None:
    found = find(lint_config(f"{field}: false\n"), code)
    assert found.severity is Severity.INFO
    assert position(found) == (CONFIG_PATH, 3, len(field) + 3)
    assert f"set {field}: true in {CONFIG_PATH}" in found.message


@pytest.mark.parametrize(("code", "field"), [("KL416", "seccompDefault"), ("KL417", "protectKernelDefaults")])
def test_advice_settings_true_pass(code: str, field: str) -> None:
    assert code not in codes_of(lint_config(f"{field}: true\n"))


def test_seccomp_default_flag_true_passes() -> None:
    flag = Flag("seccomp-default", "true", ("seccompDefault",), True)
    assert "KL416" not in codes_of(lint_view(node_view("seccompDefault: false\n", [flag])))


# ---------------------------------------------------------------- KL419 healthz on all interfaces


@pytest.mark.parametrize(("value", "column"), [("0.0.0.0", 21), ('"::"', 21)])
def test_healthz_on_all_interfaces_is_info(value: str, column: int) -> None:
    found = find(lint_config(f"healthzBindAddress: {value}\n"), "KL419")
    assert found.severity is Severity.INFO
    assert position(found) == (CONFIG_PATH, 3, column)


@pytest.mark.parametrize("body", [
    "healthzBindAddress: 127.0.0.1\n",
    "healthzBindAddress: 0.0.0.0\nhealthzPort: 0\n",
    "address: 0.0.0.0\n",
])
def test_healthz_on_localhost_or_disabled_and_the_api_address_pass(body: str) -> None:
    assert "KL419" not in codes_of(lint_config(body))


# ---------------------------------------------------------------- whole files


def test_kubeadm_config_is_safe_and_gets_only_hardening_advice() -> None:
    diagnostics = lint_text(KUBEADM_CONFIG, CONFIG_PATH, select=("KL4",))
    found = {d.code: d.severity for d in diagnostics}
    # kubeadm gets authentication, authorization, client CA, read-only port and
    # rotation right; what is left are the CIS items kubeadm leaves at their defaults
    assert found == {
        "KL409": Severity.WARNING,  # self-signed serving certificate (no serverTLSBootstrap)
        "KL413": Severity.INFO,  # no cipher list
        "KL415": Severity.WARNING,  # no pod PID limit
        "KL416": Severity.INFO,  # no seccomp default
        "KL417": Severity.INFO,  # protectKernelDefaults
    }
    assert all(d.span.line == 28 for d in diagnostics)  # the kind: line of kubeadm's sorted keys


def test_hardened_example_passes_every_security_rule() -> None:
    path = EXAMPLES / "files" / "kubelet-config-hardened.yaml"
    assert lint_text(path.read_text(), "kubelet-config-hardened.yaml", select=("KL4",)) == []


def test_insecure_example_shows_most_security_rules() -> None:
    path = EXAMPLES / "files" / "kubelet-config-insecure.yaml"
    found = codes_of(lint_text(path.read_text(), "kubelet-config-insecure.yaml", select=("KL4",)))
    security_codes = {rule.code for rule in all_rules() if rule.code.startswith("KL4")}
    # not shown: a flag-only zero timeout (KL406), no certificate at all (KL409, the
    # file has half a pair: KL410) and a disabled server (KL420)
    assert found == security_codes - {"KL406", "KL409", "KL420"}


# ---------------------------------------------------------------- metadata


def security_rules() -> list[Rule]:
    return [rule for rule in all_rules() if rule.code.startswith("KL4")]


def test_every_cis_1_12_kubelet_setting_check_has_a_rule() -> None:
    covered = {cis for rule in security_rules() for cis in rule.cis}
    setting_checks = {check.id for check in knowledge.cis_checks()
                      if check.benchmark == "cis-1.12" and check.kind == "setting"}
    # 4.2.7 (--hostname-override) is flag-only and belongs to the flag rules
    assert setting_checks - covered == {"4.2.7"}


def test_rules_carry_the_peer_ids_of_their_cis_checks() -> None:
    for rule in security_rules():
        for cis in rule.cis:
            peers = knowledge.cis_check(cis).peers
            expected = {f"kube-bench:{peers.kube_bench}"} if peers.kube_bench else set()
            expected |= {f"kubescape:{control}" for control in peers.kubescape}
            expected |= {f"checkov:{check}" for check in peers.checkov}
            assert expected <= set(rule.tags), (rule.code, expected - set(rule.tags))


def doc_section(rule: Rule, name: str) -> str:
    """The indented example below ``name:`` in the rule's docstring."""
    lines = textwrap.dedent(rule.doc).splitlines()
    start = lines.index(f"{name}:") + 1
    block: list[str] = []
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break
        block.append(line)
    return textwrap.dedent("\n".join(block)).strip("\n") + "\n"


# KL406's failing example is a kubelet flag, not a config file
YAML_EXAMPLES = [rule for rule in security_rules() if rule.code != "KL406"]


@pytest.mark.parametrize("rule", YAML_EXAMPLES, ids=lambda rule: rule.code)
def test_docstring_examples_fail_and_pass_as_documented(rule: Rule) -> None:
    failing = doc_section(rule, "Fails")
    passing = doc_section(rule, "Passes")
    failing_file = failing if failing.startswith("apiVersion") else HEADER + failing
    assert rule.code in codes_of(lint_text(failing_file, CONFIG_PATH, select=(rule.code,)))
    assert rule.code not in codes_of(lint_text(HEADER + passing, CONFIG_PATH, select=(rule.code,)))


# ---------------------------------------------------------------- /configz dumps

CONFIGZ_DUMP = """\
{"kubeletconfig":{"enableServer":true,"syncFrequency":"1m0s","authentication":{"x509":{"clientCAFile":"/etc/kubernetes/pki/ca.crt"},"webhook":{"enabled":true,"cacheTTL":"2m0s"},"anonymous":{"enabled":true}},"authorization":{"mode":"Webhook"},"readOnlyPort":0,"streamingConnectionIdleTimeout":"0s","podPidsLimit":4096,"seccompDefault":true,"protectKernelDefaults":true,"serverTLSBootstrap":true,"rotateCertificates":true,"tlsMinVersion":"VersionTLS13"}}
"""


def test_configz_dump_values_are_final_and_fixes_are_not_offered() -> None:
    diagnostics = lint_text(CONFIGZ_DUMP, "node-1-configz.json", select=("KL4",))
    # the running kubelet reports 0s: no defaulting happens after /configz
    timeout_column = CONFIGZ_DUMP.index('"streamingConnectionIdleTimeout":"0s"') + len('"streamingConnectionIdleTimeout":') + 1
    assert position(find(diagnostics, "KL406")) == ("node-1-configz.json", 1, timeout_column)
    anonymous = find(diagnostics, "KL401")
    anonymous_column = CONFIGZ_DUMP.index('"anonymous":{"enabled":true') + len('"anonymous":{"enabled":') + 1
    assert position(anonymous) == ("node-1-configz.json", 1, anonymous_column)
    assert anonymous.fix is None
    assert "/configz dump of the running kubelet" in anonymous.message
    assert codes_of(diagnostics) == {"KL401", "KL406", "KL418"}
