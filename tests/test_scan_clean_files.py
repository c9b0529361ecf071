"""How a scan stays flat in memory and spreads its work: clean files are
counted instead of kept (yet every output still reports them), and many node
trees are linted in worker processes with the same report as in one."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml
from click.testing import CliRunner

from kubelint import knowledge
from kubelint.analysis import Options
from kubelint.cli import main
from kubelint.scan import scan

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "files"
CLEAN = EXAMPLES / "kubelet-config-clean.yaml"
INSECURE = EXAMPLES / "kubelet-config-insecure.yaml"


def _tree(tmp_path: Path, clean: int) -> Path:
    for index in range(clean):
        directory = tmp_path / "configs" / f"d{index % 3}"
        directory.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CLEAN, directory / f"clean-{index:02d}.yaml")
    shutil.copyfile(INSECURE, tmp_path / "configs" / "d1" / "insecure.yaml")
    return tmp_path / "configs"


def _options() -> Options:
    return Options(version=knowledge.default_target_version())


def test_clean_files_are_counted_not_kept(tmp_path: Path) -> None:
    tree = _tree(tmp_path, 12)
    listed = scan([tree], _options(), 1, progress=False)
    counted = scan([tree], _options(), 1, progress=False, list_clean_files=False)
    assert listed.files_checked == counted.files_checked == 13
    assert [r.display for r in counted.files] == [r.display for r in listed.files if r.diagnostics]
    assert counted.unlisted_clean_files == 12
    assert counted.diagnostics == listed.diagnostics


def test_counted_clean_files_in_text_and_json_summaries(tmp_path: Path) -> None:
    tree = _tree(tmp_path, 5)
    text = CliRunner().invoke(main, ["check", "--jobs", "1", str(tree)])
    assert "in 6 files checked" in text.output.replace("\n", " ")
    payload = json.loads(CliRunner().invoke(main, ["check", "--format", "json", str(tree)]).output)
    assert payload["summary"]["files"] == 6


def test_junit_still_names_every_clean_file(tmp_path: Path) -> None:
    tree = _tree(tmp_path, 4)
    result = CliRunner().invoke(main, ["check", "--format", "junit", str(tree)])
    suites = {suite.get("name") for suite in ET.fromstring(result.output).iter("testsuite")}
    assert sum(1 for name in suites if name and "clean-" in name) == 4


def test_clean_configz_dumps_stay_rows_of_the_fleet_table(tmp_path: Path) -> None:
    fleet = tmp_path / "fleet"
    fleet.mkdir()
    shutil.copyfile(EXAMPLES.parent / "configz" / "node-a.json", fleet / "node-a.json")
    config = yaml.safe_load(CLEAN.read_text(encoding="utf-8"))
    del config["apiVersion"], config["kind"]
    config["streamingConnectionIdleTimeout"] = "5m0s"
    (fleet / "node-b.json").write_text(json.dumps({"kubeletconfig": config}, indent=2), encoding="utf-8")
    counted = scan([fleet], _options(), 1, progress=False, list_clean_files=False)
    clean = [result for result in counted.files if not result.diagnostics]
    assert [Path(result.display).name for result in clean] == ["node-b.json"]
    assert counted.unlisted_clean_files == 0
    table = CliRunner().invoke(main, ["check", str(fleet)]).output
    assert "Fleet: 2 nodes" in table and "node-b" in table


def test_many_node_trees_in_worker_processes_report_as_in_one(tmp_path: Path) -> None:
    from kubelint.scan import PARALLEL_ROOTS

    examples = EXAMPLES.parent
    for index in range(PARALLEL_ROOTS):
        source = ("kubeadm-node", "binary-install-node")[index % 2]
        shutil.copytree(examples / source, tmp_path / "images" / f"node-{index}", symlinks=True)
    serial = scan([tmp_path / "images"], _options(), 1, progress=False)
    parallel = scan([tmp_path / "images"], _options(), 2, progress=False)
    assert serial.diagnostics and parallel.diagnostics == serial.diagnostics
    assert sorted(r.display for r in parallel.files) == sorted(r.display for r in serial.files)
