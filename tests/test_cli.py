"""The command line as users drive it: exit codes, settings, selection, bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kubelint.cli import main

CONFIG = """\
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
cgroupDriver: systemd
maxPod: 250
"""


def run(args: list[str], cwd: Path, stdin: str | None = None) -> tuple[int, str]:
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, args, input=stdin)
    finally:
        os.chdir(previous)
    return result.exit_code, result.output


def codes(output: str) -> list[str]:
    return [d["code"] for d in json.loads(output)["diagnostics"]]


def test_exit_status_follows_fail_on(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(CONFIG)
    status, _ = run(["check", "config.yaml", "--select", "KL011"], tmp_path)
    assert status == 1  # a warning at the default --fail-on warning
    status, _ = run(["check", "config.yaml", "--select", "KL011", "--fail-on", "error"], tmp_path)
    assert status == 0


def test_select_ignore_accept_codes_prefixes_and_names(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(CONFIG)
    _, by_name = run(["check", "config.yaml", "--select", "unknown-field", "--format", "json"], tmp_path)
    assert codes(by_name) == ["KL011"]
    _, by_prefix = run(["check", "config.yaml", "--select", "KL0", "--ignore", "KL011", "--format", "json"],
                       tmp_path)
    assert "KL011" not in codes(by_prefix)
    _, extended = run(["check", "config.yaml", "--select", "KL1", "--extend-select", "KL011", "--format", "json"],
                      tmp_path)
    assert "KL011" in codes(extended)


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(CONFIG)
    assert run(["check", "config.yaml", "--select", "KL999"], tmp_path)[0] == 2
    assert run(["check", "config.yaml", "--kubernetes-version", "1.12"], tmp_path)[0] == 2
    assert run(["check", "config.yaml", "--kubernetes-version", "banana"], tmp_path)[0] == 2
    assert run(["explain", "no-such-rule"], tmp_path)[0] == 2


def test_settings_file_is_found_walking_up_and_cli_overrides_it(tmp_path: Path) -> None:
    nested = tmp_path / "roles" / "kubelet" / "files"
    nested.mkdir(parents=True)
    (nested / "config.yaml").write_text(CONFIG)
    (tmp_path / ".kubelint.yaml").write_text("ignore: [unknown-field]\nfail-on: error\n")
    args = ["check", "roles/kubelet/files/config.yaml", "--format", "json", "--select", "KL0,KL417"]
    status, output = run(args, tmp_path)
    assert codes(output) == ["KL417"]  # KL011 ignored by the settings file; KL417 is info
    assert status == 0  # fail-on: error from the settings file
    status, output = run([*args, "--fail-on", "info"], tmp_path)
    assert status == 1  # the command line wins over the settings file


def test_pyproject_settings_and_per_file_ignores(tmp_path: Path) -> None:
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "config.yaml").write_text(CONFIG)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.kubelint]\nkubernetes-version = "1.30"\n[tool.kubelint.per-file-ignores]\n"legacy/*" = ["KL0"]\n')
    _, output = run(["check", "legacy/config.yaml", "--format", "json"], tmp_path)
    assert not [code for code in codes(output) if code.startswith("KL0")]


def test_bad_settings_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(CONFIG)
    (tmp_path / ".kubelint.yaml").write_text("selec: [ALL]\n")
    status, output = run(["check", "config.yaml"], tmp_path)
    assert status == 2 and "unknown setting" in output


def test_stdin_takes_its_kind_from_the_given_name(tmp_path: Path) -> None:
    status, output = run(["check", "-", "--stdin-filename", "var/lib/kubelet/config.yaml", "--format", "json",
                          "--select", "KL009"], tmp_path, stdin="maxPods: 5\n")
    assert status == 1
    assert codes(output) == ["KL009", "KL009"]  # apiVersion and kind are missing


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlink_loop_is_a_diagnostic_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    status, output = run(["check", "a.yaml", "--no-color"], tmp_path)
    assert status == 1
    assert "KL001" in output and "symlink loop" in output
    assert "Traceback" not in output


def test_a_config_dir_dropin_alone_is_not_judged_on_defaults(tmp_path: Path) -> None:
    dropins = tmp_path / "etc" / "kubernetes" / "kubelet.conf.d"
    dropins.mkdir(parents=True)
    (dropins / "10-pods.conf").write_text(
        "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nmaxPods: 250\n")
    status, output = run(["check", "etc", "--format", "json"], tmp_path)
    assert status == 0, output
    assert codes(output) == []


def test_a_rule_bug_is_reported_not_raised(tmp_path: Path) -> None:
    from kubelint import engine

    def broken(_view: object) -> list[object]:
        raise ValueError("boom")

    # every caller shares the cached Rule objects, so swapping one check reaches them all
    rules = [rule for rule in (*engine.indexed_rules(), *engine.all_rules()) if rule.code == "KL101"]
    originals = [rule.check for rule in rules]
    for rule in rules:
        object.__setattr__(rule, "check", broken)
    engine._SCOPED.clear()  # the engine keeps the checks it resolved: rules are meant to be immutable
    try:
        (tmp_path / "config.yaml").write_text(CONFIG)
        status, output = run(["check", "config.yaml", "--no-color"], tmp_path)
    finally:
        for rule, check in zip(rules, originals, strict=True):
            object.__setattr__(rule, "check", check)
        engine._SCOPED.clear()
    assert "KL099" in output and "boom" in output
    assert "Traceback" not in output
    assert status == 2


def test_rules_and_explain_read_the_docstrings(tmp_path: Path) -> None:
    status, output = run(["rules", "--format", "json"], tmp_path)
    assert status == 0
    rules = json.loads(output)["rules"]
    by_code = {rule["code"]: rule for rule in rules}
    assert by_code["KL101"]["name"] == "image-gc-thresholds"
    assert {"code", "name", "family", "severity", "fixable", "summary", "cis"} <= set(by_code["KL401"])
    assert "4.2.1" in by_code["KL401"]["cis"]
    status, text = run(["explain", "image-gc-thresholds"], tmp_path)
    assert status == 0 and "Fails:" in text and "Passes:" in text and text.startswith("KL101")
