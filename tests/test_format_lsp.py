"""``--format lsp``: LSP ``Diagnostic`` objects per file URI, 0-based, UTF-16 columns."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from kubelint.diagnostics import Span
from kubelint.formatters.lsp import character, span_to_range

REPO = Path(__file__).resolve().parent.parent
BAD = """\
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# 🚀 fast nodes
maxPod: 250
imageGCHighThresholdPercent: 80
"""


def run_kubelint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "kubelint.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_lsp_json(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "clean.yaml").write_text("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n",
                                         encoding="utf-8")
    done = run_kubelint("check", "bad.yaml", "clean.yaml", "--format", "lsp", "--select", "KL0,KL1", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    payload: list[dict[str, Any]] = json.loads(done.stdout)
    by_uri = {entry["uri"]: entry["diagnostics"] for entry in payload}
    bad_uri = (tmp_path / "bad.yaml").as_uri()
    assert set(by_uri) == {bad_uri, (tmp_path / "clean.yaml").as_uri()}
    assert by_uri[(tmp_path / "clean.yaml").as_uri()] == []
    found = {d["code"]: d for d in by_uri[bad_uri]}
    unknown = found["KL011"]
    assert unknown["range"] == {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 6}}
    assert unknown["severity"] == 2
    assert unknown["source"] == "kubelint"
    assert unknown["codeDescription"]["href"].endswith("docs/rules.md#kl011")
    assert unknown["data"]["fix"]["applicability"] == "safe"
    assert unknown["data"]["fix"]["edits"][0] == {
        "kind": "yaml", "path": "bad.yaml", "document": 0, "key_path": ["maxPod"], "op": "rename",
        "value": None, "new_key": "maxPods",
    }
    gc = found["KL101"]
    assert gc["severity"] == 1
    assert gc["range"]["start"] == {"line": 4, "character": 29}
    for related in gc.get("relatedInformation", []):
        assert related["location"]["uri"] == bad_uri


def test_columns_count_utf16_code_units() -> None:
    line = "a🚀b: 1"
    # 'b' is code point column 3; the rocket before it takes two UTF-16 units
    # (four UTF-8 bytes), so LSP's default encoding puts 'b' at character 3
    assert character(line, 2) == 1
    assert character(line, 3) == 3
    assert character(line, 3, "utf-32") == 2
    assert character(line, 3, "utf-8") == 5
    assert character(None, 7) == 6
    lines = ["# 🚀 x: 1"]
    assert span_to_range(Span(1, 5, 1, 6), lines) == {"start": {"line": 0, "character": 5},
                                                      "end": {"line": 0, "character": 6}}
