"""The snapshot helpers' fast file access agrees with the obvious one."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubelint import snapshots


def _walk_with_pathlib(directory: Path, package: str, found: dict[str, Path]) -> None:
    # what rule_modules() did before it used os.scandir
    found[package] = directory / "__init__.py"
    for entry in sorted(directory.iterdir(), key=lambda item: item.name):
        if entry.is_dir() and (entry / "__init__.py").is_file() and entry.name.isidentifier():
            _walk_with_pathlib(entry, f"{package}.{entry.name}", found)
        elif entry.suffix == ".py" and entry.name != "__init__.py" and entry.stem.isidentifier():
            found[f"{package}.{entry.stem}"] = entry


def test_rule_modules_lists_what_a_pathlib_walk_lists() -> None:
    expected: dict[str, Path] = {}
    _walk_with_pathlib(snapshots.PACKAGE_DIR / "rules", "kubelint.rules", expected)
    assert snapshots.rule_modules() == expected
    assert list(snapshots.rule_modules()) == list(expected)


@pytest.mark.parametrize("size", [0, 1, 4095, 1 << 20, (1 << 20) + 7, 3 * (1 << 20)])
def test_read_bytes_reads_whole_files(tmp_path: Path, size: int) -> None:
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    path = tmp_path / "data.bin"
    path.write_bytes(data)
    assert snapshots.read_bytes(path) == data


def test_read_bytes_raises_as_path_read_bytes(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        snapshots.read_bytes(tmp_path / "missing")
    with pytest.raises(IsADirectoryError):
        snapshots.read_bytes(tmp_path)


def test_a_changed_rule_module_changes_its_digest(tmp_path: Path) -> None:
    path = tmp_path / "rule.py"
    path.write_text('"""doc"""\n')
    before = snapshots.file_digest(path)
    path.write_text('"""dog"""\n')
    assert snapshots.file_digest(path) != before
    assert len(before) == 32
