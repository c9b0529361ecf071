"""The pre-commit hooks, run by pre-commit itself against a snapshot of this repository.

Slow-ish: pre-commit builds kubelint into its own virtualenv (pip from the
package index) the first time; later runs reuse it through the shared
PRE_COMMIT_HOME of the session.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
HOOKS = REPO / ".pre-commit-hooks.yaml"

BAD = """\
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxPod: 250
"""
GOOD = """\
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxPods: 250
"""


def _pre_commit() -> list[str] | None:
    venv = Path(sys.executable).parent / "pre-commit"
    if venv.exists():
        return [str(venv)]
    found = shutil.which("pre-commit")
    return [found] if found else None


def test_hook_definitions() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    assert set(hooks) == {"kubelint", "kubelint-fix"}
    assert hooks["kubelint"]["entry"].startswith("kubelint check")
    assert hooks["kubelint-fix"]["entry"].startswith("kubelint check --fix")
    assert all(hook["language"] == "python" for hook in hooks.values())
    files = re.compile(hooks["kubelint"]["files"])
    caught = [
        "var/lib/kubelet/config.yaml", "etc/kubernetes/kubelet.conf", "etc/kubernetes/admin.conf",
        "etc/kubernetes/kubelet.conf.d/20-tuning.conf", "lib/systemd/system/kubelet.service",
        "etc/systemd/system/kubelet.service.d/10-kubeadm.conf", "var/lib/kubelet/kubeadm-flags.env",
        "etc/default/kubelet", "etc/sysconfig/kubelet", "etc/containerd/config.toml",
        "etc/crio/crio.conf", "etc/crio/crio.conf.d/02-cgroup-manager.conf", "etc/docker/daemon.json",
        "clusters/prod/kubelet-config.yaml", "nodes/worker-1.kubeconfig",
    ]
    missed = [path for path in caught if not files.search(path)]
    assert not missed
    ignored = ["src/app.py", "README.md", "deploy/deployment.yaml", "charts/values.yaml"]
    assert [path for path in ignored if files.search(path)] == []


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This working tree (tracked and untracked, not ignored) as a one-commit repository."""
    if shutil.which("git") is None or _pre_commit() is None:
        pytest.skip("needs git and pre-commit on PATH")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    snapshot = tmp_path_factory.mktemp("kubelint-src")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file() and not name.startswith(("tests/", "benchmarks/")):
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(snapshot, "init", "-q")
    git(snapshot, "add", ".")
    git(snapshot, "commit", "-q", "-m", "snapshot")
    rev = git(snapshot, "rev-parse", "HEAD").strip()
    return snapshot, rev


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=True).stdout


def try_repo(project: Path, hook_repo: tuple[Path, str], hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    command = _pre_commit()
    assert command is not None
    source, rev = hook_repo
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("GITHUB_ACTIONS", None)
    env.pop("PYTHONPATH", None)  # the hook must run the kubelint pre-commit installed, not this tree
    return subprocess.run([*command, "try-repo", str(source), hook, "--ref", rev, "--color", "never"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=900, check=False)


def test_hook_fails_on_a_bad_config_and_passes_on_a_good_one(
        tmp_path: Path, hook_repo: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> None:
    home = tmp_path_factory.getbasetemp() / "pre-commit-home"
    project = tmp_path / "infra"
    (project / "var" / "lib" / "kubelet").mkdir(parents=True)
    git(project, "init", "-q")
    # the project's settings keep the verdict to the input rules, so that the
    # "good" config stays good while colleagues add security advice
    (project / ".kubelint.yaml").write_text("select: [KL0]\n", encoding="utf-8")
    config = project / "var" / "lib" / "kubelet" / "config.yaml"
    # matched by the hook's file pattern, but content detection says it is not ours
    (project / "app").mkdir()
    (project / "app" / "config.yaml").write_text("name: shop\nreplicas: 3\n", encoding="utf-8")
    config.write_text(BAD, encoding="utf-8")
    git(project, "add", ".")  # pre-commit runs on what is staged, as at commit time

    failed = try_repo(project, hook_repo, "kubelint", home)
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "var/lib/kubelet/config.yaml:3:1: KL011 [unknown-field]" in output
    assert "app/config.yaml" not in output

    config.write_text(GOOD, encoding="utf-8")
    git(project, "add", ".")
    passed = try_repo(project, hook_repo, "kubelint", home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
    git(project, "commit", "-q", "-m", "node config")


def test_fix_hook_rewrites_the_staged_config(
        tmp_path: Path, hook_repo: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> None:
    source, _ = hook_repo
    if not (source / "kubelint" / "fix.py").exists():
        pytest.skip("kubelint.fix is not in this tree yet; --fix cannot run")
    home = tmp_path_factory.getbasetemp() / "pre-commit-home"
    project = tmp_path / "infra"
    project.mkdir()
    git(project, "init", "-q")
    (project / ".kubelint.yaml").write_text("select: [KL0]\n", encoding="utf-8")
    config = project / "config.yaml"
    config.write_text(BAD, encoding="utf-8")
    git(project, "add", ".")
    fixed = try_repo(project, hook_repo, "kubelint-fix", home)
    # pre-commit fails a hook that changed files, so the user reviews the fix
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    assert "files were modified by this hook" in fixed.stdout
    assert config.read_text(encoding="utf-8") == GOOD
