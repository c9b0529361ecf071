"""Resolving a node's kubelet.service: search path, drop-ins, environment, argv and provenance."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from kubelint.diagnostics import Location, Severity, Span
from kubelint.loaders.cmdline import parse_kubelet_flags
from kubelint.systemd_resolve import ResolvedService, dropin_directory_names, resolve_kubelet_service

TREES = Path(__file__).parent / "trees" / "systemd"
KUBEADM_DROPIN = "usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf"
FLAGS_ENV = "var/lib/kubelet/kubeadm-flags.env"


def resolve(tree: str) -> ResolvedService:
    return resolve_kubelet_service(TREES / tree)


def argv(service: ResolvedService) -> list[str]:
    return [word.text for word in service.argv]


def kinds(service: ResolvedService) -> list[str]:
    return [problem.kind for problem in service.problems]


def write(root: Path, path: str, text: str) -> Path:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return target


def simple_unit(root: Path, exec_start: str = "/usr/bin/kubelet", extra: str = "") -> None:
    write(root, "usr/lib/systemd/system/kubelet.service", f"[Service]\n{extra}ExecStart={exec_start}\n")


# ---------------------------------------------------------------------------
# Realistic layouts
# ---------------------------------------------------------------------------


def test_kubeadm_deb_argv_with_provenance() -> None:
    service = resolve("kubeadm-deb")
    assert service.problems == ()
    assert service.will_start
    assert [(f.role, f.path) for f in service.files] == [
        ("unit", "usr/lib/systemd/system/kubelet.service"),
        ("drop-in", KUBEADM_DROPIN),
        ("environment-file", FLAGS_ENV),
        ("environment-file", "etc/default/kubelet"),
    ]
    assert argv(service) == [
        "/usr/bin/kubelet",
        "--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf",
        "--kubeconfig=/etc/kubernetes/kubelet.conf",
        "--config=/var/lib/kubelet/config.yaml",
        "--container-runtime-endpoint=unix:///run/containerd/containerd.sock",
        "--pod-infra-container-image=registry.k8s.io/pause:3.10",
        "--node-ip=10.0.0.12",
        "--cgroup-driver=cgroupfs",
    ]
    executable, bootstrap, kubeconfig, config, endpoint, pause, _, driver = service.argv
    assert executable.location == Location(KUBEADM_DROPIN, Span(11, 11, 11, 27))
    assert executable.via == (f"ExecStart in {KUBEADM_DROPIN}:11",)
    assert bootstrap.location == Location(KUBEADM_DROPIN, Span(3, 38, 3, 99))
    assert kubeconfig.location == Location(KUBEADM_DROPIN, Span(3, 100, 3, 141))
    assert config.location == Location(KUBEADM_DROPIN, Span(4, 34, 4, 71))
    assert config.via == (f"KUBELET_CONFIG_ARGS in {KUBEADM_DROPIN}:4", f"ExecStart in {KUBEADM_DROPIN}:11")
    assert endpoint.location == Location(FLAGS_ENV, Span(1, 23, 1, 90))
    assert pause.location == Location(FLAGS_ENV, Span(1, 91, 1, 145))
    assert pause.via == (f"KUBELET_KUBEADM_ARGS in {FLAGS_ENV}:1", f"ExecStart in {KUBEADM_DROPIN}:11")
    assert driver.location == Location("etc/default/kubelet", Span(1, 41, 1, 65))
    assert service.exec_location == Location(KUBEADM_DROPIN, Span(11, 11, 11, 115))


def test_kubeadm_deb_environment_sources() -> None:
    service = resolve("kubeadm-deb")
    environment = service.environment
    assert environment["KUBELET_CONFIG_ARGS"].source == "Environment"
    assert environment["KUBELET_KUBEADM_ARGS"].source == "EnvironmentFile"
    assert environment["KUBELET_KUBEADM_ARGS"].loaded_by == Location(KUBEADM_DROPIN, Span(6, 18, 6, 52))
    assert environment["KUBELET_EXTRA_ARGS"].name_location == Location("etc/default/kubelet", Span(1, 1, 1, 19))
    assert service.environment_file_settings == ("-/var/lib/kubelet/kubeadm-flags.env", "-/etc/default/kubelet")


def test_kubeadm_flags_parse_from_resolved_argv() -> None:
    service = resolve("kubeadm-deb")
    parsed = parse_kubelet_flags(service.arguments, lambda name: False)
    driver = parsed.last("cgroup-driver")
    assert driver is not None
    assert driver.value == "cgroupfs"
    assert driver.value_location == Location("etc/default/kubelet", Span(1, 57, 1, 65))
    assert driver.via[0] == "KUBELET_EXTRA_ARGS in etc/default/kubelet:1"
    assert parsed.problems == ()


def test_kubeadm_rpm_before_kubeadm_init() -> None:
    service = resolve("kubeadm-rpm")
    assert service.will_start
    assert argv(service)[-1] == "--config=/var/lib/kubelet/config.yaml"
    assert [(p.kind, p.severity, p.location) for p in service.problems] == [
        (
            "optional-environment-file-missing",
            Severity.INFO,
            Location("usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf", Span(6, 18, 6, 52)),
        ),
        (
            "unset-variable",
            Severity.INFO,
            Location("usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf", Span(11, 74, 11, 95)),
        ),
    ]
    assert service.environment["KUBELET_EXTRA_ARGS"].value == ""
    assert [variable.name for variable in service.unset_variables] == ["KUBELET_KUBEADM_ARGS"]


def test_binary_install_with_comment_inside_kubelet_opts() -> None:
    service = resolve("binary")
    assert [f.path for f in service.files] == [
        "usr/lib/systemd/system/kubelet.service",
        "opt/kubernetes/cfg/kubelet.conf",
    ]
    (problem,) = service.problems
    assert problem.kind == "comment-in-quoted-value"
    assert problem.location == Location("opt/kubernetes/cfg/kubelet.conf", Span(7, 1, 7, 42))
    parsed = parse_kubelet_flags(service.arguments, lambda name: False)
    assert [word.text for word in parsed.positional] == ["#", "bootstrap", "kubeconfig,", "used", "once", "to", "join"]
    hostname = parsed.last("hostname-override")
    assert hostname is not None
    assert hostname.whole_location == Location("opt/kubernetes/cfg/kubelet.conf", Span(4, 1, 4, 31))
    assert hostname.via == (
        "KUBELET_OPTS in opt/kubernetes/cfg/kubelet.conf:1",
        "ExecStart in usr/lib/systemd/system/kubelet.service:7",
    )


def test_seed_mangled_dropin() -> None:
    service = resolve("mangled")
    dropin = "usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf"
    translated = "usr/lib/systemd/system/kubelet.service.d/20-translated.conf"
    assert [(p.kind, p.location) for p in service.problems] == [
        ("lookalike-quote", Location(dropin, Span(2, 13, 2, 14))),
        ("lookalike-quote", Location(dropin, Span(2, 141, 2, 142))),
        ("unknown-section", Location(translated, Span(1, 1, 1, 5))),
        ("section-case", Location(translated, Span(3, 1, 3, 10))),
        ("invalid-assignment", Location(dropin, Span(2, 13, 2, 99))),
        ("invalid-assignment", Location(dropin, Span(2, 100, 2, 142))),
        ("optional-environment-file-missing", Location(dropin, Span(5, 18, 5, 40))),
        ("unset-variable", Location(dropin, Span(7, 28, 7, 52))),
        ("unset-variable", Location(dropin, Span(7, 53, 7, 72))),
        ("unset-variable", Location(dropin, Span(7, 95, 7, 112))),
    ]
    unset = [p.message for p in service.problems if p.kind == "unset-variable"]
    assert "did you mean $KUBELET_KUBECONFIG_ARGS?" in unset[0]
    assert "did you mean $KUBELET_CONFIG_ARGS?" in unset[1]
    assert "did you mean $KUBELET_EXTRA_ARGS?" in unset[2]
    # The kubelet silently starts without --kubeconfig and --config.
    assert argv(service) == ["/usr/bin/kubelet", "--container-runtime-endpoint=unix:///run/containerd/containerd.sock"]
    assert "KUBELET_EXTRA_ARGS" not in service.environment


def test_layered_dropins_order_masking_and_overrides() -> None:
    service = resolve("layered")
    assert [dropin.path for dropin in service.dropins] == [
        "etc/systemd/system/service.d/05-all.conf",
        "etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
        "run/systemd/system/kubelet.service.d/20-runtime.conf",
    ]
    assert service.masked_dropins == ("etc/systemd/system/kubelet.service.d/30-off.conf",)
    assert "HIDDEN" not in service.environment
    assert kinds(service) == ["ignored-dropin", "masked-dropin", "masked-dropin"]
    assert argv(service) == ["/usr/bin/kubelet", "--config=/etc/kubernetes/kubelet-config.yaml", "--v=6"]
    extra = service.environment["KUBELET_EXTRA_ARGS"]
    assert extra.location == Location("run/systemd/system/kubelet.service.d/20-runtime.conf", Span(2, 32, 2, 37))
    assert extra.overrides == (Location("etc/systemd/system/kubelet.service.d/10-kubeadm.conf", Span(2, 99, 2, 104)),)
    # ${KUBELET_EXTRA_ARGS} on a continuation line is one word taken whole from the variable.
    assert service.argv[2].via[-1] == "ExecStart in etc/systemd/system/kubelet.service.d/10-kubeadm.conf:4"


def test_dropin_without_exec_start_reset() -> None:
    service = resolve("no-reset")
    assert not service.will_start
    (problem,) = service.problems
    assert problem.kind == "multiple-exec-start"
    assert problem.fatal
    assert problem.location == Location("etc/systemd/system/kubelet.service.d/10-kubeadm.conf", Span(3, 1, 3, 10))
    assert "empty ExecStart=" in problem.message
    assert argv(service) == ["/usr/bin/kubelet", "--config=/var/lib/kubelet/config.yaml"]


def test_environment_files_override_environment_and_missing_ones() -> None:
    service = resolve("envfiles")
    assert not service.will_start
    assert [(p.kind, p.severity, p.fatal) for p in service.problems] == [
        ("optional-environment-file-missing", Severity.INFO, False),
        ("environment-file-missing", Severity.ERROR, True),
    ]
    assert service.problems[1].location == Location("etc/systemd/system/kubelet.service", Span(4, 17, 4, 53))
    shared = service.environment["SHARED"]
    assert (shared.value, shared.source) == ("from-file", "EnvironmentFile")
    assert shared.overrides == (Location("etc/systemd/system/kubelet.service", Span(2, 39, 2, 55)),)
    assert service.unit_environment["SHARED"].value == "from-environment"
    # Globbed files load in sorted order; the last one wins.
    assert service.environment["EXTRA"].value == "--b=3"
    assert argv(service) == ["/usr/bin/kubelet", "--v=1", "--shared=from-file", "--b=3"]
    assert service.argv[2].via == (
        "SHARED in etc/kubernetes/kubelet.env:1",
        "ExecStart in etc/systemd/system/kubelet.service:7",
    )


# ---------------------------------------------------------------------------
# Filesystem edge cases (built in tmp_path: symlinks, loops, special files)
# ---------------------------------------------------------------------------


def test_absolute_symlinks_resolve_inside_the_root(tmp_path: Path) -> None:
    simple_unit(tmp_path)
    link = tmp_path / "etc/systemd/system/kubelet.service"
    link.parent.mkdir(parents=True)
    link.symlink_to("/usr/lib/systemd/system/kubelet.service")
    service = resolve_kubelet_service(tmp_path)
    assert service.found and service.problems == ()
    assert service.files[0].path == "usr/lib/systemd/system/kubelet.service"
    assert service.files[0].requested == "/etc/systemd/system/kubelet.service"


def test_symlink_climbing_out_of_the_root_is_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "node"
    outside = write(tmp_path, "secret.service", "[Service]\nExecStart=/outside/binary\n")
    simple_unit(root)
    dropin_dir = root / "etc/systemd/system/kubelet.service.d"
    dropin_dir.mkdir(parents=True)
    (dropin_dir / "50-escape.conf").symlink_to(os.path.relpath(outside, dropin_dir))
    service = resolve_kubelet_service(root)
    assert argv(service) == ["/usr/bin/kubelet"]
    assert [p.kind for p in service.problems] == ["unreadable-file"]
    assert "climbs above the node root" in service.problems[0].message
    assert all("/outside" not in f.text for f in service.files)


def test_symlink_loop_is_a_problem(tmp_path: Path) -> None:
    system = tmp_path / "etc/systemd/system"
    system.mkdir(parents=True)
    (system / "kubelet.service").symlink_to("kubelet.service")
    simple_unit(tmp_path)
    service = resolve_kubelet_service(tmp_path)
    assert "symlink loop" in service.problems[0].message
    assert service.found  # the lower-priority unit file is used instead


def test_masked_unit(tmp_path: Path) -> None:
    simple_unit(tmp_path)
    system = tmp_path / "etc/systemd/system"
    system.mkdir(parents=True)
    (system / "kubelet.service").symlink_to("/dev/null")
    service = resolve_kubelet_service(tmp_path)
    assert service.masked and not service.found and not service.will_start
    assert kinds(service) == ["masked"]


def test_empty_unit_file_counts_as_masked(tmp_path: Path) -> None:
    write(tmp_path, "etc/systemd/system/kubelet.service", "")
    service = resolve_kubelet_service(tmp_path)
    assert service.masked and kinds(service) == ["masked"]


def test_unit_not_found(tmp_path: Path) -> None:
    service = resolve_kubelet_service(tmp_path)
    assert not service.found
    assert kinds(service) == ["unit-not-found"]
    assert service.argv == ()


def test_directory_where_a_file_is_expected(tmp_path: Path) -> None:
    (tmp_path / "etc/systemd/system/kubelet.service").mkdir(parents=True)
    simple_unit(tmp_path, extra="EnvironmentFile=/etc/kubelet.env\n")
    (tmp_path / "etc/kubelet.env").mkdir(parents=True)
    service = resolve_kubelet_service(tmp_path)
    assert kinds(service) == ["unreadable-file", "environment-file-missing"]
    assert "is a directory" in service.problems[0].message
    assert "is a directory" in service.problems[1].message


def test_fifo_is_never_opened(tmp_path: Path) -> None:
    simple_unit(tmp_path, extra="EnvironmentFile=-/etc/kubelet.env\n")
    (tmp_path / "etc").mkdir()
    os.mkfifo(tmp_path / "etc/kubelet.env")
    service = resolve_kubelet_service(tmp_path)
    assert kinds(service) == ["optional-environment-file-missing"]
    assert "not a regular file" in service.problems[0].message


def test_dropin_directory_that_is_a_file(tmp_path: Path) -> None:
    simple_unit(tmp_path)
    write(tmp_path, "etc/systemd/system/kubelet.service.d", "oops")
    service = resolve_kubelet_service(tmp_path)
    assert argv(service) == ["/usr/bin/kubelet"]


def test_bad_exec_start_in_the_unit_file_is_fatal(tmp_path: Path) -> None:
    simple_unit(tmp_path, exec_start='/usr/bin/kubelet "--v=2')
    service = resolve_kubelet_service(tmp_path)
    assert not service.will_start
    assert kinds(service) == ["invalid-syntax", "no-exec-start"]
    assert service.problems[0].fatal


def test_host_specifiers_come_from_the_node(tmp_path: Path) -> None:
    simple_unit(tmp_path, exec_start="/usr/bin/kubelet --hostname-override=%H --root-dir=%S/kubelet")
    write(tmp_path, "etc/hostname", "node-1.example.test\n")
    service = resolve_kubelet_service(tmp_path)
    assert argv(service) == [
        "/usr/bin/kubelet",
        "--hostname-override=node-1.example.test",
        "--root-dir=/var/lib/kubelet",
    ]


def test_unset_environment_removes_variables(tmp_path: Path) -> None:
    simple_unit(tmp_path, exec_start="/usr/bin/kubelet $A $B", extra="Environment=A=--a B=--b\nUnsetEnvironment=B\n")
    service = resolve_kubelet_service(tmp_path)
    assert argv(service) == ["/usr/bin/kubelet", "--a"]


def test_dropin_directory_names() -> None:
    assert dropin_directory_names("kubelet.service") == (["kubelet.service.d"], "service.d")
    assert dropin_directory_names("kube-node-agent.service") == (
        ["kube-node-agent.service.d", "kube-node-.service.d", "kube-.service.d"],
        "service.d",
    )


# ---------------------------------------------------------------------------
# Cross-check with systemd itself
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


def _systemd_dump(root: Path) -> dict[str, list[str]] | None:
    """DropIn Path, Environment, EnvironmentFile and ExecStart lines of systemd-analyze's unit dump."""
    result = subprocess.run(
        [str(ANALYZE), "verify", f"--root={root}", "kubelet.service"],
        env={"SYSTEMD_LOG_LEVEL": "debug", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = result.stdout + result.stderr
    if "-> Unit kubelet.service:" not in output:
        return None
    found: dict[str, list[str]] = {"DropIn Path": [], "Environment": [], "EnvironmentFile": [], "Command Line": []}
    for line in output.splitlines():
        key, separator, value = line.strip().partition(": ")
        if separator and key in found:
            found[key].append(value)
    return found


@pytest.mark.skipif(not ANALYZE_USABLE, reason="systemd-analyze is not installed or cannot load units here")
@pytest.mark.parametrize("tree", ["kubeadm-deb", "kubeadm-rpm", "binary", "mangled", "layered", "no-reset", "envfiles"])
def test_resolution_matches_systemd_analyze(tree: str, tmp_path: Path) -> None:
    root = tmp_path / tree
    shutil.copytree(TREES / tree, root, symlinks=True)
    theirs = _systemd_dump(root)
    service = resolve_kubelet_service(root)
    load_failures = {"multiple-exec-start", "no-exec-start", "masked"}
    if theirs is None:
        assert load_failures & set(kinds(service))
        return
    assert not load_failures & set(kinds(service))
    dropins = sorted(
        [d.path for d in service.dropins] + list(service.masked_dropins), key=lambda p: p.rsplit("/", 1)[1]
    )
    assert [os.path.relpath(path, root) for path in theirs["DropIn Path"]] == dropins
    assert theirs["Environment"] == [f"{name}={v.value}" for name, v in service.unit_environment.items()]
    assert theirs["EnvironmentFile"] == list(service.environment_file_settings)
    assert service.exec_command is not None
    # systemd prints argv before $VAR expansion, double-quoting words with special characters.
    printed = theirs["Command Line"][0].split(" ")
    words = [word.text for word in service.exec_command.argv]
    assert len(printed) == len(words)
    for shown, ours in zip(printed, words, strict=True):
        assert shown in (ours, _dump_quoted(ours))


def _dump_quoted(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`")
    return f'"{escaped}"'
