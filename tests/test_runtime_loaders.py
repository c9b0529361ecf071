"""Runtime config loaders: containerd, CRI-O and Docker → cgroup driver settings."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint.diagnostics import Severity, Span
from kubelint.loaders.runtime import (
    detect_runtime_kind,
    load_containerd,
    load_crio,
    load_docker_daemon,
    load_runtime,
    merge_crio,
)
from kubelint.loaders.toml_positions import (
    KeyPath,
    TomlDocument,
    TomlSyntaxError,
    iter_paths,
    parse_toml,
)
from kubelint.models.runtime import RuntimeConfig, RuntimeKind

DATA = Path(__file__).parent / "data" / "runtime"
V2_OPTIONS = '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]'
V3_OPTIONS = "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]"


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def text_at(text: str, span: Span) -> str:
    """The text a span covers (1-based, end exclusive), to check spans by content."""
    lines = text.split("\n")
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    parts = [lines[span.line - 1][span.column - 1 :]]
    parts.extend(lines[span.line : span.end_line - 1])
    parts.append(lines[span.end_line - 1][: span.end_column - 1])
    return "\n".join(parts)


def kinds(config: RuntimeConfig) -> list[str]:
    return [problem.kind for problem in config.problems]


# -- TOML positions ---------------------------------------------------------


def test_toml_positions_of_quoted_headers_dotted_keys_and_inline_tables() -> None:
    text = (
        "version = 3\n"
        "[plugins.'io.containerd.cri.v1.runtime'.containerd]\n"
        '  runtimes.runc.options = { SystemdCgroup = true, "Binary\\u004eame" = "x" }\n'
    )
    doc = parse_toml(text)
    assert isinstance(doc, TomlDocument)
    base: KeyPath = ("plugins", "io.containerd.cri.v1.runtime", "containerd")
    assert text_at(text, doc.key_span(base[:2]) or Span(0, 0, 0, 0)) == ("'io.containerd.cri.v1.runtime'")
    options = (*base, "runtimes", "runc", "options")
    assert doc.value_span((*options, "SystemdCgroup")) == Span(3, 45, 3, 49)
    assert text_at(text, doc.key_span((*options, "BinaryName")) or Span(0, 0, 0, 0)) == ('"Binary\\u004eame"')
    assert text_at(text, doc.value_span(options) or Span(0, 0, 0, 0)).startswith("{ Systemd")
    assert doc.get((*options, "SystemdCgroup")) is True


def test_toml_positions_skip_multiline_string_contents() -> None:
    text = (
        'note = """\n'
        '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]\n'
        'SystemdCgroup = true""""\n'
        "other = '''\n"
        "[fake]\n"
        "x = 1'''\n"
        "real = [\n"
        '  "a", # SystemdCgroup = true\n'
        "  'b',\n"
        "]\n"
    )
    doc = parse_toml(text)
    assert isinstance(doc, TomlDocument)
    assert set(doc.positions) == {
        ("note",),
        ("other",),
        ("real",),
        ("real", 0),
        ("real", 1),
    }
    assert doc.value_span(("note",)) == Span(1, 8, 3, 25)
    assert doc.value_span(("real", 1)) == Span(9, 3, 9, 6)


def test_toml_positions_arrays_of_tables() -> None:
    text = "[[proxy]]\nname = 'a'\n[[proxy]]\nname = 'b'\n[proxy.tls]\nca = 'x'\n[[proxy.rule]]\nhost = 'h'\n"
    doc = parse_toml(text)
    assert isinstance(doc, TomlDocument)
    assert doc.value_span(("proxy", 0, "name")) == Span(2, 8, 2, 11)
    assert doc.value_span(("proxy", 1, "name")) == Span(4, 8, 4, 11)
    assert doc.value_span(("proxy", 1, "tls", "ca")) == Span(6, 6, 6, 9)
    assert doc.value_span(("proxy", 1, "rule", 0, "host")) == Span(8, 8, 8, 11)
    assert doc.value_span(("proxy", 1)) == Span(3, 1, 3, 10)


@pytest.mark.parametrize(
    ("text", "span", "message"),
    [
        ("[plugins\nx = 1\n", Span.point(1, 9), "Expected ']' at the end of a table declaration"),
        ("a = 1 b\n", Span.point(1, 7), "Expected newline or end of document after a statement"),
        ("a = [1,\n", Span.point(2, 1), "Invalid value"),
        ('a = "x', Span.point(1, 7), "Unterminated string"),
    ],
)
def test_toml_syntax_error_is_a_span_and_message(text: str, span: Span, message: str) -> None:
    result = parse_toml(text)
    assert result == TomlSyntaxError(span, message)


# -- containerd --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "literal"),
    [("containerd-1.7-systemd.toml", "systemd", "true"), ("containerd-1.7-cgroupfs.toml", "cgroupfs", "false")],
)
def test_containerd_default_config_v2(name: str, value: str, literal: str) -> None:
    text = read(name)
    config = load_containerd(text, "/etc/containerd/config.toml")
    assert config.kind is RuntimeKind.CONTAINERD
    assert config.config_version == 2
    assert config.default_runtime_name == "runc"
    assert list(config.drivers) == ["runc"]
    driver = config.default_driver
    assert (driver.value, driver.explicit, driver.handler) == (value, True, "runc")
    assert driver.location is not None
    assert driver.location.path == "/etc/containerd/config.toml"
    assert driver.location.span == Span(121, 29, 121, 29 + len(literal))
    assert text_at(text, driver.location.span) == literal
    # `containerd config default` writes systemd_cgroup = false: not worth a word.
    assert config.problems == ()


def test_containerd_extra_handlers_default_first_then_alphabetical() -> None:
    text = read("containerd-gpu-kata.toml")
    config = load_containerd(text, "config.toml")
    assert config.default_runtime_name == "nvidia"
    assert list(config.drivers) == ["nvidia", "kata", "runc"]
    assert config.default_driver.handler == "nvidia"
    assert config.default_driver.value == "systemd"
    assert config.default_driver.location is not None
    assert config.default_driver.location.span == Span(23, 25, 23, 29)
    kata = config.drivers["kata"]
    assert (kata.value, kata.explicit, kata.location) == ("cgroupfs", False, None)
    assert "not runc" in kata.note
    assert kata.anchor is not None and kata.anchor.span.line == 29
    assert config.drivers["runc"].location is not None
    assert config.drivers["runc"].location.span == Span(16, 25, 16, 29)
    assert config.problems == ()


def test_containerd_v3_config_and_imports() -> None:
    text = read("containerd-2.0-v3.toml")
    config = load_containerd(text, "config.toml")
    assert config.config_version == 3
    assert config.imports == ("/etc/containerd/conf.d/*.toml",)
    assert config.default_driver.value == "systemd"
    assert config.default_driver.location is not None
    assert config.default_driver.location.span == Span(56, 29, 56, 33)
    assert text_at(text, config.default_driver.location.span) == "true"
    # The v2 plugin ID is legitimate in a v3 file while it holds no runtimes.
    assert kinds(config) == ["imports"]
    assert config.problems[0].severity_hint is Severity.INFO
    assert config.problems[0].span == Span(9, 11, 9, 44)


def test_containerd_v1_old_form() -> None:
    text = read("containerd-v1-oldform.toml")
    config = load_containerd(text, "config.toml")
    assert config.config_version == 1
    assert config.default_driver.value == "systemd"
    assert config.default_driver.location is not None
    assert config.default_driver.location.span == Span(20, 19, 20, 23)
    assert config.problems == ()


def test_containerd_kubespray_misspelling_is_ignored_by_containerd() -> None:
    text = read("containerd-kubespray-misspelled.toml")
    config = load_containerd(text, "config.toml")
    driver = config.default_driver
    assert (driver.value, driver.explicit, driver.location) == ("cgroupfs", False, None)
    assert "systemCgroup" in driver.note
    assert driver.anchor is not None
    assert text_at(text, driver.anchor.span) == "options"
    (problem,) = config.problems
    assert problem.kind == "misspelled-key"
    assert problem.severity_hint is Severity.ERROR
    assert problem.span == Span(34, 13, 34, 25)
    assert text_at(text, problem.span) == "systemCgroup"
    assert problem.suggestion == "SystemdCgroup"


@pytest.mark.parametrize(
    ("key", "severity"),
    [
        ("systemdCgroup", Severity.WARNING),
        ("systemdcgroup", Severity.WARNING),
        ("SystemCgroup", Severity.ERROR),
        ("systemd_cgroup", Severity.ERROR),
        ("SystemdCgroups", Severity.ERROR),
    ],
)
def test_containerd_near_misses_of_systemd_cgroup(key: str, severity: Severity) -> None:
    text = f"version = 2\n{V2_OPTIONS}\n  {key} = true\n"
    config = load_containerd(text, "c.toml")
    assert config.default_driver.value == "cgroupfs"
    assert not config.default_driver.explicit
    (problem,) = config.problems
    assert (problem.kind, problem.severity_hint) == ("misspelled-key", severity)
    assert problem.span == Span(3, 3, 3, 3 + len(key))


def test_containerd_misspelling_set_to_false_is_only_a_warning() -> None:
    text = f"version = 2\n{V2_OPTIONS}\n  SystemCgroup = false\n"
    (problem,) = load_containerd(text, "c.toml").problems
    assert problem.severity_hint is Severity.WARNING


def test_containerd_v2_plugin_id_in_v3_file() -> None:
    text = f"version = 3\n{V2_OPTIONS}\n  SystemdCgroup = true\n"
    config = load_containerd(text, "c.toml")
    assert config.config_version == 3
    # The built-in runc handler stays on its default.
    assert config.default_driver.value == "cgroupfs"
    assert not config.default_driver.explicit
    (problem,) = config.problems
    assert problem.kind == "plugin-version-mismatch"
    assert problem.severity_hint is Severity.ERROR
    assert problem.span == Span(3, 19, 3, 23)
    assert "io.containerd.cri.v1.runtime" in problem.message


def test_containerd_v3_plugin_id_in_v2_file() -> None:
    text = f"version = 2\n{V3_OPTIONS}\n  SystemdCgroup = true\n"
    config = load_containerd(text, "c.toml")
    assert config.default_driver.value == "cgroupfs"
    assert kinds(config) == ["plugin-version-mismatch"]


def test_containerd_v2_plugin_id_without_version_line() -> None:
    text = f"{V2_OPTIONS}\n  SystemdCgroup = true\n"
    config = load_containerd(text, "c.toml")
    assert config.config_version == 1
    assert config.default_driver.value == "cgroupfs"
    (problem,) = config.problems
    assert problem.kind == "plugin-version-mismatch"
    assert "no `version` line" in problem.message


def test_containerd_v2_plugin_without_runtimes_in_v3_file_is_fine() -> None:
    text = "version = 3\n[plugins.'io.containerd.grpc.v1.cri']\n  disable_tcp_service = true\n"
    assert load_containerd(text, "c.toml").problems == ()


def test_containerd_legacy_systemd_cgroup() -> None:
    text = (
        "version = 2\n"
        '[plugins."io.containerd.grpc.v1.cri"]\n'
        "  systemd_cgroup = true\n"
        '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.legacy]\n'
        '  runtime_type = "io.containerd.runtime.v1.linux"\n'
    )
    config = load_containerd(text, "c.toml")
    (problem,) = config.problems
    assert problem.kind == "legacy-systemd-cgroup"
    assert problem.span == Span(3, 3, 3, 17)
    # runc (built in) ignores it; the old linux shim honours it.
    assert config.default_driver.value == "cgroupfs"
    legacy = config.drivers["legacy"]
    assert (legacy.value, legacy.explicit) == ("systemd", True)
    assert legacy.location is not None and legacy.location.span == Span(3, 20, 3, 24)


def test_containerd_misplaced_systemd_cgroup() -> None:
    text = (
        "version = 2\n"
        '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]\n'
        '  runtime_type = "io.containerd.runc.v2"\n'
        "  SystemdCgroup = true\n"
        '[plugins."io.containerd.grpc.v1.cri".registry]\n'
        '  config_path = ""\n'
        "SystemdCgroup = true\n"
    )
    config = load_containerd(text, "c.toml")
    assert config.default_driver.value == "cgroupfs"
    assert kinds(config) == ["misplaced-key", "misplaced-key"]
    assert [p.span for p in config.problems] == [Span(4, 3, 4, 16), Span(7, 1, 7, 14)]
    assert "appended" in config.problems[1].message


def test_containerd_non_boolean_systemd_cgroup() -> None:
    text = f'version = 2\n{V2_OPTIONS}\n  SystemdCgroup = "true"\n'
    config = load_containerd(text, "c.toml")
    assert config.default_driver.value == "cgroupfs"
    (problem,) = config.problems
    assert (problem.kind, problem.span) == ("invalid-value", Span(3, 19, 3, 25))


def test_containerd_inline_and_dotted_forms() -> None:
    text = (
        "version = 2\n"
        '[plugins."io.containerd.grpc.v1.cri".containerd]\n'
        '  default_runtime_name = "crun"\n'
        "  runtimes.runc.options.SystemdCgroup = false\n"
        '  runtimes.crun = { runtime_type = "io.containerd.runc.v2", '
        "options = { BinaryName = '/usr/bin/crun', SystemdCgroup = true } }\n"
    )
    config = load_containerd(text, "c.toml")
    assert list(config.drivers) == ["crun", "runc"]
    crun, runc = config.drivers["crun"], config.drivers["runc"]
    assert crun.value == "systemd" and crun.location is not None
    assert text_at(text, crun.location.span) == "true"
    assert runc.value == "cgroupfs" and runc.location is not None
    assert runc.location.span == Span(4, 41, 4, 46)
    assert config.default_driver == crun


def test_containerd_unknown_default_handler() -> None:
    text = 'version = 2\n[plugins."io.containerd.grpc.v1.cri".containerd]\n  default_runtime_name = "gvisor"\n'
    config = load_containerd(text, "c.toml")
    (problem,) = config.problems
    assert (problem.kind, problem.span) == ("unknown-default-handler", Span(3, 26, 3, 34))


def test_containerd_v3_without_runc_handler_reports_systemd() -> None:
    text = (
        "version = 3\n"
        "[plugins.'io.containerd.cri.v1.runtime'.containerd]\n"
        "  default_runtime_name = 'kata'\n"
        "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.kata]\n"
        "  runtime_type = 'io.containerd.kata.v2'\n"
    )
    config = load_containerd(text, "c.toml")
    assert config.default_driver.value == "systemd"
    assert not config.default_driver.explicit


def test_containerd_syntax_error() -> None:
    text = f"version = 2\n{V2_OPTIONS}\n  SystemdCgroup = tru\n"
    config = load_containerd(text, "c.toml")
    assert not config.parsed
    (problem,) = config.problems
    assert problem.kind == "syntax-error"
    assert problem.span == Span.point(3, 19)
    assert "Invalid value" in problem.message
    assert config.default_driver.value == "cgroupfs"


def test_containerd_bad_version() -> None:
    config = load_containerd('version = "2"\n' + V2_OPTIONS + "\nSystemdCgroup = true\n", "c")
    assert config.config_version == 2
    assert kinds(config) == ["config-version"]
    assert config.default_driver.value == "systemd"


# -- CRI-O -------------------------------------------------------------------


def crio_dropins(*names: str) -> list[RuntimeConfig]:
    return [load_crio(read(f"crio/crio.conf.d/{name}"), f"/etc/crio/crio.conf.d/{name}") for name in names]


def test_crio_main_file() -> None:
    config = load_crio(read("crio/crio.conf"), "/etc/crio/crio.conf")
    assert config.kind is RuntimeKind.CRIO
    assert config.default_driver.value == "systemd"
    assert config.default_driver.location is not None
    assert config.default_driver.location.span == Span(22, 18, 22, 27)
    assert config.default_runtime_name == "crun"
    assert list(config.drivers) == ["crun", "runc"]
    assert config.conmon_cgroup is not None and config.conmon_cgroup.value == "system.slice"
    assert config.problems == ()


def test_crio_dropin_overrides_in_lexical_order() -> None:
    main = load_crio(read("crio/crio.conf"), "/etc/crio/crio.conf")
    # Passed out of order on purpose: CRI-O applies drop-ins by file name.
    merged = merge_crio(main, crio_dropins("10-cgroupfs.conf", "05-registries.conf"))
    driver = merged.default_driver
    assert (driver.value, driver.explicit) == ("cgroupfs", True)
    assert driver.location is not None
    assert driver.location.path == "/etc/crio/crio.conf.d/10-cgroupfs.conf"
    assert driver.location.span == Span(3, 18, 3, 28)
    assert merged.conmon_cgroup is not None and merged.conmon_cgroup.value == "pod"
    assert merged.sources == (
        "/etc/crio/crio.conf",
        "/etc/crio/crio.conf.d/05-registries.conf",
        "/etc/crio/crio.conf.d/10-cgroupfs.conf",
    )
    assert {d.value for d in merged.drivers.values()} == {"cgroupfs"}
    assert merged.problems == ()


def test_crio_later_dropin_wins() -> None:
    main = load_crio(read("crio/crio.conf"), "/etc/crio/crio.conf")
    later = load_crio('[crio.runtime]\ncgroup_manager = "systemd"\n', "/d/20-systemd.conf")
    merged = merge_crio(main, [later, *crio_dropins("10-cgroupfs.conf")])
    assert merged.default_driver.value == "systemd"
    assert merged.default_driver.location is not None
    assert merged.default_driver.location.path == "/d/20-systemd.conf"


def test_crio_cgroupfs_needs_conmon_in_pod() -> None:
    main = load_crio(read("crio/crio.conf"), "/etc/crio/crio.conf")
    dropin = load_crio('[crio.runtime]\ncgroup_manager = "cgroupfs"\n', "/d/10-fs.conf")
    # Alone the drop-in lacks conmon_cgroup; merged, crio.conf's system.slice is wrong.
    assert kinds(dropin) == ["conmon-cgroup"]
    assert dropin.problems[0].severity_hint is Severity.WARNING
    merged = merge_crio(main, [dropin])
    (problem,) = merged.problems
    assert problem.kind == "conmon-cgroup"
    assert problem.severity_hint is Severity.ERROR
    assert (problem.path, problem.span) == ("/etc/crio/crio.conf", Span(23, 17, 23, 31))


def test_crio_monitor_cgroup_replaces_conmon_cgroup() -> None:
    text = (
        "[crio.runtime]\n"
        'cgroup_manager = "cgroupfs"\n'
        'default_runtime = "runc"\n'
        "[crio.runtime.runtimes.runc]\n"
        'monitor_cgroup = "pod"\n'
    )
    assert load_crio(text, "c.conf").problems == ()


def test_crio_misplaced_and_misspelled_manager() -> None:
    text = '[crio]\ncgroup_manager = "cgroupfs"\n[crio.runtime]\ncgroup_driver = "cgroupfs"\n'
    config = load_crio(text, "crio.conf")
    assert config.default_driver.value == "systemd"
    assert kinds(config) == ["misplaced-key", "misspelled-key"]
    assert [p.span for p in config.problems] == [Span(2, 1, 2, 15), Span(4, 1, 4, 14)]
    assert config.problems[1].suggestion == "cgroup_manager"


def test_crio_invalid_manager_and_syntax_error() -> None:
    bad = load_crio('[crio.runtime]\ncgroup_manager = "system"\n', "c.conf")
    assert kinds(bad) == ["invalid-value"]
    assert bad.problems[0].span == Span(2, 18, 2, 26)
    broken = load_crio("[crio.runtime\n", "c.conf")
    assert kinds(broken) == ["syntax-error"]
    merged = merge_crio(load_crio(read("crio/crio.conf"), "crio.conf"), [broken])
    assert merged.default_driver.value == "systemd"
    assert kinds(merged) == ["syntax-error"]


def test_crio_dropins_only() -> None:
    merged = merge_crio(None, crio_dropins("10-cgroupfs.conf"))
    assert merged.default_driver.value == "cgroupfs"
    assert merge_crio(None, []).default_driver.value == "systemd"


# -- Docker ------------------------------------------------------------------


def test_docker_daemon_with_exec_opt() -> None:
    text = read("docker-daemon-systemd.json")
    config = load_docker_daemon(text, "/etc/docker/daemon.json")
    driver = config.default_driver
    assert (driver.value, driver.explicit) == ("systemd", True)
    assert driver.location is not None
    assert driver.location.span == Span(2, 17, 2, 46)
    assert text_at(text, driver.location.span) == '"native.cgroupdriver=systemd"'
    assert config.problems == ()


def test_docker_daemon_without_exec_opt_depends_on_host() -> None:
    config = load_docker_daemon(read("docker-daemon-plain.json"), "daemon.json")
    driver = config.default_driver
    assert driver.value is None and driver.depends_on_host and not driver.explicit
    assert driver.resolve(cgroup_v2=True) == "systemd"
    assert driver.resolve(cgroup_v2=False) == "cgroupfs"
    assert driver.resolve(cgroup_v2=None) is None
    assert "depends on host" in driver.describe()
    assert driver.anchor is not None and driver.anchor.span == Span.point(1, 1)
    assert config.problems == ()


def test_docker_daemon_problems() -> None:
    text = (
        "{\n"
        '  "exec_opts": ["native.cgroupdriver=systemd"],\n'
        '  "exec-opts": ["native.cgroupdriver=cgroupfs", "native.cgroupdriver = systemd",\n'
        '                "native.cgroupdriver=sytemd", "native.cgroupsdriver=systemd"]\n'
        "}\n"
    )
    config = load_docker_daemon(text, "daemon.json")
    assert kinds(config) == ["misspelled-key", "duplicate-option", "invalid-value", "misspelled-key"]
    assert config.problems[0].span == Span(2, 3, 2, 14)
    assert config.problems[2].span == Span(4, 17, 4, 45)
    assert config.default_driver.value == "systemd"
    assert config.default_driver.location is not None
    assert config.default_driver.location.span == Span(3, 49, 3, 80)


@pytest.mark.parametrize(
    ("text", "kind", "span"),
    [
        ('{\n  "exec-opts": [\n}\n', "syntax-error", Span.point(3, 1)),
        ("[1, 2]", "wrong-shape", Span(1, 1, 1, 1)),
        ('{"exec-opts": "native.cgroupdriver=systemd"}', "invalid-value", Span(1, 15, 1, 44)),
    ],
)
def test_docker_daemon_broken(text: str, kind: str, span: Span) -> None:
    config = load_docker_daemon(text, "daemon.json")
    assert [(p.kind, p.span) for p in config.problems] == [(kind, span)]


def test_docker_empty_file_and_bom() -> None:
    assert load_docker_daemon("", "daemon.json").problems == ()
    config = load_docker_daemon('\ufeff{"exec-opts": ["native.cgroupdriver=systemd"]}', "d")
    assert config.default_driver.location is not None
    assert config.default_driver.location.span == Span(1, 16, 1, 45)


# -- detection ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("containerd-1.7-systemd.toml", RuntimeKind.CONTAINERD),
        ("containerd-2.0-v3.toml", RuntimeKind.CONTAINERD),
        ("containerd-v1-oldform.toml", RuntimeKind.CONTAINERD),
        ("crio/crio.conf", RuntimeKind.CRIO),
        ("crio/crio.conf.d/10-cgroupfs.conf", RuntimeKind.CRIO),
        ("docker-daemon-plain.json", RuntimeKind.DOCKER),
        ("docker-daemon-systemd.json", RuntimeKind.DOCKER),
    ],
)
def test_detect_by_content(name: str, kind: RuntimeKind) -> None:
    assert detect_runtime_kind(read(name), "some/file") is kind


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/etc/containerd/config.toml", RuntimeKind.CONTAINERD),
        ("etc/containerd/conf.d/10-gpu.toml", RuntimeKind.CONTAINERD),
        ("/etc/crio/crio.conf", RuntimeKind.CRIO),
        ("/etc/crio/crio.conf.d/01-empty.conf", RuntimeKind.CRIO),
        ("/etc/docker/daemon.json", RuntimeKind.DOCKER),
        ("/etc/systemd/system/kubelet.service", None),
        ("/etc/other/config.toml", None),
    ],
)
def test_detect_by_path(path: str, kind: RuntimeKind | None) -> None:
    assert detect_runtime_kind("# empty\n", path) is kind


def test_detect_content_beats_path_and_ignores_kubelet_json() -> None:
    assert detect_runtime_kind("[crio.runtime]\n", "/etc/containerd/config.toml") is RuntimeKind.CRIO
    kubelet = '{"apiVersion": "kubelet.config.k8s.io/v1beta1", "kind": "KubeletConfiguration"}'
    assert detect_runtime_kind(kubelet, "config.json") is None
    assert detect_runtime_kind('{"exec-opts": [', "x") is RuntimeKind.DOCKER
    loaded = load_runtime(read("crio/crio.conf"), "crio.conf")
    assert loaded is not None and loaded.kind is RuntimeKind.CRIO
    assert load_runtime("key: value\n", "config.yaml") is None


# -- properties ----------------------------------------------------------------

FRAGMENTS = [
    "version = 1",
    "version = 2",
    "version = 3",
    'version = "x"',
    V2_OPTIONS,
    V3_OPTIONS,
    "[plugins.cri.containerd.runtimes.runc.options]",
    '[plugins."io.containerd.grpc.v1.cri"]',
    "[plugins.'io.containerd.cri.v1.runtime'.containerd]",
    "[[plugins]]",
    "SystemdCgroup = true",
    "systemdCgroup = false",
    "systemd_cgroup = true",
    'SystemdCgroup = "yes"',
    'default_runtime_name = "kata"',
    "default_runtime_name = 3",
    "runtimes = 1",
    "runtimes.runc = { options = { SystemdCgroup = true } }",
    'runtime_type = "io.containerd.runtime.v1.linux"',
    "imports = ['/a', 2]",
    "imports = 'x'",
    "[crio.runtime]",
    "[crio]",
    'cgroup_manager = "cgroupfs"',
    "cgroup_manager = 1",
    'conmon_cgroup = "system.slice"',
    "[crio.runtime.runtimes.runc]",
    'monitor_cgroup = "pod"',
    'x = """',
    "'''",
    "[",
    "]",
    "{",
    '"exec-opts": ["native.cgroupdriver=systemd"],',
    '"exec-opts": 3',
    "}",
    "#",
    "a.b.c = [1, [2, {d = 3}]]",
]


def assert_loaded(config: RuntimeConfig) -> None:
    assert isinstance(config, RuntimeConfig)
    assert "internal-error" not in kinds(config), config.problems


def run_everything(text: str) -> None:
    for path in ("config.toml", "/etc/crio/crio.conf.d/x.conf", "daemon.json"):
        detect_runtime_kind(text, path)
        result = load_runtime(text, path)
        if result is not None:
            assert_loaded(result)
    containerd = load_containerd(text, "c.toml")
    crio = load_crio(text, "crio.conf")
    docker = load_docker_daemon(text, "daemon.json")
    for config in (containerd, crio, docker, merge_crio(crio, [crio, crio])):
        assert_loaded(config)
    parse_toml(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_loaders_never_raise_on_arbitrary_text(text: str) -> None:
    run_everything(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=14), st.sampled_from(["\n", "\r\n", " "]))
def test_loaders_never_raise_on_config_like_text(parts: list[str], sep: str) -> None:
    run_everything(sep.join(parts))


# A generator of valid TOML documents in every syntactic form, to check that
# each key path tomllib reports has a position and that the spans hold exactly
# the key and the value.

_BARE = st.from_regex(r"[A-Za-z0-9_-]{1,6}", fullmatch=True)
_TRICKY = st.sampled_from(["a.b", "io.containerd.grpc.v1.cri", "", " ", "#", "=", "[x]", "é", "'"])
_KEYS = _BARE | _TRICKY | st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=4)
_STRING_CHARS = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(
    ["\n", '"', "'", "\\", "#", "[", "=", "\t"]
)
_SCALARS = st.booleans() | st.integers(-(2**40), 2**40) | st.text(_STRING_CHARS, max_size=12)


def _documents() -> st.SearchStrategy[dict[str, Any]]:
    values = st.recursive(
        _SCALARS | st.lists(_SCALARS, max_size=3),
        lambda inner: (
            st.dictionaries(_KEYS, inner, max_size=3)
            | st.lists(st.dictionaries(_KEYS, inner, max_size=2), min_size=1, max_size=2)
        ),
        max_leaves=12,
    )
    return st.dictionaries(_KEYS, values, max_size=5)


def _emit_key(key: str, draw: st.DrawFn) -> str:
    styles = ["basic"]
    if key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key):
        styles.append("bare")
    if "'" not in key and key.isprintable():
        styles.append("literal")
    style = draw(st.sampled_from(styles))
    if style == "bare":
        return key
    if style == "literal":
        return f"'{key}'"
    return json.dumps(key, ensure_ascii=False)


def _emit_scalar(value: Any, draw: st.DrawFn) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        styles = ["basic", "multi_basic"]
        if "'" not in value and "\r" not in value and "\\" not in value:
            styles.append("multi_literal")
            if "\n" not in value:
                styles.append("literal")
        style = draw(st.sampled_from(styles))
        if style == "literal":
            return f"'{value}'"
        if style == "multi_literal":
            return f"'''\n{value}'''"
        if style == "multi_basic":
            escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
            return f'"""\n{escaped}"""'
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        items = [_emit_scalar(item, draw) for item in value]
        sep = draw(st.sampled_from([", ", ",\n  ", " ,", ", # [not.a.key]\n"]))
        trailing = draw(st.sampled_from(["", ","])) if items else ""
        return "[" + sep.join(items) + trailing + "]"
    assert isinstance(value, dict)
    pairs = [f"{_emit_key(k, draw)} = {_emit_scalar(v, draw)}" for k, v in value.items()]
    return "{" + ", ".join(pairs) + "}"


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _emit_table(header: list[str], table: dict[str, Any], draw: st.DrawFn, out: list[str]) -> None:
    later: list[tuple[str, str, Any]] = []
    for key, value in table.items():
        key_text = _emit_key(key, draw)
        if isinstance(value, dict) or _is_table_array(value):
            style = draw(st.sampled_from(["header", "inline", "dotted"]))
            if style == "header":
                later.append((key, key_text, value))
                continue
            if style == "dotted" and isinstance(value, dict) and value:
                _emit_dotted([key_text], value, draw, out)
                continue
        comment = draw(st.sampled_from(["", "  # SystemdCgroup = true"]))
        out.append(f"{key_text} = {_emit_scalar(value, draw)}{comment}")
    for _key, key_text, value in later:
        path = [*header, key_text]
        dot = draw(st.sampled_from([".", " . "]))
        if isinstance(value, dict):
            out.append(f"[{dot.join(path)}]")
            _emit_table(path, value, draw, out)
        else:
            for element in value:
                out.append(f"[[ {dot.join(path)} ]]")
                _emit_table(path, element, draw, out)


def _emit_dotted(prefix: list[str], table: dict[str, Any], draw: st.DrawFn, out: list[str]) -> None:
    for key, value in table.items():
        path = [*prefix, _emit_key(key, draw)]
        if isinstance(value, dict) and value:
            _emit_dotted(path, value, draw, out)
        else:
            out.append(f"{'.'.join(path)} = {_emit_scalar(value, draw)}")


@st.composite
def toml_texts(draw: st.DrawFn) -> str:
    out: list[str] = []
    _emit_table([], draw(_documents()), draw, out)
    return "\n".join(out) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(toml_texts())
def test_every_key_path_has_exact_spans(text: str) -> None:
    doc = parse_toml(text)
    assert isinstance(doc, TomlDocument), (doc, text)
    for path in iter_paths(doc.data):
        position = doc.position(path)
        assert position is not None, (path, text)
        value = doc.get(path)
        if isinstance(path[-1], str):
            key_text = text_at(text, position.key)
            assert list(tomllib.loads(f"{key_text} = 1")) == [path[-1]], (path, key_text)
        if not isinstance(value, dict) and not _is_table_array(value):
            value_text = text_at(text, position.value)
            assert tomllib.loads(f"v = {value_text}")["v"] == value, (path, value_text, text)
