"""What a cold ``kubelint check`` imports, and the snapshots that keep it small.

Each check runs ``kubelint check`` in a fresh interpreter and inspects
``sys.modules`` at exit: a module that is not imported costs nothing, while
wall-clock timings in unit tests would be noise on a shared machine (the
benchmarks in ``benchmarks/run.py`` measure time, as ratios).

What is realistic to keep out, by file kind:

- every file kind: the language server (pygls, lsprotocol), the fixer's
  ruamel.yaml, jsonschema (schemas are for ``kubelint schema`` and tests),
  multiprocessing (one file is linted in-process);
- a kubelet config or a /configz dump: also pydantic (a config that decodes
  cleanly goes through ``kubelint.models.kubelet_fields``), tomllib (no
  runtime config), the kubeconfig model, the node machinery (units, flags),
  and every rule module outside its scopes;
- a systemd unit or an env file: pydantic model modules (the command line
  becomes a kubelet view through the same pydantic-free decoder); the
  kubeconfig rules;
- a kubeconfig needs pydantic: its model decodes it (not checked here).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kubelint import snapshots

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"

_PROBE = textwrap.dedent(
    """
    import json, sys
    from kubelint.cli import main
    try:
        main(sys.argv[1:], standalone_mode=False)
        status = 0
    except SystemExit as exit:
        status = exit.code
    except Exception as error:  # the assertion below shows it
        status = repr(error)
    json.dump({"status": status, "modules": sorted(sys.modules)}, sys.__stderr__)
    """
)

NEVER = ("ruamel", "pygls", "lsprotocol", "jsonschema", "multiprocessing", "concurrent.futures")


@pytest.fixture(scope="module")
def snapshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Snapshots of the tree as it is now: colleagues' rule edits must not
    make these tests measure the slow path (test_snapshots_are_current
    reports a stale checked-in snapshot on its own)."""
    directory = tmp_path_factory.mktemp("snapshots")
    snapshots.write(directory)
    return directory


def _imports(*args: str, snapshot_dir: Path | None = None) -> tuple[object, set[str]]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    env.pop("KUBELINT_NO_SNAPSHOTS", None)
    if snapshot_dir is not None:
        env["KUBELINT_SNAPSHOT_DIR"] = str(snapshot_dir)
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=120, check=False)
    payload = json.loads(done.stderr.strip().splitlines()[-1])
    return payload["status"], set(payload["modules"])


def _loaded(modules: set[str], prefix: str) -> list[str]:
    return sorted(name for name in modules if name == prefix or name.startswith(prefix + "."))


def test_snapshots_are_current() -> None:
    stale = snapshots.stale()
    assert not stale, f"stale snapshots {stale}; regenerate with: python -m kubelint.snapshots --write"


def test_kubelet_config_imports_little(snapshot_dir: Path) -> None:
    status, modules = _imports("check", "-q", str(EXAMPLES / "files" / "kubelet-config-clean.yaml"),
                               snapshot_dir=snapshot_dir)
    assert status == 0
    for prefix in (*NEVER, "pydantic", "tomllib", "kubelint.models.kubelet_config", "kubelint.models.kubeconfig",
                   "kubelint.node", "kubelint.systemd_resolve", "kubelint.loaders.runtime", "kubelint.fix",
                   "kubelint.fix_yaml", "kubelint.lsp", "kubelint.schemas", "kubelint.rules.kubeconfig",
                   "kubelint.rules.node", *ONE_FILE_NEVER):
        assert not _loaded(modules, prefix), f"{prefix} imported to lint one kubelet config"


def test_configz_dump_imports_no_pydantic(tmp_path: Path, snapshot_dir: Path) -> None:
    dump = tmp_path / "worker-1.json"
    dump.write_text(json.dumps({"kubeletconfig": {"port": 10250, "readOnlyPort": 0, "cgroupDriver": "systemd"}}))
    status, modules = _imports("check", "-q", str(dump), snapshot_dir=snapshot_dir)
    assert status in (0, 1)
    for prefix in (*NEVER, "pydantic", "tomllib", "kubelint.models.kubeconfig"):
        assert not _loaded(modules, prefix), f"{prefix} imported to lint a /configz dump"


@pytest.mark.parametrize("relative", [
    "kubeadm-node/etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
    "kubeadm-node/var/lib/kubelet/kubeadm-flags.env",
])
def test_unit_and_env_files_import_no_models(relative: str, tmp_path: Path, snapshot_dir: Path) -> None:
    # copied out of the node tree: linted as a loose file, not as part of a node
    target = tmp_path / "kubelet.service.d" / Path(relative).name
    target.parent.mkdir()
    target.write_text((EXAMPLES / relative).read_text())
    status, modules = _imports("check", "-q", str(target), snapshot_dir=snapshot_dir)
    assert status in (0, 1)
    for prefix in (*NEVER, "pydantic", "kubelint.models.kubelet_config", "kubelint.models.kubeconfig",
                   "kubelint.rules.kubeconfig"):
        assert not _loaded(modules, prefix), f"{prefix} imported to lint {relative}"


def test_kubeconfig_imports_no_lsp_or_fixer(snapshot_dir: Path) -> None:
    status, modules = _imports("check", "-q", str(EXAMPLES / "files" / "kubeconfig-kubelet-clean.conf"),
                               snapshot_dir=snapshot_dir)
    assert status in (0, 1)
    for prefix in (*NEVER, "kubelint.rules.node", "kubelint.models.kubelet_config"):
        assert not _loaded(modules, prefix), f"{prefix} imported to lint a kubeconfig"


def test_fix_with_nothing_to_fix_never_loads_ruamel(tmp_path: Path, snapshot_dir: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text((EXAMPLES / "files" / "kubelet-config-clean.yaml").read_text())
    before = config.read_bytes()
    status, modules = _imports("check", "-q", "--fix", str(config), snapshot_dir=snapshot_dir)
    assert status == 0
    assert not _loaded(modules, "ruamel"), "--fix parsed a file that had nothing to fix"
    assert config.read_bytes() == before


# Not needed to lint one file, and each a measurable share of a cold start:
# OpenSSL's hashlib (the snapshots hash with CPython's own BLAKE2), pkgutil
# (only the slow path walks the rule packages), the other output formats,
# the rule documentation, and the show/node machinery.
ONE_FILE_NEVER = ("hashlib", "_hashlib", "pkgutil", "kubelint.ruledocs", "kubelint.show",
                  "kubelint.node_analysis", "kubelint.formatters.json", "kubelint.formatters.sarif",
                  "kubelint.formatters.junit", "kubelint.formatters.github", "kubelint.formatters.lsp")


def test_kubelet_config_defines_no_dataclass_on_the_hot_path(snapshot_dir: Path) -> None:
    """Python 3.11 compiles a dataclass's methods at import (~1 ms each): the
    records a one-file check defines are ``kubelint.records`` classes. Only the
    command line's request (``dataclasses.replace`` is part of its API) is left.
    difflib is for near-miss suggestions only (no ``-q`` here: click imports
    difflib to suggest a long option whenever it parses a short one)."""
    probe = textwrap.dedent(
        """
        import dataclasses, json, sys
        made = []
        original = dataclasses._process_class
        def spy(cls, *args, **kwargs):
            made.append(f"{cls.__module__}.{cls.__qualname__}")
            return original(cls, *args, **kwargs)
        dataclasses._process_class = spy
        from kubelint.cli import main
        try:
            main(sys.argv[1:], standalone_mode=False)
        except SystemExit:
            pass
        json.dump({"made": made, "modules": sorted(sys.modules)}, sys.__stderr__)
        """
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    env.pop("KUBELINT_NO_SNAPSHOTS", None)
    env["KUBELINT_SNAPSHOT_DIR"] = str(snapshot_dir)
    done = subprocess.run([sys.executable, "-c", probe, "check", str(EXAMPLES / "files" / "kubelet-config-clean.yaml")],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=120, check=False)
    payload = json.loads(done.stderr.strip().splitlines()[-1])
    assert payload["made"] == ["kubelint.cli.LintRequest"]
    assert not _loaded(set(payload["modules"]), "difflib")
