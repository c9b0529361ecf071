"""atheris target: kubelint's loaders, models and whole pipeline must never raise.

The first byte of each input picks a target, the rest is the file:

    0 YAML loader          4 containerd TOML       8 kubeconfig model (via YAML)
    1 systemd unit         5 CRI-O TOML            9 kubelet view (via YAML)
    2 env file             6 Docker daemon.json   10.. lint_source under one of PATHS
    3 shell command line   7 /proc/PID/cmdline

Run it by hand (see fuzz/README.md)::

    python fuzz/seed_corpus.py fuzz/corpus         # seeds from examples/ and tests/trees/
    python fuzz/fuzz_loaders.py fuzz/corpus -max_total_time=600

Any exception is a finding: atheris stops and writes the input to
``crash-<sha1>``; reproduce with ``python fuzz/fuzz_loaders.py crash-<sha1>``
and turn it into a regression test (tests/test_robustness_*.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports(include=["kubelint"]):
    from kubelint import knowledge
    from kubelint.analysis import Options, lint_source
    from kubelint.engine import indexed_rules
    from kubelint.kubelet_view import single_document_view
    from kubelint.loaders.cmdline import split_cmdline, split_proc_cmdline
    from kubelint.loaders.envfile import parse_env_file
    from kubelint.loaders.runtime import RuntimeKind, load_runtime
    from kubelint.loaders.systemd import parse_unit
    from kubelint.loaders.yaml import load_yaml
    from kubelint.models.kubeconfig import decode_kubeconfig
    from kubelint.source import SourceFile, decode

PATHS = [
    "var/lib/kubelet/config.yaml", "worker-1.json", "etc/kubernetes/kubelet.conf",
    "lib/systemd/system/kubelet.service", "etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
    "var/lib/kubelet/kubeadm-flags.env", "etc/default/kubelet", "etc/containerd/config.toml",
    "etc/crio/crio.conf", "etc/docker/daemon.json",
]
TARGETS = 10 + len(PATHS)

OPTIONS = Options(version=knowledge.default_target_version())
RULES = [rule for rule in indexed_rules() if OPTIONS.selection.enabled(rule)]


def _text(data: bytes) -> str:
    # what the CLI hands on: decoded UTF-8 (a UTF-16 BOM included), or nothing
    text, _problems = decode(data, "fuzz")
    return text if text is not None else data.decode("utf-8", "replace")


def run_one(data: bytes) -> None:
    if not data:
        return
    target, body = data[0] % TARGETS, data[1:]
    if target == 7:
        split_proc_cmdline(body, "proc/1/cmdline")
        return
    text = _text(body)
    if target == 0:
        load_yaml(text, "config.yaml")
    elif target == 1:
        parse_unit(text, "etc/systemd/system/kubelet.service.d/10-kubeadm.conf")
    elif target == 2:
        parse_env_file(text, "etc/default/kubelet")
    elif target == 3:
        split_cmdline(text, "cmdline")
    elif target in (4, 5, 6):
        kind = (RuntimeKind.CONTAINERD, RuntimeKind.CRIO, RuntimeKind.DOCKER)[target - 4]
        load_runtime(text, "etc/runtime", kind)
    elif target == 8:
        for document in load_yaml(text, "kubelet.conf").documents:
            decode_kubeconfig(document.data)
    elif target == 9:
        for document in load_yaml(text, "config.yaml").documents:
            single_document_view(document, OPTIONS.version, {})
    else:
        result = lint_source(SourceFile(None, PATHS[target - 10], text), OPTIONS, RULES, explicit=True)
        internal = [d for d in (result.diagnostics if result else []) if d.code == "KL099"]
        if internal:  # the engine caught an exception: still a bug
            raise RuntimeError(internal[0].message)


def main() -> None:
    atheris.Setup(sys.argv, run_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
