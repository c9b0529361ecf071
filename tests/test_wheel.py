"""The built wheel carries rules/ and schemas/ and works from any directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(REPO)],
        capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stderr
    (found,) = out.glob("kubelint-*.whl")
    return found


def test_wheel_contains_the_data_the_rules_read(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("kubelint/data/rules/kubelet-flags.yaml", "kubelint/data/rules/feature-gates.yaml",
                     "kubelint/data/schemas/kubelet-config.schema.json", "kubelint/cli.py"):
        assert required in names, f"{required} is missing from the wheel"


def test_installed_wheel_runs_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    # A fresh venv that borrows this environment's dependencies through a
    # plain path entry (its .pth files, such as an editable kubelint, are not
    # processed there) and gets its own kubelint from the wheel.
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site_packages = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   capture_output=True, text=True, check=True).stdout.strip()
    Path(site_packages, "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(REPO / "examples/files/kubelet-config-gc-eviction.yaml", elsewhere / "config.yaml")
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    where = subprocess.run([str(python), "-c", "import kubelint; print(kubelint.__file__)"],
                           cwd=elsewhere, capture_output=True, text=True, env=environment, timeout=60)
    assert where.returncode == 0, where.stderr
    assert str(env_dir) in where.stdout, f"kubelint was imported from {where.stdout.strip()}, not the wheel"
    # an installed package trusts the snapshots it ships (no hashing of its
    # sources at every start), and its rule index is the whole rule set
    trusted = subprocess.run([str(python), "-c", "from kubelint import engine, snapshots; print("
                              "snapshots.sources_may_change(), [r.code for r in engine.indexed_rules()] == "
                              "[r.code for r in engine.all_rules()])"],
                             cwd=elsewhere, capture_output=True, text=True, env=environment, timeout=60)
    assert trusted.stdout.split() == ["False", "True"], trusted.stderr
    kubelint = env_dir / "bin" / "kubelint"
    rules = subprocess.run([str(kubelint), "rules", "--format", "json"], cwd=elsewhere,
                           capture_output=True, text=True, env=environment, timeout=120)
    assert rules.returncode == 0, rules.stderr
    assert len(json.loads(rules.stdout)["rules"]) > 50
    checked = subprocess.run([str(kubelint), "check", "config.yaml", "--format", "json"], cwd=elsewhere,
                             capture_output=True, text=True, env=environment, timeout=120)
    assert checked.returncode == 1, checked.stderr
    report = json.loads(checked.stdout)
    assert report["diagnostics"] and all(d["path"] == "config.yaml" for d in report["diagnostics"])
    schema = subprocess.run([str(kubelint), "schema", "kubelet-config"], cwd=elsewhere,
                            capture_output=True, text=True, env=environment, timeout=120)
    assert schema.returncode == 0 and json.loads(schema.stdout)["title"]


def test_a_source_checkout_checks_its_snapshots() -> None:
    from kubelint import snapshots

    assert snapshots.sources_may_change()
