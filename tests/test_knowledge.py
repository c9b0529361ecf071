"""The rules data files: schema validity, internal consistency, and real facts through the loader."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from kubelint import knowledge
from kubelint._resources import data_file

DATA_FILES = ("kubelet-flags", "feature-gates", "tls", "eviction", "versions", "cis")


def load(name: str) -> dict[str, Any]:
    with data_file("rules", f"{name}.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.load(handle, Loader=yaml.CSafeLoader)
    return loaded


def validator(name: str) -> Draft202012Validator:
    with data_file("schemas", f"rules-data/{name}.schema.json").open(encoding="utf-8") as handle:
        schema = json.load(handle)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(name: str, document: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(name).iter_errors(document)]


def used_source_keys(node: object) -> set[str]:
    """Every value of a ``sources`` list anywhere below ``node``."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "sources" and isinstance(value, list):
                found.update(str(item) for item in value)
            else:
                found |= used_source_keys(value)
    elif isinstance(node, list):
        for item in node:
            found |= used_source_keys(item)
    return found


# --------------------------------------------------------------------------- schemas


@pytest.mark.parametrize("name", DATA_FILES)
def test_data_file_matches_its_schema(name: str) -> None:
    assert errors(name, load(name)) == []


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_cited_source_is_defined_and_every_defined_source_is_cited(name: str) -> None:
    document = load(name)
    defined = set(document["sources"])
    body = {key: value for key, value in document.items() if key != "sources"}
    used = used_source_keys(body)
    assert used - defined == set(), "cited but not defined"
    assert defined - used == set(), "defined but never cited"


@pytest.mark.parametrize(
    ("name", "mutate"),
    [
        ("kubelet-flags", lambda d: d["flags"][0].update(status="retired")),
        ("kubelet-flags", lambda d: d["flags"][0].update(type="integer")),
        ("kubelet-flags", lambda d: d["flags"][0].update(removed_in="1.3x")),
        ("kubelet-flags", lambda d: d["flags"][0].update(colour="blue")),
        ("kubelet-flags", lambda d: d["flags"][0].update(sources=[])),
        ("feature-gates", lambda d: d["gates"][0]["stages"][0].update(stage="stable")),
        ("feature-gates", lambda d: d["gates"][0]["stages"][0].update(since="v1.20")),
        ("tls", lambda d: d["cipher_suites"][0].update(insecure="no")),
        ("eviction", lambda d: d["signals"][0].update(resource="cpu")),
        ("versions", lambda d: d["supported"].update(min="2.0")),
        ("cis", lambda d: d["checks"][0]["expected"][0].update(op="roughly")),
        ("cis", lambda d: d["checks"][0]["peers"].update(checkov=["CKV2_K8S_1"])),
    ],
)
def test_schemas_are_strict(name: str, mutate: Any) -> None:
    document = copy.deepcopy(load(name))
    mutate(document)
    assert errors(name, document) != []


# --------------------------------------------------------------------------- internal consistency


def test_flag_names_and_aliases_do_not_collide() -> None:
    names = [flag["name"] for flag in load("kubelet-flags")["flags"]]
    assert len(names) == len(set(names))
    aliases = [alias for flag in load("kubelet-flags")["flags"] for alias in flag.get("aliases", [])]
    assert not set(aliases) & set(names)


def test_flag_versions_are_ordered() -> None:
    for spec in knowledge.flag_table().values():
        if spec.deprecated_in and spec.removed_in:
            assert spec.deprecated_in < spec.removed_in, spec.name
        if spec.added_in and spec.deprecated_in:
            assert spec.added_in <= spec.deprecated_in or spec.deprecation_kind == "config", spec.name
        if spec.status == "deprecated":
            assert spec.replacement, spec.name


def test_generic_config_deprecation_is_sourced_to_pr_65191() -> None:
    config_kind = [spec for spec in knowledge.flag_table().values() if spec.deprecation_kind == "config"]
    assert len(config_kind) > 80
    for spec in config_kind:
        assert spec.config_field is not None, spec.name
        if spec.deprecated_in == (1, 10):
            assert "PR65191" in spec.sources, spec.name


def test_gate_stages_are_chronological_and_end_before_removal() -> None:
    for gate in knowledge.feature_gates().values():
        sinces = [stage.since for stage in gate.stages]
        assert sinces == sorted(sinces) and len(set(sinces)) == len(sinces), gate.name
        if gate.removed_in is not None:
            assert gate.removed_in > sinces[-1], gate.name
        for stage in gate.stages:
            if stage.locked:
                assert stage.stage in ("ga", "deprecated"), gate.name


def test_cis_checks_refer_to_known_flags_and_lists() -> None:
    flags = knowledge.flag_table()
    for check in knowledge.cis_checks():
        for name in check.flags:
            assert name in flags, (check.label, name)
        for cond in check.expected:
            if cond.op == "subset_of":
                assert len(knowledge.cis_strong_ciphers(str(cond.value))) >= 6
        if check.kind == "setting" and check.flags != ("feature-gates",):
            expected_fields = {flags[name].config_field for name in check.flags} - {None}
            assert expected_fields == set(check.config_fields), check.label


def test_cis_1_12_is_complete() -> None:
    ids = {check.id for check in knowledge.cis_checks() if check.benchmark == "cis-1.12"}
    assert ids == {f"4.1.{n}" for n in range(1, 11)} | {f"4.2.{n}" for n in range(1, 15)}
    assert knowledge.cis_check("4.1.11", "cis-2.1").target == "config-dir"
    with pytest.raises(KeyError):
        knowledge.cis_check("4.1.11")


def test_every_supported_minor_has_notes() -> None:
    low, high = knowledge.supported_versions()
    notes = knowledge.version_notes()
    assert set(notes) == {(1, minor) for minor in range(low[1], high[1] + 1)}


# --------------------------------------------------------------------------- facts: flags


def test_network_plugin_removed_in_1_24() -> None:
    spec = knowledge.lookup_flag("--network-plugin")
    assert spec is not None
    assert spec.removed_in == (1, 24)
    assert not spec.is_removed((1, 23)) and spec.is_removed((1, 24)) and spec.is_removed((1, 37))
    assert spec.state((1, 24)) == "removed"


def test_pod_infra_container_image_removed_in_1_35() -> None:
    spec = knowledge.flag_table()["pod-infra-container-image"]
    assert spec.status == "removed"
    assert spec.deprecated_in == (1, 24) and spec.removed_in == (1, 35)
    assert spec.state((1, 30)) == "deprecated"
    assert spec.state((1, 35)) == "removed"
    assert spec.replacement is not None and "runtime" in spec.replacement


def test_cgroup_driver_maps_to_cgroup_driver_field() -> None:
    spec = knowledge.flag_table()["cgroup-driver"]
    assert spec.config_field == "cgroupDriver"
    assert spec.type == "string" and spec.values == ("cgroupfs", "systemd")
    assert spec.default == "cgroupfs"
    assert spec.status == "deprecated" and spec.deprecated_in == (1, 10)
    assert knowledge.flags_by_config_field()["cgroupDriver"] is spec


def test_underscores_and_dashes_normalise() -> None:
    assert knowledge.lookup_flag("cluster_dns") is knowledge.flag_table()["cluster-dns"]
    assert knowledge.lookup_flag("--cluster_dns") is knowledge.flag_table()["cluster-dns"]
    assert knowledge.normalize_flag_name("--image_gc_high_threshold") == "image-gc-high-threshold"
    assert knowledge.lookup_flag("-h") is knowledge.flag_table()["help"]
    assert knowledge.lookup_flag("-v") is knowledge.flag_table()["v"]
    assert knowledge.lookup_flag("--no-such-flag") is None


def test_renamed_config_fields() -> None:
    table = knowledge.flag_table()
    assert table["event-qps"].config_field == "eventRecordQPS"
    assert table["pod-manifest-path"].config_field == "staticPodPath"
    assert table["rotate-server-certificates"].config_field == "serverTLSBootstrap"
    assert table["anonymous-auth"].config_field == "authentication.anonymous.enabled"
    assert table["pod-max-pids"].type == "int64"
    assert table["eviction-hard"].type == "langle-map"
    assert table["feature-gates"].type == "map-string-bool"
    assert table["manifest-url-header"].type == "colon-multimap"
    assert table["register-with-taints"].type == "taints"
    assert table["reserved-memory"].type == "reserved-memory"


def test_flag_only_and_not_deprecated_flags() -> None:
    table = knowledge.flag_table()
    for name in ("kubeconfig", "bootstrap-kubeconfig", "config", "cert-dir", "node-ip", "runtime-cgroups"):
        assert table[name].flag_only and table[name].status == "active", name
    for name in ("v", "vmodule", "log-flush-frequency", "provider-id", "fail-cgroupv1"):
        assert table[name].status == "active" and table[name].config_field is not None, name
    endpoint = table["container-runtime-endpoint"]
    assert endpoint.config_field == "containerRuntimeEndpoint" and endpoint.deprecated_in == (1, 27)
    assert not endpoint.is_deprecated((1, 26)) and endpoint.is_deprecated((1, 27))


def test_added_flags_do_not_exist_earlier() -> None:
    table = knowledge.flag_table()
    assert table["config-dir"].state((1, 27)) == "not-yet"
    assert table["config-dir"].exists_in((1, 28))
    assert table["fail-cgroupv1"].state((1, 30)) == "not-yet"
    assert table["fail-cgroupv1"].exists_in((1, 31))


def test_cadvisor_klog_and_windows_flags() -> None:
    table = knowledge.flag_table()
    cadvisor = [spec for spec in table.values() if spec.removed_in == (1, 37)]
    assert len(cadvisor) == 18
    assert all(spec.os == ("linux",) for spec in cadvisor)
    assert table["housekeeping-interval"].status == "active"
    for name in ("logtostderr", "log-dir", "alsologtostderr", "log-file", "stderrthreshold"):
        assert table[name].removed_in == (1, 26) and table[name].deprecated_in == (1, 23), name
    assert table["windows-service"].os == ("windows",)
    assert not table["windows-service"].available_on("linux")
    docker_root = table["docker-root"]
    assert docker_root.removed_in is None and docker_root.is_removed((1, 24))


def test_other_removals_in_the_window() -> None:
    table = knowledge.flag_table()
    expected = {
        "container-runtime": (1, 27),
        "azure-container-registry-config": (1, 30),
        "keep-terminated-pod-volumes": (1, 31),
        "iptables-masquerade-bit": (1, 31),
        "cloud-config": (1, 34),
        "register-schedulable": (1, 34),
        "dynamic-config-dir": (1, 24),
    }
    for name, version in expected.items():
        assert table[name].removed_in == version, name


# --------------------------------------------------------------------------- facts: feature gates


def test_kubelet_cgroup_driver_from_cri() -> None:
    gate = knowledge.feature_gates()["KubeletCgroupDriverFromCRI"]
    assert gate.default_for((1, 30)) is False
    assert gate.default_for((1, 31)) is True
    assert not gate.is_locked((1, 33)) and gate.is_locked((1, 34))
    assert gate.known_in((1, 28)) and not gate.known_in((1, 27))
    assert gate.default_for((1, 27)) is None


def test_rotate_kubelet_server_certificate() -> None:
    gate = knowledge.feature_gates()["RotateKubeletServerCertificate"]
    assert gate.default_for((1, 20)) is True
    assert gate.default_for((1, 11)) is False
    assert not gate.is_locked((1, 37))


def test_gate_names_and_removals() -> None:
    gates = knowledge.feature_gates()
    assert "CustomCPUCFSQuotaPeriod" in gates and "CPUCFSQuotaPeriod" not in gates
    assert gates["CustomCPUCFSQuotaPeriod"].default_for((1, 30)) is False
    assert gates["AppArmor"].known_in((1, 32)) and not gates["AppArmor"].known_in((1, 33))
    assert gates["MemoryManager"].is_locked((1, 32))
    assert gates["NodeSwap"].default_for((1, 29)) is False and gates["NodeSwap"].default_for((1, 30)) is True
    assert gates["LoggingBetaOptions"].default_for((1, 30)) is True
    assert gates["LoggingAlphaOptions"].default_for((1, 30)) is False
    assert gates["AllAlpha"].known_in((1, 24))
    for excluded in load("feature-gates")["coverage"]["excluded"]:
        assert excluded not in gates
    assert len(gates) > 250


@pytest.mark.parametrize(
    "name",
    [
        # kubelet-config.md section 8 and security-and-peers.md section 4.2
        "CustomCPUCFSQuotaPeriod", "GracefulNodeShutdown", "GracefulNodeShutdownBasedOnPodPriority",
        "ImageMaximumGCAge", "KubeletCrashLoopBackOffMax", "KubeletEnsureSecretPulledImages", "KubeletTracing",
        "MemoryQoS", "NodeLogQuery", "NodeSwap", "RotateKubeletServerCertificate", "CPUManagerPolicyOptions",
        "TopologyManagerPolicyOptions", "MemoryManager", "KubeletCgroupDriverFromCRI", "QOSReserved",
        "LoggingBetaOptions", "LoggingAlphaOptions",
    ],
)
def test_reference_gates_are_known_at_the_default_target(name: str) -> None:
    assert knowledge.feature_gates()[name].known_in(knowledge.default_target_version())


def test_gate_list_coverage() -> None:
    assert knowledge.feature_gate_coverage() == ((1, 31), (1, 35))
    assert knowledge.gate_list_complete_for((1, 33))
    assert not knowledge.gate_list_complete_for((1, 26))
    assert not knowledge.gate_list_complete_for((1, 37))


@given(st.integers(min_value=0, max_value=60))
def test_gate_default_is_none_exactly_when_unknown(minor: int) -> None:
    for gate in knowledge.feature_gates().values():
        version = (1, minor)
        assert (gate.default_for(version) is None) == (not gate.known_in(version))
        if gate.is_locked(version):
            assert gate.known_in(version)


# --------------------------------------------------------------------------- facts: TLS


def test_cis_strong_cipher_lists() -> None:
    strong = knowledge.cis_strong_ciphers()
    assert len(strong) == 6
    assert len(knowledge.cis_strong_ciphers("cis-1.11")) == 8
    suites = knowledge.cipher_suites()
    for name in strong:
        assert name in suites and not suites[name].insecure, name
    assert knowledge.canonical_cipher_name("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305") == (
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
    )
    assert set(knowledge.cis_strong_ciphers("cis-1.11")) - set(strong) == {
        "TLS_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_RSA_WITH_AES_128_GCM_SHA256",
    }
    with pytest.raises(ValueError, match=re.escape("cis-9.9")):
        knowledge.cis_strong_ciphers("cis-9.9")


def test_cipher_suite_names() -> None:
    suites = knowledge.cipher_suites()
    assert suites["TLS_RSA_WITH_RC4_128_SHA"].insecure
    assert suites["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"].id == 0xC02F
    assert knowledge.canonical_cipher_name("TLS_FANCY_NEW_SUITE") is None
    ids = [suite.id for suite in set(suites.values())]
    assert len(ids) == len(set(ids))
    assert list(knowledge.tls_versions()) == ["VersionTLS10", "VersionTLS11", "VersionTLS12", "VersionTLS13"]
    assert knowledge.flag_table()["tls-min-version"].values == tuple(knowledge.tls_versions())


# --------------------------------------------------------------------------- facts: eviction


def test_eviction_signals() -> None:
    signals = knowledge.eviction_signals()
    assert signals["memory.available"].supported and signals["memory.available"].condition == "MemoryPressure"
    assert signals["pid.available"].resource == "pids"
    assert signals["containerfs.available"].ignored
    assert not signals["swap.available"].supported
    assert "cpu.available" not in signals


def test_default_eviction_hard() -> None:
    old = knowledge.default_eviction_hard((1, 29))
    new = knowledge.default_eviction_hard((1, 30))
    assert "imagefs.inodesFree" not in old
    assert new == {
        "memory.available": "100Mi",
        "nodefs.available": "10%",
        "nodefs.inodesFree": "5%",
        "imagefs.available": "15%",
        "imagefs.inodesFree": "5%",
    }
    assert knowledge.default_eviction_hard((1, 37), os="windows")["memory.available"] == "500Mi"
    assert knowledge.default_eviction_hard((1, 29), os="windows")["memory.available"] == "100Mi"
    assert "nodefs.inodesFree" not in knowledge.default_eviction_hard((1, 37), os="darwin")
    new["memory.available"] = "1Gi"  # a fresh copy: the cache must not change
    assert knowledge.default_eviction_hard((1, 30))["memory.available"] == "100Mi"
    for thresholds in (old, new):
        assert all(knowledge.eviction_signals()[name].supported for name in thresholds)
    assert knowledge.merge_default_eviction_settings_since() == (1, 33)


# --------------------------------------------------------------------------- versions and CIS


def test_supported_and_default_versions() -> None:
    assert knowledge.supported_versions() == ((1, 24), (1, 37))
    assert knowledge.default_target_version() == (1, 37)
    assert knowledge.data_versions()["kubernetes"] == "1.24-1.37"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.30", (1, 30)), ("v1.24", (1, 24)), ("1.31.4", (1, 31)), ("v1.30.2-eks.1", (1, 30)), (" 1.37 ", (1, 37))],
)
def test_parse_version(text: str, expected: tuple[int, int]) -> None:
    assert knowledge.parse_version(text) == expected


@pytest.mark.parametrize("text", ["", "1", "1.", "one.two", "2.0", "1.30x", "1..30"])
def test_parse_version_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        knowledge.parse_version(text)


@given(st.integers(min_value=0, max_value=999))
def test_version_round_trip(minor: int) -> None:
    assert knowledge.parse_version(knowledge.format_version((1, minor))) == (1, minor)


def test_cis_anonymous_auth_check() -> None:
    check = knowledge.cis_check("4.2.1")
    assert check.label == "CIS 1.12 4.2.1"
    assert check.flags == ("anonymous-auth",)
    assert check.config_fields == ("authentication.anonymous.enabled",)
    assert check.expected[0].op == "equals" and check.expected[0].value is False
    assert (check.flag_default, check.config_default) == ("true", "false")
    assert check.peers.kube_bench == "4.2.1"
    assert check.peers.kubescape == ("C-0172", "C-0069")
    assert check.peers.checkov == ("CKV_K8S_138",)
    ciphers = knowledge.cis_check("4.2.12")
    assert ciphers.expected[0].op == "subset_of" and ciphers.expected[0].value == "cis-1.12"
    dropin = knowledge.cis_check("4.1.11", "cis-2.1")
    assert [cond.scope for cond in dropin.expected] == [None, "directory", "*.conf"]


def test_loaded_tables_are_read_only() -> None:
    with pytest.raises(TypeError):
        knowledge.flag_table()["made-up"] = knowledge.flag_table()["v"]  # type: ignore[index]
    with pytest.raises(TypeError):
        del knowledge.feature_gates()["NodeSwap"]  # type: ignore[attr-defined]


def test_sources_resolve() -> None:
    flag_sources = knowledge.sources("kubelet-flags")
    assert flag_sources["PR65191"].url == "https://github.com/kubernetes/kubernetes/pull/65191"
    for spec in knowledge.flag_table().values():
        assert all(key in flag_sources for key in spec.sources)
    with pytest.raises(ValueError, match="unknown data file"):
        knowledge.sources("nope")
