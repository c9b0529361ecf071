"""The whole engine on any text: ``lint_source`` never raises and never hits
an internal error (KL099 means a rule or loader raised and the engine caught it).

Inputs: arbitrary text under every kind of path kubelint classifies (the path
decides the kind when the content does not), and the real files of
``examples/`` truncated anywhere and mutated byte by byte under their own
names, which reaches far deeper into the rules than random text does.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint import knowledge
from kubelint.analysis import Options, lint_source
from kubelint.diagnostics import Diagnostic
from kubelint.engine import indexed_rules
from kubelint.source import SourceFile, decode

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
OPTIONS = Options(version=knowledge.default_target_version())
RULES = [rule for rule in indexed_rules() if OPTIONS.selection.enabled(rule)]
SETTINGS = settings(max_examples=int(os.environ.get("KUBELINT_ROBUSTNESS_EXAMPLES", "120")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# every way a path alone makes a kind (see kubelint.discover._by_path), and plain names
PATHS = [
    "config.yaml", "var/lib/kubelet/config.yaml", "kubelet-config.json", "worker-1.json",
    "etc/kubernetes/kubelet.conf", "etc/kubernetes/bootstrap-kubelet.conf",
    "lib/systemd/system/kubelet.service", "etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
    "var/lib/kubelet/kubeadm-flags.env", "etc/default/kubelet", "etc/sysconfig/kubelet",
    "etc/containerd/config.toml", "etc/crio/crio.conf", "etc/crio/crio.conf.d/10-crio.conf",
    "etc/docker/daemon.json", "notes.txt",
]

# fragments that steer classification to each kind, so the text reaches its loader and rules
STEERING = [
    "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n",
    '{"kubeletconfig": {', "apiVersion: v1\nkind: Config\nclusters:\n", "[Service]\nExecStart=/usr/bin/kubelet ",
    'KUBELET_KUBEADM_ARGS="--', "version = 2\n[plugins]\n", "[crio.runtime]\n", '{"exec-opts": [',
    "Environment=", "EnvironmentFile=-/etc/default/kubelet\n", "--config=", "--kubeconfig=", "$KUBELET_EXTRA_ARGS",
    "featureGates:\n  ", "evictionHard:\n  memory.available: ", "users:\n- name: u\n  user:\n    token: ",
    "SystemdCgroup = ", 'cgroup_manager = "', "\n", "\r\n", "\t", "\\\n", "\x00", "\udcff", "'", '"', "#", "---\n",
    "&a ", "*a", "<<: ", "{", "}", "[", "]", "=", ":", "%n", "${", "}",
]

text_strategy = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(STEERING), st.text(max_size=12)), max_size=25).map("".join),
)


def _lint(text: str, path: str) -> list[Diagnostic]:
    result = lint_source(SourceFile(None, path, text), OPTIONS, RULES, explicit=True)
    assert result is not None  # explicit files always get a result
    return result.diagnostics


def _assert_sound(diagnostics: list[Diagnostic], text: str) -> None:
    internal = [d for d in diagnostics if d.code == "KL099"]
    assert not internal, internal[0].message
    for diagnostic in diagnostics:
        assert diagnostic.span.line >= 1 and diagnostic.span.column >= 1
        assert isinstance(diagnostic.message, str) and diagnostic.message


@SETTINGS
@given(text_strategy, st.sampled_from(PATHS))
def test_lint_source_takes_any_text_under_any_path(text: str, path: str) -> None:
    _assert_sound(_lint(text, path), text)


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(PATHS))
def test_lint_source_takes_any_bytes(data: bytes, path: str) -> None:
    text, problems = decode(data, path)
    if text is None:
        assert problems, "undecodable bytes must say why"
        return
    _assert_sound(_lint(text, path), text)


def _example_files() -> list[tuple[str, str]]:
    """(display path, text) of every example, displayed as on a node so the path still classifies it."""
    found = []
    for path in sorted(EXAMPLES.rglob("*")):
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        found.append((path.relative_to(EXAMPLES).as_posix(), text))
    return found


EXAMPLE_FILES = _example_files()


def test_examples_are_linted_without_internal_errors() -> None:
    assert EXAMPLE_FILES
    for display, text in EXAMPLE_FILES:
        _assert_sound(_lint(text, display), text)


@st.composite
def _mutated_example(draw: st.DrawFn) -> tuple[str, str]:
    display, text = draw(st.sampled_from(EXAMPLE_FILES))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        if not text:
            break
        at = draw(st.integers(min_value=0, max_value=len(text)))
        how = draw(st.sampled_from(["truncate", "delete", "insert", "replace", "duplicate"]))
        if how == "truncate":
            text = text[:at]
        elif how == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        elif how == "insert":
            text = text[:at] + draw(st.one_of(st.sampled_from(STEERING), st.text(max_size=5))) + text[at:]
        elif how == "replace":
            text = text[:at] + draw(st.characters()) + text[at + 1:]
        else:
            end = min(len(text), at + draw(st.integers(1, 200)))
            text = text[:end] + text[at:end] + text[end:]
    return display, text


@SETTINGS
@given(_mutated_example())
def test_truncated_and_mutated_examples(example: tuple[str, str]) -> None:
    display, text = example
    _assert_sound(_lint(text, display), text)


@pytest.mark.parametrize("display,text", EXAMPLE_FILES[:1])
def test_every_prefix_of_an_example_config(display: str, text: str) -> None:
    """Every truncation point of one config: the cut that lands mid-token is where loaders break."""
    config = next((t for d, t in EXAMPLE_FILES if d.endswith("kubelet-config-insecure.yaml")), text)
    for cut in range(0, len(config), 7):
        _assert_sound(_lint(config[:cut], "var/lib/kubelet/config.yaml"), config[:cut])
