"""What the CLI prints around the findings: progress only on a terminal, the
/configz fleet table, and neither where they would pollute a pipe or a log.

Progress is checked in real processes whose standard error is a pseudo
terminal (or a pipe): ``isatty`` cannot be faked convincingly in-process.
"""

from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kubelint.cli import main
from kubelint.parallel import PARALLEL_THRESHOLD, Progress, progress_allowed

REPO = Path(__file__).resolve().parent.parent
CONFIG = (REPO / "examples" / "files" / "kubelet-config-clean.yaml").read_text()


@pytest.fixture(scope="module")
def many_configs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("many")
    for index in range(PARALLEL_THRESHOLD + 40):
        (directory / f"config-{index:03d}.yaml").write_text(CONFIG)
    return directory


def _env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("CI", "GITHUB_ACTIONS", "KUBELINT_NO_PROGRESS", "TERM")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    env["TERM"] = "xterm"
    env.update(extra)
    return env


def _stderr_on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run kubelint with standard error on a pseudo terminal; what the terminal showed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "kubelint.cli", *args], stdout=subprocess.DEVNULL,
                               stderr=follower, stdin=subprocess.DEVNULL, env=env, cwd=REPO)
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_on_a_terminal(many_configs: Path) -> None:
    shown = _stderr_on_a_terminal(["check", "--jobs", "1", str(many_configs)], _env())
    assert f"/{PARALLEL_THRESHOLD + 40} files (" in shown
    assert "\r" in shown
    assert shown.rstrip().endswith("\x1b[K"), "the progress line is cleared at the end"


@pytest.mark.parametrize("args,env", [
    (["-q"], {}),
    ([], {"CI": "true"}),
    ([], {"GITHUB_ACTIONS": "true"}),
    ([], {"TERM": "dumb"}),
])
def test_no_progress_when_quiet_in_ci_or_on_a_dumb_terminal(many_configs: Path, args: list[str],
                                                            env: dict[str, str]) -> None:
    shown = _stderr_on_a_terminal(["check", "--jobs", "1", *args, str(many_configs)], _env(**env))
    assert "files (" not in shown and "\r" not in shown, shown[-500:]


def test_no_progress_in_a_pipe(many_configs: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "kubelint.cli", "check", "--jobs", "2", str(many_configs)],
                          capture_output=True, text=True, env=_env(), cwd=REPO, timeout=300, check=False)
    assert done.returncode in (0, 1)
    assert "\r" not in done.stderr and "files (" not in done.stderr
    assert "\r" not in done.stdout


def test_progress_meter_throttles_and_clears() -> None:
    stream = io.StringIO()
    meter = Progress(1000, stream)
    for _ in range(1000):
        meter.advance()
    meter.close()
    text = stream.getvalue()
    assert text.count("\r") <= 4, "drawn at most every 0.1 s, plus the final count and the clearing"
    assert "1000/1000 files" in text
    assert text.endswith("\r\x1b[K")


def test_progress_allowed_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("KUBELINT_NO_PROGRESS", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert progress_allowed(Terminal())
    assert not progress_allowed(io.StringIO())
    monkeypatch.setenv("CI", "1")
    assert not progress_allowed(Terminal())


# ------------------------------------------------------------------ /configz fleet table


def _dump(directory: Path, name: str, config: dict[str, object]) -> None:
    (directory / f"{name}.json").write_text(json.dumps({"kubeletconfig": config}))


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    secure = {"readOnlyPort": 0, "authentication": {"anonymous": {"enabled": False}, "webhook": {"enabled": True}},
              "authorization": {"mode": "Webhook"}, "cgroupDriver": "systemd"}
    _dump(tmp_path, "worker-a", secure)
    _dump(tmp_path, "worker-b", {**secure, "readOnlyPort": 10255})
    _dump(tmp_path, "worker-c", {**secure, "authentication": {"anonymous": {"enabled": True}},
                                 "authorization": {"mode": "AlwaysAllow"}, "imageGCHighThresholdPercent": 50,
                                 "imageGCLowThresholdPercent": 80})
    return tmp_path


def test_fleet_table_after_the_findings(fleet: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--no-color", str(fleet)])
    lines = result.output.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("Fleet: 3 nodes"))
    header = lines[start + 2].split()
    assert header[0] == "node" and header[-2:] == ["total", "errors"] and "security" in header
    rows = [line.split() for line in lines[start + 4: start + 7]]
    assert rows[0][0] == "worker-c", "the node with the most errors comes first"
    assert {row[0] for row in rows} == {"worker-a", "worker-b", "worker-c"}
    assert lines[start + 8].startswith("all nodes")
    assert result.output.rstrip().splitlines()[-1].startswith("Found ")


def test_no_fleet_table_when_quiet_in_json_or_for_one_dump(fleet: Path) -> None:
    quiet = CliRunner().invoke(main, ["check", "-q", str(fleet)])
    assert "Fleet:" not in quiet.output
    as_json = CliRunner().invoke(main, ["check", "--format", "json", str(fleet)])
    assert "Fleet:" not in as_json.output
    json.loads(as_json.output)
    one = CliRunner().invoke(main, ["check", str(fleet / "worker-b.json")])
    assert "Fleet:" not in one.output
