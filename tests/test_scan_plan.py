"""The streamed scan plan and the node-root search give what their simpler
definitions give: the same files in the same order, the same skips (files
the node pass read, symlinks out of node roots), the same roots."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kubelint import knowledge
from kubelint.analysis import Options, expand_paths
from kubelint.discover import _CANDIDATE_SUFFIXES, _SKIP_DIRS, _excluded, walk_files
from kubelint.node import find_node_roots
from kubelint.parallel import plan, real_path
from kubelint.scan import PARALLEL_ROOTS, scan

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
INSECURE = EXAMPLES / "files" / "kubelet-config-insecure.yaml"


def _options(exclude: tuple[str, ...] = ()) -> Options:
    return Options(version=knowledge.default_target_version(), exclude=exclude)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


def _walk_by_definition(directory: Path, exclude: tuple[str, ...]) -> list[tuple[str, bool]]:
    """discover.walk as it was first written, with os.walk and a Path per file."""
    found = []
    for current, dirs, files in os.walk(directory, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not _excluded(Path(current, d), exclude))
        for name in sorted(files):
            candidate = Path(current, name)
            if _excluded(candidate, exclude):
                continue
            if candidate.suffix.lower() in _CANDIDATE_SUFFIXES or name in ("kubelet", "config"):
                found.append((str(candidate), candidate.is_symlink()))
    return found


def _plan_by_definition(paths: list[Path], options: Options, skip: set[str]) -> list[tuple[str, bool]]:
    """The plan as it was first written: a Path per file, each resolved."""
    return [(str(path), explicit) for path, explicit in expand_paths(paths, options.exclude)
            if explicit or not skip or str(_resolved(path)) not in skip]


def _roots_by_definition(directory: Path) -> list[Path]:
    """find_node_roots as it was first written, with rglob."""
    roots: list[Path] = []
    candidates = ("etc/systemd/system/kubelet.service", "usr/lib/systemd/system/kubelet.service",
                  "lib/systemd/system/kubelet.service", "etc/systemd/system/kubelet.service.d",
                  "usr/lib/systemd/system/kubelet.service.d")
    for path in sorted(directory.rglob("kubelet.service*")):
        for candidate in candidates:
            text = path.as_posix()
            if text.endswith("/" + candidate):
                root = Path(text[: -len(candidate) - 1])
                if root not in roots and not any(root.is_relative_to(known) for known in roots):
                    roots.append(root)
    return roots


@pytest.fixture
def tree(tmp_path: Path) -> Iterator[Path]:
    """Node trees (one nested in another, one whose name sorts differently as
    a string and as a path), loose files, and symlinks of every sort."""
    top = tmp_path / "tree"
    shutil.copytree(EXAMPLES / "kubeadm-node", top / "a" / "node", symlinks=True)
    shutil.copytree(EXAMPLES / "kubeadm-node", top / "a-b" / "node", symlinks=True)
    shutil.copytree(EXAMPLES / "binary-install-node", top / "a" / "node" / "srv" / "inner", symlinks=True)
    shutil.copytree(EXAMPLES / "ansible-role-files", top / "loose" / "role", symlinks=True)
    shutil.copyfile(INSECURE, top / "loose" / "kubelet-config.yaml")
    shutil.copyfile(INSECURE, top / "loose" / "odd name.")
    (top / "loose" / ".hidden.yaml").write_text("kind: KubeletConfiguration\n")
    (top / "loose" / "to-config.yaml").symlink_to("kubelet-config.yaml")
    (top / "loose" / "dangling.yaml").symlink_to("missing.yaml")
    (top / "loose" / "loop.yaml").symlink_to("loop.yaml")
    (top / "loose" / "into-node.yaml").symlink_to(top / "a" / "node" / "var" / "lib" / "kubelet" / "config.yaml")
    (top / "linked-dir").symlink_to(top / "loose", target_is_directory=True)
    (top / "a" / "node" / "etc" / "out.yaml").symlink_to(top / "loose" / "kubelet-config.yaml")
    yield top


def test_plan_matches_its_definition(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree.parent)
    node_config = str((tree / "a" / "node" / "var" / "lib" / "kubelet" / "config.yaml").resolve())
    skips = [set(), {node_config}, {node_config, str((tree / "loose" / "kubelet-config.yaml").resolve())}]
    arguments = [[tree], [Path("tree")], [Path("tree/../tree/loose")], [Path("tree/loose"), Path("tree/a")],
                 [tree / "loose" / "kubelet-config.yaml", tree / "linked-dir"]]
    for paths in arguments:
        for skip in skips:
            for exclude in ((), ("*.conf",), ("role",)):
                expected = _plan_by_definition(paths, _options(exclude), skip)
                assert list(plan(paths, _options(exclude), skip)) == expected, (paths, skip, exclude)
    monkeypatch.chdir(tree / "loose")
    assert list(plan([Path(".")], _options(), skips[2])) == _plan_by_definition([Path(".")], _options(), skips[2])


def test_walk_matches_its_definition(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tree / "loose" / ".git").mkdir()
    (tree / "loose" / ".git" / "config").write_text("[core]\n")
    (tree / "loose" / "UPPER.YAML").write_text("kind: KubeletConfiguration\n")
    (tree / "loose" / "README").write_text("not a candidate\n")
    monkeypatch.chdir(tree.parent)
    for directory in (tree, Path("tree"), Path("tree/loose/")):
        for exclude in ((), ("*.conf",), ("role",), ("a/node/etc",)):
            assert list(walk_files(directory, exclude)) == _walk_by_definition(directory, exclude), (directory, exclude)
    monkeypatch.chdir(tree)
    assert list(walk_files(Path("."))) == _walk_by_definition(Path("."), ())


def test_real_path_is_resolve(tree: Path) -> None:
    directories: dict[str, str] = {}
    for path in sorted((tree / "loose").iterdir()):
        assert real_path(str(path), directories, is_symlink=path.is_symlink()) == str(_resolved(path)), path


def test_node_roots_match_their_definition(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert find_node_roots(tree) == _roots_by_definition(tree)
    assert [root.relative_to(tree).as_posix() for root in find_node_roots(tree)] == ["a/node", "a-b/node"]
    monkeypatch.chdir(tree)
    assert find_node_roots(Path(".")) == _roots_by_definition(Path("."))
    assert find_node_roots(EXAMPLES) == _roots_by_definition(EXAMPLES)


def test_symlinks_out_of_node_roots_are_skipped_in_workers_too(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Many roots are linted in worker processes: what they cover still reaches the loose-file pass."""
    images = tmp_path / "images"
    for index in range(PARALLEL_ROOTS):
        shutil.copytree(EXAMPLES / "kubeadm-node", images / f"node-{index}", symlinks=True)
    shared = tmp_path / "images" / "shared"
    shared.mkdir()
    shutil.copyfile(INSECURE, shared / "linked.yaml")
    shutil.copyfile(INSECURE, shared / "loose.yaml")
    (images / "node-3" / "etc" / "linked.yaml").symlink_to(shared / "linked.yaml")
    monkeypatch.chdir(tmp_path)
    reports = [scan([Path("images")], _options(), jobs, progress=False) for jobs in (1, 2)]
    for report in reports:
        displays = [result.display for result in report.files]
        assert os.path.join("images", "shared", "loose.yaml") in displays
        assert os.path.join("images", "shared", "linked.yaml") not in displays
        assert os.path.join("images", "node-3", "etc", "linked.yaml") not in displays
    assert [r.display for r in reports[0].files] == [r.display for r in reports[1].files]
    assert reports[0].diagnostics == reports[1].diagnostics


def test_a_directory_named_twice_is_grouped_once(tmp_path: Path) -> None:
    """``check role role/kubeadm-flags.env``: the role's files group once, at the last of them."""
    role = tmp_path / "role"
    shutil.copytree(EXAMPLES / "ansible-role-files", role)
    once = scan([role], _options(), 1, progress=False)
    twice = scan([role, role / "kubeadm-flags.env"], _options(), 1, progress=False)
    assert once.diagnostics == twice.diagnostics
    assert [r.display for r in once.files] == [r.display for r in twice.files]
