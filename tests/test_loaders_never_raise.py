"""Loaders take whatever a node holds: no input may make them raise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint.loaders.cmdline import (
    EnvValue,
    Word,
    expand_exec_start,
    parse_kubelet_flags,
    split_cmdline,
    split_proc_cmdline,
    word_from_mapped,
)
from kubelint.loaders.envfile import parse_env_file
from kubelint.loaders.systemd import (
    UnitProblem,
    environment_file_entries,
    exec_start_words,
    parse_unit,
    specifiers_for_unit,
    split_environment_assignments,
)
from kubelint.systemd_resolve import resolve_kubelet_service

# Characters that matter to these parsers, mixed with anything at all.
_SIGNIFICANT = [*"[]=#;\\\"'$%{}@-:+!| \t\r\n\0“”服", "\\\n", "\r\n", "ExecStart=", "Environment=", "[Service]"]
_text = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(_SIGNIFICANT), st.text(max_size=3)), max_size=40).map("".join),
)


def _decoded(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


@given(st.one_of(_text, st.binary().map(_decoded)))
def test_parse_unit_never_raises(text: str) -> None:
    unit = parse_unit(text, "etc/systemd/system/kubelet.service.d/10-x.conf")
    problems: list[UnitProblem] = []
    specifiers = specifiers_for_unit("kubelet.service")
    for directive in unit.directives:
        split_environment_assignments(directive, specifiers=specifiers, problems=problems)
        environment_file_entries(directive, specifiers=specifiers, problems=problems)
        for command in exec_start_words(directive, specifiers=specifiers, problems=problems):
            words = [word_from_mapped(mapped, "x.conf") for mapped in command.argv]
            expand_exec_start(words, {"A": "x y", "B": EnvValue.plain("'q")})


@given(st.one_of(_text, st.binary().map(_decoded)))
def test_parse_env_file_never_raises(text: str) -> None:
    for version in (252, 254):
        env = parse_env_file(text, "etc/default/kubelet", systemd_version=version)
        for assignment in env.assignments:
            assignment.value.span()


@given(st.binary().map(lambda data: data.decode("utf-8", errors="surrogateescape")))
def test_parse_env_file_takes_undecodable_bytes(text: str) -> None:
    parse_env_file(text, "f")


@given(st.one_of(_text, st.binary().map(_decoded)))
def test_split_cmdline_never_raises(text: str) -> None:
    split_cmdline(text, "cmdline")
    words = split_cmdline(text)
    parse_kubelet_flags(words, lambda name: name.startswith("b"))


@given(st.binary())
def test_split_proc_cmdline_never_raises(data: bytes) -> None:
    words = split_proc_cmdline(data, "proc/1/cmdline")
    parse_kubelet_flags(words[1:], lambda name: False)


@given(st.lists(st.one_of(_text, st.sampled_from(["--", "-v", "--v", "-h", "--x=", "-"])), max_size=12))
def test_flag_parsing_never_raises(texts: list[str]) -> None:
    parse_kubelet_flags([Word(text, None) for text in texts], lambda name: len(name) % 2 == 0)


_tree_paths = st.sampled_from(
    [
        "etc/systemd/system/kubelet.service",
        "usr/lib/systemd/system/kubelet.service",
        "etc/systemd/system/kubelet.service.d/10-a.conf",
        "run/systemd/system/kubelet.service.d/10-a.conf",
        "etc/default/kubelet",
        "var/lib/kubelet/kubeadm-flags.env",
    ]
)
_link_targets = st.sampled_from(["/dev/null", "../../../../..", "/etc/default/kubelet", "kubelet.service", "x/../../y"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    files=st.lists(st.tuples(_tree_paths, _text), max_size=5),
    links=st.lists(st.tuples(_tree_paths, _link_targets), max_size=2),
)
def test_resolver_never_raises(
    files: list[tuple[str, str]], links: list[tuple[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    root: Path = tmp_path_factory.mktemp("node")
    for path, text in files:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            text.replace("\0", "") + "\n[Service]\nEnvironmentFile=-/etc/default/kubelet\nExecStart=/bin/k $X\n",
            errors="surrogateescape",
        )
    for path, link_target in links:
        link = root / path
        link.parent.mkdir(parents=True, exist_ok=True)
        if not link.exists() and not link.is_symlink():
            os.symlink(link_target, link)
    service = resolve_kubelet_service(root)
    assert isinstance(service.problems, tuple)
