"""Broken node trees through the CLI: exit 1 or 2, a clear diagnostic, never a traceback.

Every case starts from a copy of ``examples/kubeadm-node`` and breaks one
thing: a file that cannot be read, a dangling symlink, a symlink loop, a
symlink out of ``--root`` (not followed: a node's symlinks resolve inside its
root, as in a chroot, and one that climbs above it is reported), a directory
where a file is expected, a unit file that is a directory.

The last test runs kubelint under a Python audit hook: linting a node never
starts a process, never opens a socket, and opens no file outside the root
it was given (besides Python's and kubelint's own), even when the unit names
the host's /etc/passwd as its EnvironmentFile.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from kubelint.cli import main

REPO = Path(__file__).resolve().parent.parent
NODE = REPO / "examples" / "kubeadm-node"
DROPIN = "etc/systemd/system/kubelet.service.d/10-kubeadm.conf"


@pytest.fixture
def node(tmp_path: Path) -> Path:
    root = tmp_path / "node"
    shutil.copytree(NODE, root, symlinks=True)
    return root


def run(*args: str) -> tuple[int, list[dict[str, object]], str]:
    """``kubelint ARGS --format json`` in-process: (exit status, diagnostics, stderr)."""
    result = CliRunner().invoke(main, [*args, "--format", "json"], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"kubelint raised {result.exception!r}") from result.exception
    assert "Traceback" not in result.output
    assert result.exit_code in (1, 2), (result.exit_code, result.output[-2000:])
    stdout = result.stdout
    diagnostics = list(json.loads(stdout)["diagnostics"]) if stdout.strip().startswith("{") else []
    return result.exit_code, diagnostics, result.stderr


def find(diagnostics: list[dict[str, object]], code: str, *words: str) -> dict[str, object]:
    for diagnostic in diagnostics:
        if diagnostic["code"] == code and all(word in str(diagnostic["message"]) for word in words):
            return diagnostic
    shown = "\n".join(f"{d['code']} {d['path']}:{d['line']} {d['message']}" for d in diagnostics)
    raise AssertionError(f"no {code} with {words} among:\n{shown}")


def both_commands(root: Path) -> list[tuple[int, list[dict[str, object]], str]]:
    """``kubelint node --root`` and ``kubelint check`` (which finds the node tree itself)."""
    return [run("node", "--root", str(root)), run("check", str(root))]


def _replace_with_symlink(path: Path, target: str) -> None:
    path.unlink()
    path.symlink_to(target)


# ------------------------------------------------------------------ files that are not there


def test_dangling_config_symlink(node: Path) -> None:
    _replace_with_symlink(node / "var/lib/kubelet/config.yaml", "/var/lib/kubelet/config-1.30.yaml")
    for _, diagnostics, _ in both_commands(node):
        find(diagnostics, "KL708", "/var/lib/kubelet/config.yaml", "does not exist")


def test_symlink_loop_instead_of_the_config(node: Path) -> None:
    config = node / "var/lib/kubelet/config.yaml"
    config.unlink()
    (node / "var/lib/kubelet/a.yaml").symlink_to("b.yaml")
    (node / "var/lib/kubelet/b.yaml").symlink_to("a.yaml")
    config.symlink_to("a.yaml")
    for _, diagnostics, _ in both_commands(node):
        finding = find(diagnostics, "KL708", "/var/lib/kubelet/config.yaml")
        assert "loop" in str(finding["message"]) or "does not exist" in str(finding["message"])


def test_loose_dangling_symlink_and_loop(tmp_path: Path) -> None:
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    status, diagnostics, _ = run("check", str(tmp_path / "gone.yaml"), str(tmp_path / "loop.yaml"))
    find(diagnostics, "KL001", "no such file")
    find(diagnostics, "KL001", "symlink loop")
    assert status == 1


# ------------------------------------------------------------------ symlinks that leave the root


def test_env_file_symlink_climbing_out_of_the_root_is_not_followed(node: Path) -> None:
    _replace_with_symlink(node / "etc/default/kubelet", "../" * 12 + "etc/hostname")
    for _, diagnostics, _ in both_commands(node):
        finding = find(diagnostics, "KL704", "climbs above the node root", "not followed")
        assert finding["path"] == str(node / DROPIN)


def test_absolute_symlink_resolves_inside_the_root(node: Path) -> None:
    # /etc/passwd on the node is <root>/etc/passwd, never the host's
    _replace_with_symlink(node / "var/lib/kubelet/config.yaml", "/etc/passwd")
    for _, diagnostics, _ in both_commands(node):
        find(diagnostics, "KL708", "does not exist under the node root")


# ------------------------------------------------------------------ wrong kind of file


def test_directory_where_the_config_file_should_be(node: Path) -> None:
    config = node / "var/lib/kubelet/config.yaml"
    config.unlink()
    config.mkdir()
    (config / "inner.yaml").write_text("port: 1\n")
    for _, diagnostics, _ in both_commands(node):
        assert any(d["code"] in ("KL708", "KL001") and "config.yaml" in str(d["message"]) for d in diagnostics)


def test_unit_file_that_is_a_directory(node: Path) -> None:
    unit = node / "lib/systemd/system/kubelet.service"
    unit.unlink()
    unit.mkdir()
    for _, diagnostics, _ in both_commands(node):
        find(diagnostics, "KL001", "kubelet.service is a directory")
        find(diagnostics, "KL706", "kubelet.service not found")


def test_dropin_and_env_file_that_are_directories(node: Path) -> None:
    for relative in (DROPIN, "var/lib/kubelet/kubeadm-flags.env"):
        (node / relative).unlink()
        (node / relative).mkdir()
    status, diagnostics, _ = run("node", "--root", str(node))
    assert diagnostics, "a node whose drop-in is a directory still gets a report"
    assert status in (1, 2)


def test_loose_directory_named_like_a_file(tmp_path: Path) -> None:
    # not an error for ``check``: a directory given on the command line is walked
    (tmp_path / "config.yaml").mkdir()
    result = CliRunner().invoke(main, ["check", str(tmp_path / "config.yaml")])
    assert result.exit_code == 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


def test_root_that_is_not_a_directory(tmp_path: Path) -> None:
    file = tmp_path / "file"
    file.write_text("x")
    result = CliRunner().invoke(main, ["node", "--root", str(file)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# ------------------------------------------------------------------ permissions


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads mode 000 files anyway")
@pytest.mark.parametrize("relative", ["var/lib/kubelet/config.yaml", "var/lib/kubelet/kubeadm-flags.env", DROPIN,
                                      "etc/kubernetes/kubelet.conf"])
def test_unreadable_files(node: Path, relative: str) -> None:
    target = node / relative
    target.chmod(0)
    try:
        for _, diagnostics, _ in both_commands(node):
            assert any("permission denied" in str(d["message"]).lower() or "cannot be read" in str(d["message"])
                       for d in diagnostics), diagnostics
    finally:
        target.chmod(0o644)


def test_unreadable_loose_file(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n")
    config.chmod(0)
    try:
        _, diagnostics, _ = run("check", str(config))
        if os.geteuid() != 0:
            find(diagnostics, "KL001", "permission denied")
    finally:
        config.chmod(0o644)


# ------------------------------------------------------------------ nothing executed, no network, nothing outside


_AUDITED = textwrap.dedent(
    """
    import json, os, sys
    events = []
    def hook(event, args):
        if event == "open":
            path = args[0]
            if isinstance(path, bytes):
                path = os.fsdecode(path)
            if isinstance(path, str):
                events.append(["open", os.path.abspath(path)])
        elif event in ("os.listdir", "os.scandir"):
            path = args[0]
            if isinstance(path, (str, bytes)):
                events.append([event, os.path.abspath(os.fsdecode(path))])
        elif event.startswith(("subprocess.", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.system",
                               "pty.", "socket.", "urllib.", "http.", "ctypes.dlopen", "webbrowser")):
            events.append([event, repr(args)[:200]])
    sys.addaudithook(hook)
    report = sys.argv.pop(1)
    from kubelint.cli import main
    try:
        main(sys.argv[1:], standalone_mode=False)
        status = 0
    except SystemExit as exit:
        status = exit.code
    with open(report, "w") as handle:
        json.dump({"status": status, "events": events}, handle)
    """
)


def _allowed_prefixes(extra: list[Path]) -> list[str]:
    import kubelint

    places = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.__file__),
              str(Path(kubelint.__file__).resolve().parent), str(REPO / "rules"), str(REPO / "schemas"), "/dev/null",
              os.environ.get("PYTHONPYCACHEPREFIX") or "/nonexistent-prefix", *map(str, extra)}
    return sorted(os.path.realpath(place) for place in places)


def _outside(events: list[list[str]], allowed: list[str], import_dirs: list[str]) -> list[str]:
    """Files opened (or directories listed) outside ``allowed``. Python's import
    system lists the directories on sys.path (the current one, PYTHONPATH):
    those listings are not reads of node data."""
    def inside(path: str) -> bool:
        real = os.path.realpath(path)
        return any(real == place or real.startswith(place.rstrip("/") + "/") for place in allowed)

    return [f"{kind} {path}" for kind, path in events
            if (kind == "open" and not inside(path))
            or (kind in ("os.listdir", "os.scandir") and not inside(path) and os.path.realpath(path) not in import_dirs)]


@pytest.mark.parametrize("command", ["node", "check"])
def test_nothing_executed_no_network_nothing_read_outside_the_root(node: Path, tmp_path: Path,
                                                                    command: str) -> None:
    (node / DROPIN).write_text((node / DROPIN).read_text().replace(
        "EnvironmentFile=-/etc/default/kubelet",
        "EnvironmentFile=/etc/passwd\nEnvironmentFile=-/etc/default/kubelet\nEnvironmentFile=-../../../../etc/shadow"))
    # a host path the node must never reach, even through a symlink
    _replace_with_symlink(node / "etc/default/kubelet", "../" * 12 + "etc/passwd")
    report = tmp_path / "audit.json"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    args = ["node", "--root", str(node)] if command == "node" else ["check", str(node)]
    done = subprocess.run([sys.executable, "-c", _AUDITED, str(report), *args, "--format", "json"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    audit = json.loads(report.read_text())
    assert audit["status"] in (1, 2)
    events: list[list[str]] = audit["events"]
    executed = [event for event in events if event[0] not in ("open", "os.listdir", "os.scandir")]
    assert not executed, executed
    outside = _outside(events, _allowed_prefixes([node, report]),
                       [os.path.realpath(tmp_path), os.path.realpath(REPO)])
    assert not outside, "read outside the node root:\n" + "\n".join(outside)
    assert not any(path in ("/etc/passwd", "/etc/shadow") for _, path in events)
    diagnostics = json.loads(done.stdout)["diagnostics"]
    find(diagnostics, "KL704", "/etc/passwd")


def test_audit_hook_sees_reads(tmp_path: Path) -> None:
    """The audit test above would pass vacuously if the hook saw nothing."""
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    script = _AUDITED.replace("from kubelint.cli import main", "open(sys.argv[1]).read()\nmain = lambda *a, **k: 0")
    report = tmp_path / "audit.json"
    subprocess.run([sys.executable, "-c", script, str(report), str(outside)], check=True, cwd=tmp_path, timeout=60)
    events = json.loads(report.read_text())["events"]
    assert ["open", str(outside)] in events

