"""argv words with provenance, systemd's $VAR expansion, command-line splitting and pflag parsing."""

from __future__ import annotations

from kubelint.diagnostics import Location, Span
from kubelint.loaders.cmdline import (
    EnvValue,
    UnsetVariable,
    Word,
    expand_exec_start,
    parse_kubelet_flags,
    split_cmdline,
    split_cmdline_with_problems,
    split_proc_cmdline,
    word_from_mapped,
)
from kubelint.loaders.envfile import parse_env_file
from kubelint.loaders.systemd import exec_start_words, parse_unit

DROPIN = "etc/systemd/system/kubelet.service.d/10-kubeadm.conf"
FLAGS_ENV = "var/lib/kubelet/kubeadm-flags.env"
BOOL_FLAGS = {"help", "fail-swap-on", "rotate-certificates", "anonymous-auth"}


def is_bool(name: str) -> bool:
    return name in BOOL_FLAGS


def exec_words(value: str) -> list[Word]:
    unit = parse_unit(f"[Service]\nExecStart={value}\n", DROPIN)
    (command,) = exec_start_words(unit.get("Service", "ExecStart")[0])
    return [word_from_mapped(mapped, DROPIN, (f"ExecStart in {DROPIN}:2",)) for mapped in command.argv]


def kubeadm_flags(text: str) -> EnvValue:
    env = parse_env_file(text, FLAGS_ENV)
    assignment = env.assignments[0]
    return EnvValue(assignment.value, FLAGS_ENV, f"{assignment.name} in {FLAGS_ENV}:{assignment.line}")


def texts(words: list[Word]) -> list[str]:
    return [word.text for word in words]


def plain(*texts: str) -> list[Word]:
    return [Word(text, None) for text in texts]


# ---------------------------------------------------------------------------
# expand_exec_start
# ---------------------------------------------------------------------------


def test_dollar_var_splits_and_points_into_the_env_file() -> None:
    flags = kubeadm_flags(
        'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock --cgroup-driver=cgroupfs"\n'
    )
    words = expand_exec_start(exec_words("/usr/bin/kubelet $KUBELET_KUBEADM_ARGS"), {"KUBELET_KUBEADM_ARGS": flags})
    assert texts(words) == [
        "/usr/bin/kubelet",
        "--container-runtime-endpoint=unix:///run/containerd/containerd.sock",
        "--cgroup-driver=cgroupfs",
    ]
    cgroup = words[2]
    assert cgroup.location == Location(FLAGS_ENV, Span(1, 91, 1, 115))
    assert cgroup.via == (f"KUBELET_KUBEADM_ARGS in {FLAGS_ENV}:1", f"ExecStart in {DROPIN}:2")
    assert cgroup.sub_location(16, 24) == Location(FLAGS_ENV, Span(1, 107, 1, 115))
    assert words[0].location == Location(DROPIN, Span(2, 11, 2, 27))


def test_braced_var_is_one_word_and_may_sit_inside_a_word() -> None:
    environment: dict[str, EnvValue | str] = {"OPTS": "--a=1 --b=2", "DIR": "/var/lib/kubelet"}
    words = expand_exec_start(exec_words("/bin/k ${OPTS} --root-dir=${DIR}/x $OPTS"), environment)
    assert texts(words) == ["/bin/k", "--a=1 --b=2", "--root-dir=/var/lib/kubelet/x", "--a=1", "--b=2"]
    # A word built around a reference stays in the unit file and spans the whole word.
    assert words[2].location == Location(DROPIN, Span(2, 26, 2, 45))
    assert words[1].location == Location(DROPIN, Span(2, 18, 2, 25))


def test_quotes_inside_a_value_group_words_when_split() -> None:
    words = expand_exec_start(plain("$EXTRA"), {"EXTRA": "--node-labels='a=b c' \"--x=1 2\" plain"})
    assert texts(words) == ["--node-labels=a=b c", "--x=1 2", "plain"]


def test_unset_variables_expand_to_nothing_and_are_reported() -> None:
    unset: list[UnsetVariable] = []
    words = expand_exec_start(
        exec_words("/usr/bin/kubelet $KUBEET_CONFIG_ARGS ${MISSING} a${MISSING}b $A.b"), {}, unset=unset
    )
    # $NAME as a whole word vanishes; ${NAME} leaves an empty (or shorter) word behind.
    assert texts(words) == ["/usr/bin/kubelet", "", "ab"]
    assert unset == [
        UnsetVariable("KUBEET_CONFIG_ARGS", Span(2, 28, 2, 47), DROPIN),
        UnsetVariable("MISSING", Span(2, 48, 2, 58), DROPIN),
        UnsetVariable("MISSING", Span(2, 60, 2, 70), DROPIN),
        UnsetVariable("A.b", Span(2, 72, 2, 76), DROPIN, invalid_name=True),
    ]
    assert unset[0].location == Location(DROPIN, Span(2, 28, 2, 47))


def test_double_dollar_and_mid_word_dollar_stay_literal() -> None:
    environment: dict[str, EnvValue | str] = {"HOME": "/root", "A": "1"}
    words = expand_exec_start(plain("$$HOME", "--x=$HOME", "a$", "${UNCLOSED", "${A:-b}", "${A:-b}${A}"), environment)
    assert texts(words) == ["$HOME", "--x=$HOME", "a$", "${UNCLOSED", "${A:-b}", "${A:-b}1"]


def test_set_but_empty_variable_gives_no_words() -> None:
    assert texts(expand_exec_start(plain("/bin/k", "$EMPTY"), {"EMPTY": ""})) == ["/bin/k"]


def test_words_without_provenance_pass_through() -> None:
    words = expand_exec_start(plain("/bin/k", "--v=2"), {})
    assert words == plain("/bin/k", "--v=2")


# ---------------------------------------------------------------------------
# split_cmdline and split_proc_cmdline
# ---------------------------------------------------------------------------


def test_split_cmdline_shell_quoting() -> None:
    text = 'kubelet --config \'/etc/k b.yaml\' --x="a\\"b $c" one\\ word \\\n  --v=2 # trailing comment\n--y=1'
    assert texts(split_cmdline(text)) == [
        "kubelet",
        "--config",
        "/etc/k b.yaml",
        '--x=a"b $c',
        "one word",
        "--v=2",
        "--y=1",
    ]


def test_split_cmdline_locations() -> None:
    words = split_cmdline("kubelet --config '/a b'\n  --v=2", "cmdline.txt")
    assert [word.location for word in words] == [
        Location("cmdline.txt", Span(1, 1, 1, 8)),
        Location("cmdline.txt", Span(1, 9, 1, 17)),
        Location("cmdline.txt", Span(1, 19, 1, 23)),
        Location("cmdline.txt", Span(2, 3, 2, 8)),
    ]
    assert split_cmdline("kubelet")[0].location is None


def test_split_cmdline_unterminated_quote() -> None:
    words, problems = split_cmdline_with_problems("kubelet --x='open end", "c")
    assert texts(words) == ["kubelet", "--x=open end"]
    assert [(p.kind, p.span) for p in problems] == [("unterminated-quote", Span(1, 13, 1, 14))]


def test_split_cmdline_empty_quotes_make_an_empty_word() -> None:
    assert texts(split_cmdline("a '' b")) == ["a", "", "b"]


def test_split_proc_cmdline() -> None:
    words = split_proc_cmdline(b"/usr/bin/kubelet\0--v=2\0\0--x=\xff\0", "proc/1234/cmdline")
    assert texts(words) == ["/usr/bin/kubelet", "--v=2", "", "--x=\ufffd"]
    assert words[1].location == Location("proc/1234/cmdline", Span(1, 18, 1, 23))
    assert split_proc_cmdline(b"") == []
    assert texts(split_proc_cmdline(b"kubelet")) == ["kubelet"]


# ---------------------------------------------------------------------------
# parse_kubelet_flags
# ---------------------------------------------------------------------------


def test_equals_and_separate_values() -> None:
    parsed = parse_kubelet_flags(plain("--config=/c.yaml", "--kubeconfig", "/k.conf", "--node-ip="), is_bool)
    assert [(o.name, o.value, o.index, o.value_index) for o in parsed.occurrences] == [
        ("config", "/c.yaml", 0, 0),
        ("kubeconfig", "/k.conf", 1, 2),
        ("node-ip", "", 3, 3),
    ]
    assert parsed.problems == ()


def test_booleans() -> None:
    parsed = parse_kubelet_flags(
        plain("--fail-swap-on", "--rotate-certificates=false", "--anonymous-auth", "x"), is_bool
    )
    assert [(o.name, o.value, o.effective_value) for o in parsed.occurrences] == [
        ("fail-swap-on", None, "true"),
        ("rotate-certificates", "false", "false"),
        ("anonymous-auth", None, "true"),
    ]
    assert texts(list(parsed.positional)) == ["x"]
    assert [p.kind for p in parsed.problems] == ["positional"]


def test_short_verbosity_forms() -> None:
    parsed = parse_kubelet_flags(plain("-v=2", "-v", "3", "-v4", "--v=5"), is_bool)
    assert [(o.name, o.written_name, o.value, o.shorthand) for o in parsed.occurrences] == [
        ("v", "v", "2", True),
        ("v", "v", "3", True),
        ("v", "v", "4", True),
        ("v", "v", "5", False),
    ]
    assert parsed.last("v") is not None and parsed.values()["v"] == "5"


def test_underscores_are_dashes_but_the_written_name_is_kept() -> None:
    parsed = parse_kubelet_flags(plain("--cluster_dns=10.96.0.10", "--cluster-dns=10.96.0.11"), is_bool)
    assert [(o.name, o.written_name) for o in parsed.occurrences] == [
        ("cluster-dns", "cluster_dns"),
        ("cluster-dns", "cluster-dns"),
    ]
    assert [o.value for o in parsed.all("cluster_dns")] == ["10.96.0.10", "10.96.0.11"]
    assert parsed.values() == {"cluster-dns": "10.96.0.11"}


def test_missing_value_at_the_end() -> None:
    parsed = parse_kubelet_flags(plain("--v=2", "--config"), is_bool)
    (problem,) = parsed.problems
    assert problem.kind == "missing-value"
    assert problem.index == 1
    assert parsed.occurrences[-1].value is None


def test_value_that_looks_like_a_flag_is_still_taken() -> None:
    parsed = parse_kubelet_flags(plain("--config", "--v=2"), is_bool)
    assert [(o.name, o.value) for o in parsed.occurrences] == [("config", "--v=2")]
    assert [p.kind for p in parsed.problems] == ["value-looks-like-flag"]


def test_double_dash_and_stray_words() -> None:
    parsed = parse_kubelet_flags(plain("#", "--v=2", "", "--", "--config=/c"), is_bool)
    assert [o.name for o in parsed.occurrences] == ["v"]
    assert texts(list(parsed.positional)) == ["#", "", "--config=/c"]
    assert [p.kind for p in parsed.problems] == ["positional", "positional", "positional"]
    assert "empty argument" in parsed.problems[1].message


def test_bad_syntax_and_single_dash_long_flags() -> None:
    parsed = parse_kubelet_flags(plain("---v=2", "--=x", "-config=/c", "-"), is_bool)
    assert [p.kind for p in parsed.problems] == ["bad-syntax", "bad-syntax", "unknown-shorthand", "positional"]
    assert "two dashes" in parsed.problems[2].message


def test_locations_of_name_value_and_whole() -> None:
    flags = kubeadm_flags('KUBELET_KUBEADM_ARGS="--cgroup-driver=cgroupfs --node-ip 10.0.0.1"\n')
    words = expand_exec_start(exec_words("/usr/bin/kubelet $KUBELET_KUBEADM_ARGS"), {"KUBELET_KUBEADM_ARGS": flags})
    parsed = parse_kubelet_flags(words[1:], is_bool)
    driver, node_ip = parsed.occurrences
    assert driver.name_location == Location(FLAGS_ENV, Span(1, 23, 1, 38))
    assert driver.value_location == Location(FLAGS_ENV, Span(1, 39, 1, 47))
    assert driver.whole_location == Location(FLAGS_ENV, Span(1, 23, 1, 47))
    assert driver.via == (f"KUBELET_KUBEADM_ARGS in {FLAGS_ENV}:1", f"ExecStart in {DROPIN}:2")
    assert node_ip.name_location == Location(FLAGS_ENV, Span(1, 48, 1, 57))
    assert node_ip.value_location == Location(FLAGS_ENV, Span(1, 58, 1, 66))
    assert node_ip.whole_location == Location(FLAGS_ENV, Span(1, 48, 1, 66))
    assert (driver.index, node_ip.index, node_ip.value_index) == (0, 1, 2)
