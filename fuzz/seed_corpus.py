"""Write the seed corpus for fuzz_loaders.py: every example file, once per target that can read it.

Usage: ``python fuzz/seed_corpus.py DIRECTORY`` (created if missing). Each
seed is the target byte followed by the file's bytes, so the fuzzer starts
from real kubelet configs, units, env files, kubeconfigs and runtime configs
rather than from nothing.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCES = [REPO / "examples", REPO / "tests" / "trees", REPO / "tests" / "data"]

# fuzz_loaders.py's target numbers by what a file looks like
YAML_TARGETS = (0, 8, 9, 10, 11, 12)
UNIT_TARGETS = (1, 13, 14)
ENV_TARGETS = (2, 3, 15, 16)
TOML_TARGETS = (4, 5, 17, 18)
JSON_TARGETS = (0, 6, 11, 19)


def targets_for(path: Path, data: bytes) -> tuple[int, ...]:
    name = path.name
    if b"[Service]" in data or b"[Unit]" in data:
        return UNIT_TARGETS
    if name.endswith(".toml") or b"[plugins" in data or b"[crio" in data:
        return TOML_TARGETS
    if name.endswith(".json"):
        return JSON_TARGETS
    if name.endswith(".env") or name == "kubelet" or b"KUBELET_" in data[:200]:
        return ENV_TARGETS
    if name.endswith((".yaml", ".yml", ".conf", ".kubeconfig")) or b"apiVersion" in data:
        return YAML_TARGETS
    return ()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for source in SOURCES:
        for path in sorted(source.rglob("*")):
            if not path.is_file() or path.stat().st_size > 256 * 1024:
                continue
            data = path.read_bytes()
            for target in targets_for(path, data):
                seed = bytes([target]) + data
                (out / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
                written += 1
    print(f"{written} seeds in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
