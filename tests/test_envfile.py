"""EnvironmentFile= parsing, checked against what systemd's env-file state machine does."""

from __future__ import annotations

import codecs
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint.diagnostics import Severity, Span
from kubelint.loaders.envfile import EnvFile, parse_env_file


def values(env: EnvFile) -> dict[str, str]:
    return {name: assignment.value.text for name, assignment in env.values().items()}


def kinds(env: EnvFile) -> list[str]:
    return [problem.kind for problem in env.problems]


def test_plain_assignment_has_exact_spans() -> None:
    env = parse_env_file("KUBELET_EXTRA_ARGS=--node-ip=10.0.0.12\n", "etc/default/kubelet")
    (assignment,) = env.assignments
    assert assignment.name == "KUBELET_EXTRA_ARGS"
    assert assignment.value.text == "--node-ip=10.0.0.12"
    assert assignment.name_span == Span(1, 1, 1, 19)
    assert assignment.value_span == Span(1, 20, 1, 39)
    assert assignment.statement_span == Span(1, 1, 1, 39)
    assert assignment.line == 1
    assert env.problems == ()


def test_kubeadm_flags_file_maps_inside_the_quotes() -> None:
    text = 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock --cgroup-driver=cgroupfs"\n'
    env = parse_env_file(text, "var/lib/kubelet/kubeadm-flags.env")
    assignment = env.assignments[0]
    assert assignment.value_span == Span(1, 23, 1, 115)
    start = assignment.value.text.index("--cgroup-driver")
    assert assignment.value.span(start, start + len("--cgroup-driver=cgroupfs")) == Span(1, 91, 1, 115)
    assert assignment.statement_span == Span(1, 1, 1, 116)


def test_whitespace_around_key_and_value_is_stripped() -> None:
    env = parse_env_file("   KEY   =   some value   \n", "f")
    assignment = env.assignments[0]
    assert (assignment.name, assignment.value.text) == ("KEY", "some value")
    assert assignment.name_span == Span(1, 4, 1, 7)
    assert assignment.value_span == Span(1, 14, 1, 24)


def test_comments_only_where_a_key_could_start() -> None:
    env = parse_env_file("# comment\n; also a comment\n  # indented\nA=b # not a comment\nB=c;d\n", "f")
    assert values(env) == {"A": "b # not a comment", "B": "c;d"}
    (problem,) = env.problems
    assert problem.kind == "comment-in-value"
    assert problem.span == Span(4, 5, 4, 20)


def test_quotes_mix_only_when_a_quote_comes_first() -> None:
    text = 'A="x y" \'z\'\nB=a"b"\nC=\'single \\n kept\'\nD=""\n'
    env = parse_env_file(text, "f")
    assert values(env) == {"A": "x yz", "B": 'a"b"', "C": "single \\n kept", "D": ""}


def test_double_quote_escapes_follow_the_shell() -> None:
    env = parse_env_file('A="q\\" b\\\\ d\\$ t\\` n\\n"\n', "f")
    assert values(env) == {"A": 'q" b\\ d$ t` n\\n'}


def test_unquoted_backslash_escapes_and_continues() -> None:
    env = parse_env_file("A=one\\ two \\\nthree\nB=x\n", "f")
    assert values(env) == {"A": "one two three", "B": "x"}
    value = env.get("A")
    assert value is not None
    assert value.value_span == Span(1, 3, 2, 6)
    assert value.line == 1


def test_newlines_inside_quotes_are_kept_and_backslash_newline_removed() -> None:
    env = parse_env_file('A="one\ntwo \\\nthree"\n', "f")
    assert values(env) == {"A": "one\ntwo three"}


def test_export_is_reported_and_the_variable_stays_unset() -> None:
    env = parse_env_file("export KUBELET_EXTRA_ARGS=--v=2\n", "f")
    assert env.assignments == ()
    assert [assignment.name for assignment in env.rejected] == ["export KUBELET_EXTRA_ARGS"]
    (problem,) = env.problems
    assert problem.kind == "export"
    assert problem.severity is Severity.ERROR
    assert problem.span == Span(1, 1, 1, 26)
    assert "KUBELET_EXTRA_ARGS is not set" in problem.message


def test_invalid_names_are_dropped() -> None:
    env = parse_env_file("1ABC=x\nA-B=y\nGOOD=z\n", "f")
    assert values(env) == {"GOOD": "z"}
    assert kinds(env) == ["invalid-name", "invalid-name"]


def test_seed_kubelet_opts_comment_inside_the_continued_value() -> None:
    text = 'KUBELET_OPTS="--logtostderr=false \\\n--v=2 \\\n# log directory\n--log-dir=/opt/kubernetes/logs"\n'
    env = parse_env_file(text, "opt/kubernetes/cfg/kubelet.conf")
    assert values(env) == {"KUBELET_OPTS": "--logtostderr=false --v=2 # log directory\n--log-dir=/opt/kubernetes/logs"}
    (problem,) = env.problems
    assert problem.kind == "comment-in-quoted-value"
    assert problem.span == Span(3, 1, 3, 16)
    assert problem.severity is Severity.ERROR


def test_comment_after_a_continuation_backslash_on_the_first_line() -> None:
    text = 'OPTS="--a=1 \\  # first flag\n--b=2"\n'
    env = parse_env_file(text, "f")
    assert values(env) == {"OPTS": "--a=1 \\  # first flag\n--b=2"}
    assert kinds(env) == ["comment-in-quoted-value"]
    assert env.problems[0].span == Span(1, 16, 1, 28)


def test_single_line_quoted_hash_is_not_reported() -> None:
    env = parse_env_file('URL="http://example.test/#anchor"\nB="a #b"\n', "f")
    assert env.problems == ()


def test_unbalanced_quote_swallows_the_rest_of_the_file() -> None:
    env = parse_env_file('A="open\nB=2\nC=3\n', "f")
    assert values(env) == {"A": "open\nB=2\nC=3\n"}
    (problem,) = env.problems
    assert problem.kind == "unterminated-quote"
    assert problem.span == Span(1, 3, 1, 4)


def test_crlf_is_reported_and_breaks_continuations_like_systemd() -> None:
    env = parse_env_file("A=1\r\nB=two \\\r\nthree\r\n", "f")
    # \r ends the line, so the backslash escapes it and "\n" then ends the value.
    assert values(env) == {"A": "1", "B": "two "}
    assert kinds(env) == ["crlf", "missing-equals"]
    assert env.problems[0].span == Span(1, 4, 1, 5)


def test_nul_byte_stops_reading() -> None:
    env = parse_env_file("A=1\nB=2\0C=3\n", "f")
    assert values(env) == {"A": "1", "B": "2"}
    assert kinds(env) == ["nul-byte"]
    assert env.problems[0].span.line == 2


def test_line_without_equals_is_ignored_and_reported() -> None:
    env = parse_env_file("--v=2\nJUSTTEXT\nA=1\n", "f")
    assert values(env) == {"A": "1"}
    assert kinds(env) == ["invalid-name", "missing-equals"]
    assert env.problems[1].span == Span(2, 1, 2, 9)


def test_comment_ending_in_backslash_is_a_version_difference() -> None:
    text = "# old comment \\\nA=1\nB=2\n"
    older = parse_env_file(text, "f", systemd_version=252)
    newer = parse_env_file(text, "f", systemd_version=254)
    assert values(older) == {"B": "2"}
    assert values(newer) == {"A": "1", "B": "2"}
    assert kinds(older) == kinds(newer) == ["comment-continuation"]
    assert older.problems[0].span == Span(1, 15, 1, 16)


def test_dollar_is_not_expanded() -> None:
    env = parse_env_file('A=1\nB="$A --x=${A}"\n', "f")
    assert values(env) == {"A": "1", "B": "$A --x=${A}"}
    (problem,) = env.problems
    assert problem.kind == "no-expansion"
    assert problem.span == Span(2, 4, 2, 6)


def test_later_assignment_wins() -> None:
    env = parse_env_file("A=1\nA=2\n", "f")
    assert values(env) == {"A": "2"}
    assert [assignment.line for assignment in env.assignments] == [1, 2]


def test_invalid_utf8_refuses_the_file() -> None:
    text = b"A=caf\xe9\n".decode("utf-8", errors="surrogateescape")
    env = parse_env_file(text, "f")
    assert env.assignments == ()
    assert kinds(env) == ["invalid-utf8"]


def test_byte_order_mark_breaks_the_first_name() -> None:
    env = parse_env_file("\ufeffA=1\nB=2\n", "f")
    assert values(env) == {"B": "2"}
    assert kinds(env) == ["bom"]


def test_empty_and_blank_files() -> None:
    assert parse_env_file("", "f").assignments == ()
    assert parse_env_file("\n\n   \n", "f").problems == ()
    env = parse_env_file("A=", "f")
    assert values(env) == {"A": ""}
    assert env.assignments[0].value_span == Span(1, 3, 1, 3)


# ---------------------------------------------------------------------------
# Differential check against systemd's own parser
# ---------------------------------------------------------------------------

GENERATOR = Path("/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator")


def _systemd_view(text: str, tmp: Path) -> dict[str, str] | None:
    """Parse with systemd's environment.d generator, which shares the EnvironmentFile parser."""
    config = tmp / "environment.d"
    shutil.rmtree(tmp, ignore_errors=True)
    config.mkdir(parents=True)
    (config / "50-test.conf").write_text(text, encoding="utf-8")
    env = {"XDG_CONFIG_HOME": str(tmp), "HOME": str(tmp / "nohome"), "PATH": os.environ.get("PATH", "")}
    result = subprocess.run([str(GENERATOR)], env=env, capture_output=True, text=True, timeout=20, check=False)
    if result.returncode != 0:
        return None
    return dict(_parse_generator_line(line) for line in result.stdout.splitlines() if "=" in line)


def _parse_generator_line(line: str) -> tuple[str, str]:
    # The generator prints NAME=value, or NAME="..." with C escapes when the value needs quoting.
    name, _, raw = line.partition("=")
    if len(raw) >= 2 and raw.startswith('"') and raw.endswith('"'):
        return name, codecs.decode(raw[1:-1], "unicode_escape")
    return name, raw


def _installed_systemd_version() -> int:
    result = subprocess.run(["systemd-analyze", "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"systemd (\d+)", result.stdout)
    return int(match.group(1)) if match else 0


def _baseline(tmp: Path) -> dict[str, str]:
    return _systemd_view("", tmp) or {}


# Keys use a prefix no system file uses; values avoid '$' because the generator expands variables.
_key = st.sampled_from(["KA", "KB", "K_C", "export KD", "K E", "1K"])
_piece = st.sampled_from(
    ["x", "y z", " ", "\t", "#", ";", "'", '"', "\\", "\\\n", "\n", "=", "a b", "\\n", "\\\\", "\r\n", "\\\r\n"]
)
_line = st.tuples(
    st.sampled_from(["", " ", "#", ";"]), _key, st.sampled_from(["=", " = ", ""]), st.lists(_piece, max_size=6)
)


@pytest.mark.skipif(
    not GENERATOR.exists() or shutil.which("systemd-analyze") is None,
    reason="systemd's environment.d generator is not installed",
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_line, min_size=1, max_size=5))
def test_matches_systemd_environment_generator(lines: list[tuple[str, str, str, list[str]]], tmp_path: Path) -> None:
    text = "".join(lead + key + equals + "".join(pieces) + "\n" for lead, key, equals, pieces in lines)
    baseline = _baseline(tmp_path / "base")
    theirs = _systemd_view(text, tmp_path / "case")
    assert theirs is not None
    theirs = {name: value for name, value in theirs.items() if baseline.get(name) != value and value}
    parsed = parse_env_file(text, "f", systemd_version=_installed_systemd_version())
    # The generator skips empty values where EnvironmentFile= would set "", so compare without them.
    ours = {assignment.name: assignment.value.text for assignment in parsed.assignments if assignment.value.text}
    assert ours == theirs, text
