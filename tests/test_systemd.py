"""Unit files and drop-ins: parsing, Environment=, EnvironmentFile= and ExecStart= as systemd reads them."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint.diagnostics import Severity, Span
from kubelint.loaders.systemd import (
    Directive,
    Extract,
    UnitFile,
    UnitProblem,
    cunescape_one,
    environment_file_entries,
    exec_start_words,
    extract_first_word,
    parse_unit,
    specifiers_for_unit,
    split_environment_assignments,
    unit_type_of,
)
from kubelint.loaders.textpos import LineIndex, MappedText

DROPIN = "etc/systemd/system/kubelet.service.d/10-kubeadm.conf"

KUBEADM_DROPIN = """\
# Note: this drop-in only works with kubeadm and kubelet v1.11+
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
"""


def one(unit: UnitFile, key: str, section: str = "Service") -> Directive:
    (directive,) = unit.get(section, key)
    return directive


def problem_kinds(problems: tuple[UnitProblem, ...] | list[UnitProblem]) -> list[str]:
    return [problem.kind for problem in problems]


def directive(line: str) -> Directive:
    return one(parse_unit(f"[Service]\n{line}\n", DROPIN), line.partition("=")[0].strip())


# ---------------------------------------------------------------------------
# textpos: the position machinery every loader here relies on
# ---------------------------------------------------------------------------


def test_line_index_counts_crlf_and_lone_cr_as_one_break() -> None:
    index = LineIndex("ab\r\ncd\ref\ngh")
    assert index.line_count == 4
    assert [index.position(offset) for offset in (0, 2, 4, 7, 10, 12)] == [
        (1, 1),
        (1, 3),
        (2, 1),
        (3, 1),
        (4, 1),
        (4, 3),
    ]
    assert index.offset(3, 2) == 8
    assert [index.line_text(line) for line in (1, 2, 3, 4)] == ["ab", "cd", "ef", "gh"]
    assert index.span(4, 9) == Span(2, 1, 3, 3)


def test_mapped_text_keeps_positions_through_slicing_and_joining() -> None:
    index = LineIndex("KEY=one\n  two\n")
    first = MappedText.from_source(index, 4, 7)
    second = MappedText.from_source(index, 10, 13)
    joined = first + MappedText.unmapped(" ", (1, 8)) + second
    assert joined.text == "one two"
    assert joined.span() == Span(1, 5, 2, 6)
    assert joined.span(4, 7) == Span(2, 3, 2, 6)
    assert joined[4:].span() == Span(2, 3, 2, 6)
    assert joined.span(3, 3) == Span(1, 8, 1, 8)
    assert MappedText.from_source(index, 4, 4).span() == Span(1, 5, 1, 5)
    assert joined.strip(" o").text == "ne tw"


# ---------------------------------------------------------------------------
# parse_unit
# ---------------------------------------------------------------------------


def test_kubeadm_dropin_directives_and_spans() -> None:
    unit = parse_unit(KUBEADM_DROPIN, DROPIN)
    assert unit.problems == ()
    assert unit.unit_type == "service"
    assert [(d.key, d.line) for d in unit.directives] == [
        ("Environment", 3),
        ("Environment", 4),
        ("EnvironmentFile", 5),
        ("EnvironmentFile", 6),
        ("ExecStart", 7),
        ("ExecStart", 8),
    ]
    config = unit.directives[1]
    assert config.key_span == Span(4, 1, 4, 12)
    assert config.value_span == Span(4, 13, 4, 72)
    assert config.value.text == '"KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"'
    reset = unit.directives[4]
    assert reset.value.text == ""
    assert reset.value_span == Span(7, 11, 7, 11)
    assert unit.sections[0].name == "Service"
    assert unit.sections[0].span == Span(2, 1, 2, 10)


def test_whitespace_around_equals_and_semicolon_comments() -> None:
    unit = parse_unit("; comment\n[Service]\n   Type  =   notify   \n", DROPIN)
    type_ = one(unit, "Type")
    assert type_.value.text == "notify"
    assert type_.key_span == Span(3, 4, 3, 8)
    assert type_.value_span == Span(3, 14, 3, 20)
    assert type_.statement_span == Span(3, 4, 3, 20)


def test_continuation_lines_join_with_a_space_and_skip_comment_lines() -> None:
    text = "[Service]\nExecStart=/usr/bin/kubelet \\\n  --v=2 \\\n# a comment inside\n; another\n  --config=/c.yaml\nType=simple\n"
    unit = parse_unit(text, DROPIN)
    exec_start = one(unit, "ExecStart")
    assert exec_start.value.text == "/usr/bin/kubelet    --v=2    --config=/c.yaml"
    assert exec_start.line == 2
    assert exec_start.value_span == Span(2, 11, 6, 19)
    config_at = exec_start.value.text.index("--config")
    assert exec_start.value.span(config_at, config_at + 8) == Span(6, 3, 6, 11)
    assert one(unit, "Type").line == 7


def test_double_backslash_does_not_continue() -> None:
    unit = parse_unit("[Service]\nEnvironment=A=1\\\\\nEnvironment=B=2\n", DROPIN)
    assert [d.value.text for d in unit.get("Service", "Environment")] == ["A=1\\\\", "B=2"]


def test_continuation_at_end_of_file_is_still_parsed() -> None:
    unit = parse_unit("[Service]\nExecStart=/bin/true \\", DROPIN)
    assert one(unit, "ExecStart").value.text == "/bin/true"


def test_lines_outside_sections_and_without_equals() -> None:
    unit = parse_unit("Description=early\n[Service]\nno equals here\n=value\nType=simple\n", DROPIN)
    assert [d.key for d in unit.directives] == ["Type"]
    assert problem_kinds(unit.problems) == ["outside-section", "missing-equals", "missing-key"]
    assert [p.span for p in unit.problems] == [Span(1, 1, 1, 18), Span(3, 1, 3, 15), Span(4, 1, 4, 7)]


def test_translated_and_wrongly_cased_section_headers() -> None:
    text = "[服务]\nEnvironment=A=1\nno equals\n[service]\nEnvironment=B=2\n[X-Custom]\nFoo=bar\n[Service]\nEnvironment=C=3\n"
    unit = parse_unit(text, DROPIN)
    assert problem_kinds(unit.problems) == ["unknown-section", "section-case"]
    assert unit.problems[0].span == Span(1, 1, 1, 5)
    assert "[服务]" in unit.problems[0].message
    assert "[Service]" in unit.problems[1].message
    # Directives of ignored sections are kept under the name as written; only [Service] counts.
    assert [(d.section, d.key) for d in unit.directives] == [
        ("服务", "Environment"),
        ("service", "Environment"),
        ("X-Custom", "Foo"),
        ("Service", "Environment"),
    ]
    assert [s.known for s in unit.sections] == [False, False, False, True]


def test_malformed_section_header_stops_the_parse() -> None:
    unit = parse_unit("[Service]\nType=simple\n[Service\nEnvironment=A=1\n", DROPIN)
    assert [d.key for d in unit.directives] == ["Type"]
    assert unit.aborted_at_line == 3
    (problem,) = unit.problems
    assert problem.kind == "invalid-section-header"
    assert problem.severity is Severity.ERROR
    assert problem.span == Span(3, 1, 3, 9)


def test_bad_characters_in_section_header() -> None:
    unit = parse_unit('[Serv"ice]\nType=simple\n', DROPIN)
    assert unit.directives == ()
    assert unit.aborted_at_line == 1


def test_lookalike_quotes_are_reported_with_exact_spans() -> None:
    unit = parse_unit("[Service]\nEnvironment=“A=1 B=2”\n", DROPIN)
    assert problem_kinds(unit.problems) == ["lookalike-quote", "lookalike-quote"]
    assert [p.span for p in unit.problems] == [Span(2, 13, 2, 14), Span(2, 21, 2, 22)]


def test_key_case_matters() -> None:
    unit = parse_unit("[Service]\nenvironment=A=1\n", DROPIN)
    (problem,) = unit.problems
    assert problem.kind == "key-case"
    assert "Environment=" in problem.message


def test_byte_order_mark_and_crlf() -> None:
    unit = parse_unit("\ufeff[Service]\r\nType=simple\r\n", DROPIN)
    assert unit.problems == ()
    assert one(unit, "Type").value.text == "simple"


def test_unit_type_from_path() -> None:
    assert unit_type_of("usr/lib/systemd/system/kubelet.service") == "service"
    assert unit_type_of(DROPIN) == "service"
    assert unit_type_of("etc/systemd/system/service.d/10-x.conf") == "service"
    assert unit_type_of("notes.txt") is None


# ---------------------------------------------------------------------------
# Words and escapes
# ---------------------------------------------------------------------------


def test_cunescape_one() -> None:
    assert cunescape_one("n", 0) == ("\n", 1)
    assert cunescape_one("x41", 0) == ("A", 3)
    assert cunescape_one("101", 0) == ("A", 3)
    assert cunescape_one("u00e9", 0) == ("é", 5)
    assert cunescape_one("x00", 0) is None
    assert cunescape_one("q", 0) is None
    assert cunescape_one("$", 0) is None


def test_extract_first_word_unquotes_inside_a_word() -> None:
    text = MappedText.unmapped("  a\"b c\"d 'e' rest")
    first = extract_first_word(text, 0, Extract.UNQUOTE)
    assert first.word is not None and first.word.text == "ab cd"
    assert first.raw.text == 'a"b c"d'
    second = extract_first_word(text, first.next_index, Extract.UNQUOTE)
    assert second.word is not None and second.word.text == "e"


def test_extract_first_word_errors_and_relaxed_modes() -> None:
    unbalanced = MappedText.unmapped('"open')
    assert extract_first_word(unbalanced, 0, Extract.UNQUOTE).error == "unbalanced quoting"
    relaxed = extract_first_word(unbalanced, 0, Extract.UNQUOTE | Extract.RELAX)
    assert relaxed.word is not None and relaxed.word.text == "open"
    escape = MappedText.unmapped("a\\qb")
    assert extract_first_word(escape, 0, Extract.CUNESCAPE).error is not None
    kept = extract_first_word(escape, 0, Extract.CUNESCAPE | Extract.UNESCAPE_RELAX)
    assert kept.word is not None and kept.word.text == "a\\qb" and kept.unknown_escape


# ---------------------------------------------------------------------------
# Environment=
# ---------------------------------------------------------------------------


def test_several_assignments_on_one_line() -> None:
    env = directive("Environment=A=1 \"B=two words\" 'C=x y' D=a\\x41")
    assignments = split_environment_assignments(env)
    assert [(a.name, a.value.text) for a in assignments] == [("A", "1"), ("B", "two words"), ("C", "x y"), ("D", "aA")]
    b = assignments[1]
    assert b.name_span == Span(2, 18, 2, 19)
    assert b.value_span == Span(2, 20, 2, 29)
    assert b.statement_span == Span(2, 17, 2, 30)
    assert all(a.line == 2 for a in assignments)


def test_kubeadm_environment_line() -> None:
    unit = parse_unit(KUBEADM_DROPIN, DROPIN)
    (kubeconfig,) = split_environment_assignments(unit.get("Service", "Environment")[0])
    assert kubeconfig.name == "KUBELET_KUBECONFIG_ARGS"
    assert kubeconfig.value.text.split() == [
        "--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf",
        "--kubeconfig=/etc/kubernetes/kubelet.conf",
    ]
    assert kubeconfig.value_span == Span(3, 38, 3, 141)


def test_unquoted_space_splits_the_value() -> None:
    problems: list[UnitProblem] = []
    env = directive("Environment=KUBELET_EXTRA_ARGS=--v=2 --node-ip=10.0.0.1")
    assignments = split_environment_assignments(env, problems=problems)
    assert [(a.name, a.value.text) for a in assignments] == [("KUBELET_EXTRA_ARGS", "--v=2")]
    (problem,) = problems
    assert problem.kind == "invalid-assignment"
    assert "'--node-ip' is not a valid variable name" in problem.message
    assert problem.span == Span(2, 38, 2, 56)


def test_word_without_equals_after_an_assignment() -> None:
    problems: list[UnitProblem] = []
    split_environment_assignments(directive("Environment=NAME=a b"), problems=problems)
    assert "an unquoted space split the previous value" in problems[0].message


def test_invalid_syntax_keeps_earlier_assignments() -> None:
    problems: list[UnitProblem] = []
    env = directive('Environment=D=1 "E=2\\q" F=3')
    assert [a.name for a in split_environment_assignments(env, problems=problems)] == ["D"]
    assert problem_kinds(problems) == ["invalid-syntax"]
    assert problems[0].span == Span(2, 17, 2, 28)


def test_environment_specifiers() -> None:
    problems: list[UnitProblem] = []
    env = directive("Environment=NAME=%n P=%p PCT=10%% TRAIL=5% Z=%Z HOST=%H")
    specifiers = specifiers_for_unit("kubelet.service")
    result = {
        a.name: a.value.text for a in split_environment_assignments(env, specifiers=specifiers, problems=problems)
    }
    assert result == {"NAME": "kubelet.service", "P": "kubelet", "PCT": "10%", "TRAIL": "5%", "HOST": "%H"}
    assert problem_kinds(problems) == ["unknown-specifier", "unresolved-specifier"]
    assert problems[0].span == Span(2, 46, 2, 48)


def test_mangled_fullwidth_quotes() -> None:
    problems: list[UnitProblem] = []
    env = directive("Environment=“KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml”")
    assert split_environment_assignments(env, problems=problems) == []
    assert problem_kinds(problems) == ["invalid-assignment"]
    assert "look-alike quote" in problems[0].message


# ---------------------------------------------------------------------------
# EnvironmentFile=
# ---------------------------------------------------------------------------


def test_environment_file_entries() -> None:
    (optional,) = environment_file_entries(directive("EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env"))
    assert (optional.path, optional.optional) == ("/var/lib/kubelet/kubeadm-flags.env", True)
    assert optional.span == Span(2, 18, 2, 52)
    (required,) = environment_file_entries(directive("EnvironmentFile=/opt//kubernetes/./cfg/kubelet.conf"))
    assert (required.path, required.optional) == ("/opt/kubernetes/cfg/kubelet.conf", False)
    assert environment_file_entries(directive("EnvironmentFile=")) == []


def test_environment_file_rejections() -> None:
    problems: list[UnitProblem] = []
    assert environment_file_entries(directive('EnvironmentFile="/etc/default/kubelet"'), problems=problems) == []
    assert environment_file_entries(directive("EnvironmentFile=/etc/../x"), problems=problems) == []
    assert problem_kinds(problems) == ["bad-path", "bad-path"]
    assert "quotes are not allowed" in problems[0].message


# ---------------------------------------------------------------------------
# ExecStart=
# ---------------------------------------------------------------------------


def test_kubeadm_exec_start_words() -> None:
    unit = parse_unit(KUBEADM_DROPIN, DROPIN)
    reset, exec_start = unit.get("Service", "ExecStart")
    assert exec_start_words(reset) == []
    (command,) = exec_start_words(exec_start)
    assert command.prefixes == ""
    assert command.path.text == "/usr/bin/kubelet"
    assert [w.text for w in command.argv] == [
        "/usr/bin/kubelet",
        "$KUBELET_KUBECONFIG_ARGS",
        "$KUBELET_CONFIG_ARGS",
        "$KUBELET_KUBEADM_ARGS",
        "$KUBELET_EXTRA_ARGS",
    ]
    assert [w.span() for w in command.argv[1:3]] == [Span(8, 28, 8, 52), Span(8, 53, 8, 73)]


def test_exec_prefixes_and_separate_argv0() -> None:
    (command,) = exec_start_words(directive("ExecStart=-@/usr/bin/kubelet kubelet --v=2"))
    assert command.prefixes == "-@"
    assert command.ignore_failure and command.separate_argv0 and command.expands_environment
    assert command.path.text == "/usr/bin/kubelet"
    assert command.path.span() == Span(2, 13, 2, 29)
    assert [w.text for w in command.argv] == ["kubelet", "--v=2"]
    (plain,) = exec_start_words(directive("ExecStart=:+/bin/x $A"))
    assert plain.prefixes == ":+" and not plain.expands_environment


def test_exec_quotes_escapes_and_semicolons() -> None:
    commands = exec_start_words(directive('ExecStart=/bin/a "x y" \\; ";" ; /bin/b \'q\' a\\x41'))
    assert [[w.text for w in c.argv] for c in commands] == [["/bin/a", "x y", ";", ";"], ["/bin/b", "q", "aA"]]


def test_exec_unknown_escape_is_kept_with_a_warning() -> None:
    problems: list[UnitProblem] = []
    (command,) = exec_start_words(directive("ExecStart=/bin/a --x=\\q"), problems=problems)
    assert command.argv[1].text == "--x=\\q"
    assert problem_kinds(problems) == ["unknown-escape"]


def test_exec_unbalanced_quote_in_an_argument_fails_the_unit() -> None:
    problems: list[UnitProblem] = []
    assert exec_start_words(directive('ExecStart=/usr/bin/kubelet "--v=2'), problems=problems) == []
    assert problem_kinds(problems) == ["invalid-syntax"]
    assert problems[0].fatal
    assert "refuses to load the unit" in problems[0].message
    assert problems[0].span == Span(2, 28, 2, 34)
    in_dropin: list[UnitProblem] = []
    exec_start_words(directive('ExecStart=/usr/bin/kubelet "--v=2'), problems=in_dropin, in_dropin=True)
    assert not in_dropin[0].fatal
    assert "ignores this ExecStart= line" in in_dropin[0].message
    ignored: list[UnitProblem] = []
    exec_start_words(directive('ExecStart=-/usr/bin/kubelet "--v=2'), problems=ignored)
    assert not ignored[0].fatal


def test_exec_bad_executable() -> None:
    problems: list[UnitProblem] = []
    assert exec_start_words(directive("ExecStart=bin/kubelet --v=2"), problems=problems) == []
    assert exec_start_words(directive("ExecStart=@/bin/x"), problems=problems) == []
    assert problem_kinds(problems) == ["bad-exec", "bad-exec"]


def test_exec_specifiers() -> None:
    problems: list[UnitProblem] = []
    specifiers = specifiers_for_unit("kubelet.service")
    (command,) = exec_start_words(
        directive("ExecStart=/usr/bin/kubelet --hostname-override=%H --eviction-hard=memory.available<5%"),
        specifiers=specifiers,
        problems=problems,
    )
    assert [w.text for w in command.argv[1:]] == ["--hostname-override=%H", "--eviction-hard=memory.available<5%"]
    assert problem_kinds(problems) == ["unresolved-specifier"]
    assert exec_start_words(directive("ExecStart=/usr/bin/kubelet --x=%Z"), specifiers=specifiers) == []


# ---------------------------------------------------------------------------
# Differential check against systemd-analyze
# ---------------------------------------------------------------------------

ANALYZE = shutil.which("systemd-analyze")


def _analyze_usable() -> bool:
    """Whether systemd-analyze can load a unit from a root here (it needs no running systemd)."""
    if ANALYZE is None:
        return False
    with tempfile.TemporaryDirectory() as root:
        unit = Path(root, "etc/systemd/system/kubelet.service")
        unit.parent.mkdir(parents=True)
        unit.write_text("[Service]\nExecStart=/bin/true\n")
        result = subprocess.run(
            [ANALYZE, "verify", f"--root={root}", "kubelet.service"],
            env={"SYSTEMD_LOG_LEVEL": "debug", "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    return "-> Unit kubelet.service:" in result.stdout + result.stderr


ANALYZE_USABLE = _analyze_usable()

_env_words = st.sampled_from(
    [
        "A=1",
        '"B=2 3"',
        "'C=4'",
        "D",
        "E=\\x41",
        "F=\\q",
        '"G=',
        "H=%n",
        "I=%Z",
        "J=a'b c'd",
        "“K=1”",
        "L=\\$",
        "M=",
        "1N=x",
    ]
)
_exec_words = st.sampled_from(
    ["a", '"b c"', "'d e'", "\\;", ";", "\\x41", "\\q", "%%", "%n", "$VAR", "${VAR}", '"', "x\\ y", '--f="1 2"', "%Z"]
)
_exec_heads = st.sampled_from(
    ["/usr/bin/kubelet", "-/bin/x", "@/bin/x", ":/bin/y", "+/bin/z", "kubelet", "bin/k", '"/bin/q"']
)


def _analyze(root: Path) -> tuple[dict[str, str], list[list[str]]] | None:
    """Environment= entries and ExecStart= argv from systemd-analyze's unit dump; None if the unit fails to load."""
    result = subprocess.run(
        [str(ANALYZE), "verify", f"--root={root}", "kubelet.service"],
        env={"SYSTEMD_LOG_LEVEL": "debug", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    output = result.stdout + result.stderr
    if "-> Unit kubelet.service:" not in output:
        return None
    environment: dict[str, str] = {}
    commands: list[list[str]] = []
    block = ""
    for line in output.splitlines():
        stripped = line.strip()
        if stripped.startswith("-> "):
            block = stripped
        elif stripped.startswith("Environment: "):
            name, _, value = stripped.removeprefix("Environment: ").partition("=")
            environment[name] = value
        elif stripped.startswith("Command Line: ") and block == "-> ExecStart:":
            commands.append(_split_dumped_command(stripped.removeprefix("Command Line: ")))
    return environment, commands


def _split_dumped_command(line: str) -> list[str]:
    """Undo systemd's quote_command_line(): words quoted with "..." and C escapes inside."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=False)
    lexer.whitespace_split = True
    lexer.escapedquotes = ""
    lexer.escape = ""
    return [_c_unescape(word) for word in lexer]


def _c_unescape(word: str) -> str:
    out: list[str] = []
    index = 0
    simple = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
    while index < len(word):
        char = word[index]
        if char != "\\" or index + 1 >= len(word):
            out.append(char)
            index += 1
            continue
        following = word[index + 1]
        if following == "x":
            out.append(chr(int(word[index + 2 : index + 4], 16)))
            index += 4
        else:
            out.append(simple.get(following, following))
            index += 2
    return "".join(out)


@pytest.mark.skipif(not ANALYZE_USABLE, reason="systemd-analyze is not installed or cannot load units here")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(env=st.lists(_env_words, min_size=1, max_size=4), head=_exec_heads, args=st.lists(_exec_words, max_size=5))
def test_matches_systemd_analyze(env: list[str], head: str, args: list[str], tmp_path: Path) -> None:
    unit_dir = tmp_path / "etc/systemd/system"
    (unit_dir / "kubelet.service.d").mkdir(parents=True, exist_ok=True)
    (unit_dir / "kubelet.service").write_text("[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStop=/bin/true\n")
    text = f"[Service]\nEnvironment={' '.join(env)}\nExecStart={' '.join([head, *args])}\n"
    (unit_dir / "kubelet.service.d/10-test.conf").write_text(text)
    theirs = _analyze(tmp_path)

    unit = parse_unit(text, DROPIN)
    specifiers = specifiers_for_unit("kubelet.service")
    problems: list[UnitProblem] = []
    ours_env = {
        a.name: a.value.text
        for a in split_environment_assignments(one(unit, "Environment"), specifiers=specifiers, problems=problems)
    }
    ours_commands = exec_start_words(one(unit, "ExecStart"), specifiers=specifiers, problems=problems, in_dropin=True)
    fails = any(problem.fatal for problem in problems)
    if theirs is None:
        assert fails, text
        return
    assert not fails, text
    assert ours_env == theirs[0], text
    assert [[w.text for w in c.argv] for c in ours_commands] == theirs[1], text


_unit_lines = st.sampled_from(
    [
        "[Service]",
        "[service]",
        "[服务]",
        "[X-Extra]",
        "[Service",
        "Environment=A=1",
        "Environment=B=2 \\",
        "  C=3",
        "# comment",
        "; comment",
        "Environment=",
        "Environment = D=4 ",
        "junk",
        "=x",
        "Environment=E=5\\\\",
        "Environment=F=6 \\\\\\",
        "",
        "environment=G=7",
    ]
)


@pytest.mark.skipif(not ANALYZE_USABLE, reason="systemd-analyze is not installed or cannot load units here")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_unit_lines, min_size=1, max_size=8))
def test_line_structure_matches_systemd_analyze(lines: list[str], tmp_path: Path) -> None:
    unit_dir = tmp_path / "etc/systemd/system"
    (unit_dir / "kubelet.service.d").mkdir(parents=True, exist_ok=True)
    (unit_dir / "kubelet.service").write_text("[Service]\nExecStart=/bin/true\n")
    text = "\n".join(lines) + "\n"
    (unit_dir / "kubelet.service.d/10-test.conf").write_text(text)
    theirs = _analyze(tmp_path)
    assert theirs is not None, text

    ours: dict[str, str] = {}
    for found in parse_unit(text, DROPIN).get("Service", "Environment"):
        if not found.value:
            ours.clear()
        for assignment in split_environment_assignments(found):
            ours[assignment.name] = assignment.value.text
    assert ours == theirs[0], text
