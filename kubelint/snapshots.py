"""Generated tables that make start-up cheap, each checked against its sources.

Three things are slow to derive at every start and rarely change:

- ``rules``: the rule index (code, name, severity, scope, module, docstring
  of every rule), so that a run imports only the rule modules of the scopes
  it meets (a kubelet config never loads the kubeconfig or node rules);
- ``knowledge/<name>``: the ``rules/*.yaml`` data files as JSON (PyYAML's
  constructor takes ~50x longer than ``json.loads`` on them);
- ``kubelet-fields``: the KubeletConfiguration field types, so that a
  config that decodes cleanly needs no pydantic at all.

Each snapshot records a digest (BLAKE2b) of the files it was generated from. A
snapshot whose sources changed is ignored at run time: kubelint then takes
the slow path (import every rule, parse the YAML, ask pydantic), so a stale
snapshot costs time, never correctness. An installed package trusts its
snapshots (see ``sources_may_change``). ``tests/test_cold_start_imports.py``
fails on a stale snapshot; regenerate with::

    python -m kubelint.snapshots --write
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

FORMAT = 2  # 2: BLAKE2b-128 digests (1: SHA-256)


def _digest_constructor() -> Any:
    # BLAKE2b from CPython's own module, not hashlib's OpenSSL binding (loading
    # libcrypto costs a few milliseconds of every start); it hashes the ~440 kB
    # of rule modules that every run checks the rule index against in 40% of
    # the time of CPython's SHA-256. A 16-byte digest is plenty to notice an edit.
    try:
        blake2b = importlib.import_module("_blake2").blake2b
    except (ImportError, AttributeError):
        import hashlib

        blake2b = hashlib.blake2b
    return lambda: blake2b(digest_size=16)


_new_digest = _digest_constructor()
PACKAGE_DIR = Path(__file__).resolve().parent
# KUBELINT_SNAPSHOT_DIR lets tests use snapshots generated on the spot
# (whatever the directory, a snapshot is used only if its sources match)
SNAPSHOT_DIR = Path(os.environ.get("KUBELINT_SNAPSHOT_DIR") or PACKAGE_DIR / "_snapshots")


def rule_modules() -> dict[str, Path]:
    """Module name → file of every module ``engine.all_rules()`` imports
    (``pkgutil.walk_packages`` descends only into directories with an ``__init__.py``).

    Every run lists the ~160 rule files to check the rule index: ``os.scandir``
    (whose entries know their type) costs a fifth of ``Path.iterdir`` + ``is_dir``."""
    found: dict[str, Path] = {}

    def visit(directory: str, package: str) -> None:
        found[package] = Path(directory, "__init__.py")
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        for entry in entries:
            name = entry.name
            if entry.is_dir():
                if name.isidentifier() and os.path.isfile(os.path.join(entry.path, "__init__.py")):
                    visit(entry.path, f"{package}.{name}")
            elif name.endswith(".py") and name != "__init__.py" and name[:-3].isidentifier():
                found[f"{package}.{name[:-3]}"] = Path(entry.path)

    visit(str(PACKAGE_DIR / "rules"), "kubelint.rules")
    return found


def rule_sources() -> list[tuple[str, Path]]:
    """Every rule module (a new or deleted module makes the index stale)."""
    return sorted(rule_modules().items())


def read_bytes(path: Path) -> bytes:
    """The file's bytes, through ``os.read``: a quarter of the cost of
    ``Path.read_bytes`` (no buffered file object), which counts when every
    run reads all rule modules to check the index."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks = []
        while chunk := os.read(descriptor, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(descriptor)
    return b"".join(chunks)


def file_digest(path: Path) -> str:
    digest = _new_digest()
    digest.update(read_bytes(path))
    text: str = digest.hexdigest()
    return text


def knowledge_sources(name: str) -> list[tuple[str, Path]]:
    from kubelint._resources import data_file

    return [(f"{name}.yaml", data_file("rules", f"{name}.yaml"))]


def kubelet_field_sources() -> list[tuple[str, Path]]:
    models = PACKAGE_DIR / "models"
    return [(name, models / name) for name in ("kubelet_config.py", "fields.py", "kubelet_fields.py")]


def _sources_for(name: str) -> list[tuple[str, Path]]:
    if name == "rules":
        return rule_sources()
    if name == "kubelet-fields":
        return kubelet_field_sources()
    if name.startswith("knowledge/"):
        return knowledge_sources(name.split("/", 1)[1])
    raise ValueError(f"unknown snapshot {name!r}")


def fingerprint(sources: list[tuple[str, Path]]) -> str:
    """One digest over the labels and bytes of ``sources`` (labels, not absolute
    paths, so a checkout and an installed wheel agree)."""
    digest = _new_digest()
    for label, path in sources:
        digest.update(label.encode())
        digest.update(b"\0")
        digest.update(read_bytes(path))
        digest.update(b"\0")
    text: str = digest.hexdigest()
    return text


@cache
def sources_may_change() -> bool:
    """Whether this is a source checkout (or an editable install), whose
    sources may have been edited since the snapshots were generated.

    An installed package ships the snapshots generated from the very sources
    it ships (a build from a tree with a stale one fails the test suite), so
    it skips the check: hashing ~700 kB of sources is ~4% of a cold start."""
    return (PACKAGE_DIR.parent / "pyproject.toml").is_file()


def snapshot_path(name: str, directory: Path | None = None) -> Path:
    return (directory or SNAPSHOT_DIR) / f"{name}.json"


@cache
def load(name: str, *, checked: bool = True) -> Any | None:
    """The data of snapshot ``name``, or None when it is missing, unreadable or
    (unless ``checked`` is False: the caller checks parts itself) stale."""
    if os.environ.get("KUBELINT_NO_SNAPSHOTS"):
        return None
    try:
        payload = json.loads(snapshot_path(name).read_bytes())
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            return None
        if checked and sources_may_change() and payload.get("fingerprint") != fingerprint(_sources_for(name)):
            return None
    except (OSError, ValueError):
        return None
    return payload.get("data")


# --------------------------------------------------------------------------- generation


def _build_rules() -> Any:
    """Per module: its digest and the rules it defines (most one, helpers none)."""
    from kubelint.engine import all_rules, rule_module

    modules: dict[str, Any] = {
        name: {"digest": file_digest(path), "literal": literal_definition(path), "rules": []}
        for name, path in rule_modules().items()
    }
    for rule in all_rules():
        modules[rule_module(rule)]["rules"].append({
            "code": rule.code, "name": rule.name, "severity": rule.severity.name, "scope": rule.scope.value,
            "check": rule.check is not None, "fixable": rule.fixable,
            "cis": list(rule.cis), "tags": list(rule.tags), "doc": rule.doc,
        })
    return {"modules": modules}


def literal_definition(path: Path) -> bool:
    """True when the module's ``RULE = define(__doc__, ...)`` spells every
    argument out (constants, ``Severity.X``, ``Scope.X``, tuples of constants,
    the name of its check): then no other module can change its metadata."""
    import ast

    tree = ast.parse(path.read_bytes())
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "RULE" for t in node.targets)):
            continue
        call = node.value
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "define"):
            return False
        if len(call.args) != 1 or not (isinstance(call.args[0], ast.Name) and call.args[0].id == "__doc__"):
            return False
        return all(_literal_argument(keyword.arg, keyword.value) for keyword in call.keywords)
    return True


def _literal_argument(name: str | None, value: Any) -> bool:
    import ast

    if name in ("code", "name", "fixable"):
        return isinstance(value, ast.Constant)
    if name in ("severity", "scope"):
        owner = "Severity" if name == "severity" else "Scope"
        return isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id == owner
    if name in ("cis", "tags"):
        return isinstance(value, ast.Tuple) and all(isinstance(item, ast.Constant) for item in value.elts)
    if name == "check":
        return isinstance(value, ast.Name)
    return False


def _same_json(original: Any, loaded: Any) -> bool:
    """``loaded`` (JSON round trip) equals ``original`` with the same types all the way down."""
    if type(original) is not type(loaded):
        return False
    if isinstance(original, dict):
        return list(original) == list(loaded) and all(_same_json(original[k], loaded[k]) for k in original)
    if isinstance(original, list):
        return len(original) == len(loaded) and all(_same_json(a, b) for a, b in zip(original, loaded, strict=True))
    return bool(original == loaded)


def _build_knowledge(name: str) -> Any:
    from kubelint.knowledge import read_data_file

    data = read_data_file(name)
    if not _same_json(data, json.loads(json.dumps(data))):
        raise ValueError(f"rules/{name}.yaml does not survive a JSON round trip; no snapshot for it")
    return data


def _build_kubelet_fields() -> Any:
    from kubelint.models.kubelet_fields import build_field_table

    return build_field_table()


def _builders() -> dict[str, Callable[[], Any]]:
    from kubelint.knowledge import _DATA_FILES

    builders: dict[str, Callable[[], Any]] = {"rules": _build_rules, "kubelet-fields": _build_kubelet_fields}
    for data_name in _DATA_FILES:
        builders[f"knowledge/{data_name}"] = lambda data_name=data_name: _build_knowledge(data_name)  # type: ignore[misc]
    return builders


def render(name: str, data: Any) -> str:
    payload = {"format": FORMAT, "fingerprint": fingerprint(_sources_for(name)), "data": data}
    return json.dumps(payload, indent=1, ensure_ascii=False) + "\n"


def stale() -> list[str]:
    """Snapshots whose file differs from what ``--write`` would write now."""
    found = []
    for name, build in _builders().items():
        path = snapshot_path(name)
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != render(name, build()):
            found.append(name)
    return found


def write(directory: Path | None = None) -> list[str]:
    written = []
    for name, build in _builders().items():
        text = render(name, build())
        path = snapshot_path(name, directory)
        try:
            if path.read_text(encoding="utf-8") == text:
                continue
        except OSError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
        written.append(name)
    return written


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        for name in write():
            print(f"wrote {snapshot_path(name).relative_to(PACKAGE_DIR.parent)}")
        return 0
    if argv == ["--check"]:
        names = stale()
        for name in names:
            print(f"stale: {snapshot_path(name).relative_to(PACKAGE_DIR.parent)}", file=sys.stderr)
        if names:
            print("regenerate with: python -m kubelint.snapshots --write", file=sys.stderr)
        return 1 if names else 0
    print("usage: python -m kubelint.snapshots --write | --check", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
