"""Golden tests of the text and JSON output, and secrets in every format.

Regenerate the golden files after an intended change of wording with
``KUBELINT_UPDATE_GOLDEN=1 python -m pytest tests/test_output_golden.py``
and review the diff.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kubelint.cli import main

DATA = Path(__file__).resolve().parent / "data"
GOLDEN = DATA / "golden"
# A fixed selection keeps the goldens about the output format, not about
# every rule that is added later.
SELECT = "KL010,KL011,KL101,KL105"


def run(args: list[str], cwd: Path) -> tuple[int, str]:
    runner = CliRunner()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(previous)
    return result.exit_code, result.output


def compare(name: str, actual: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("KUBELINT_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"missing golden file {golden}; run with KUBELINT_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


def test_text_output_matches_golden(tmp_path: Path) -> None:
    shutil.copy(GOLDEN / "config.yaml", tmp_path / "config.yaml")
    code, output = run(["check", "config.yaml", "--select", SELECT, "--no-color", "--kubernetes-version", "1.33"],
                       tmp_path)
    assert code == 1
    compare("config.text", output)


def test_json_output_matches_golden_and_schema(tmp_path: Path) -> None:
    shutil.copy(GOLDEN / "config.yaml", tmp_path / "config.yaml")
    code, output = run(["check", "config.yaml", "--select", SELECT, "--format", "json",
                        "--kubernetes-version", "1.33"], tmp_path)
    assert code == 1
    payload = json.loads(output)
    assert payload["version"] == 1
    required = {"path", "line", "column", "end_line", "end_column", "code", "name", "severity", "message",
                "fix", "related"}
    for diagnostic in payload["diagnostics"]:
        assert required <= set(diagnostic)
        assert diagnostic["severity"] in ("error", "warning", "info")
        assert diagnostic["fix"] is None or diagnostic["fix"]["applicability"] in ("safe", "unsafe")
    assert payload["summary"]["diagnostics"] == len(payload["diagnostics"])
    compare("config.json", output)


def test_statistics_counts_per_rule(tmp_path: Path) -> None:
    shutil.copy(GOLDEN / "config.yaml", tmp_path / "config.yaml")
    _, output = run(["check", "config.yaml", "--select", SELECT, "--no-color", "--statistics"], tmp_path)
    assert "1  KL011  unknown-field (warning)" in output


SECRETS = ("k8s9x2.qw8e7r6t5y4u3i2o", "qw8e7r6t5y4u3i2o", "Sup3rS3cretPassw0rd", "9f8e7d6c5b4a39281706f5e4d3c2b1a0")


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "junit", "lsp"])
def test_no_secret_reaches_any_format(tmp_path: Path, output_format: str) -> None:
    for name in ("bootstrap-kubelet.conf", "kubelet.conf"):
        shutil.copy(DATA / "secrets" / name, tmp_path / name)
    code, output = run(["check", ".", "--format", output_format, "--no-color"], tmp_path)
    assert code == 1, output
    assert "KL5" in output  # the kubeconfig rules did report on these files
    for secret in SECRETS:
        assert secret not in output, f"{output_format} output leaks a secret"


def test_no_secret_in_fix_diffs(tmp_path: Path) -> None:
    for name in ("bootstrap-kubelet.conf", "kubelet.conf"):
        shutil.copy(DATA / "secrets" / name, tmp_path / name)
    _, output = run(["check", ".", "--diff", "--unsafe-fixes"], tmp_path)
    for secret in SECRETS:
        assert secret not in output
