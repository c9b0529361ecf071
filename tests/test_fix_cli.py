"""``kubelint check --fix/--diff/--unsafe-fixes/--show-fixes`` and the fixer's safety rules."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kubelint import knowledge
from kubelint.analysis import FileResult, Options, Report, lint_paths
from kubelint.cli import LintRequest, main
from kubelint.diagnostics import Applicability, Diagnostic, Fix, Location, Severity, Span, TextEdit, YamlEdit
from kubelint.engine import Selection, all_rules
from kubelint.fix import (
    MAX_ROUNDS,
    AppliedFix,
    FixOutcome,
    Relint,
    apply_fixes,
    fix_report,
    per_file_relint,
    unified_diff,
    write_outcome,
)
from kubelint.source import SourceFile

CONFIG = """\
# hand-written
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxPod: 250        # many small pods
authentication:
  anonymous:
    enabled: true  # TODO: turn off
"""
SAFE_ONLY = CONFIG.replace("maxPod: 250", "maxPods: 250")
BOTH = SAFE_ONLY.replace("enabled: true  #", "enabled: false  #")
SELECT = ["--select", "KL011,KL401"]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, ["check", *args], input=stdin)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# --diff


def test_diff_prints_a_unified_diff_writes_nothing_and_exits_1(workdir: Path) -> None:
    config = write(workdir / "config.yaml", CONFIG)
    result = run("--diff", *SELECT, "config.yaml")
    assert result.exit_code == 1
    assert result.stdout.startswith("--- a/config.yaml\n+++ b/config.yaml\n")
    assert "-maxPod: 250        # many small pods\n+maxPods: 250        # many small pods\n" in result.stdout
    assert "enabled: false" not in result.stdout  # unsafe: not without --unsafe-fixes
    assert "Would fix 1 problem" in result.stderr
    assert config.read_text() == CONFIG


def test_diff_exits_0_when_there_is_nothing_to_fix(workdir: Path) -> None:
    write(workdir / "config.yaml", SAFE_ONLY)
    result = run("--diff", *SELECT, "config.yaml")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_diff_with_unsafe_fixes_shows_them_without_writing(workdir: Path) -> None:
    config = write(workdir / "config.yaml", CONFIG)
    result = run("--diff", "--unsafe-fixes", *SELECT, "config.yaml")
    assert result.exit_code == 1
    assert "+    enabled: false  # TODO: turn off\n" in result.stdout
    assert config.read_text() == CONFIG


def test_diff_marks_a_missing_final_newline() -> None:
    assert unified_diff("a.yaml", "a: 1", "a: 2").endswith("+a: 2\n\\ No newline at end of file\n")
    assert unified_diff("/etc/kubernetes/kubelet.conf", "a\n", "b\n").startswith(
        "--- a/etc/kubernetes/kubelet.conf\n+++ b/etc/kubernetes/kubelet.conf\n")


# ---------------------------------------------------------------------------
# --fix, --unsafe-fixes, --show-fixes


def test_fix_applies_safe_fixes_only_and_reports_what_remains(workdir: Path) -> None:
    config = write(workdir / "config.yaml", CONFIG)
    result = run("--fix", *SELECT, "config.yaml")
    assert config.read_text() == SAFE_ONLY
    assert "Fixed 1 problem" in result.stdout
    assert "KL401" in result.stdout and "KL011" not in result.stdout
    assert result.exit_code == 1  # the unsafe one remains


def test_unsafe_fixes_apply_with_the_flag(workdir: Path) -> None:
    config = write(workdir / "config.yaml", CONFIG)
    result = run("--fix", "--unsafe-fixes", *SELECT, "config.yaml")
    assert config.read_text() == BOTH
    assert "Fixed 2 problems" in result.stdout
    assert result.exit_code == 0


def test_show_fixes_lists_code_name_and_description_per_file(workdir: Path) -> None:
    write(workdir / "a" / "config.yaml", CONFIG)
    write(workdir / "b" / "config.yaml", CONFIG)
    result = run("--fix", "--unsafe-fixes", "--show-fixes", *SELECT, "a", "b")
    assert "Fixed 4 problems:\n" in result.stdout
    listing = result.stdout.split("Fixed 4 problems:\n", 1)[1]
    assert listing.startswith(
        "a/config.yaml:\n"
        "  KL011 [unknown-field] rename 'maxPod' to 'maxPods'\n"
        "  KL401 [anonymous-auth-enabled] set authentication.anonymous.enabled: false (unsafe)\n"
        "b/config.yaml:\n"
    )


def test_quiet_drops_the_fixed_line(workdir: Path) -> None:
    write(workdir / "config.yaml", CONFIG)
    result = run("--fix", "-q", *SELECT, "config.yaml")
    assert "Fixed" not in result.output


def test_fix_with_a_machine_format_keeps_stdout_machine_readable(workdir: Path) -> None:
    import json

    write(workdir / "config.yaml", CONFIG)
    result = run("--fix", "--format", "json", *SELECT, "config.yaml")
    json.loads(result.stdout)
    assert "Fixed 1 problem" in result.stderr


def test_fix_twice_changes_nothing_the_second_time(workdir: Path) -> None:
    config = write(workdir / "config.yaml", CONFIG)
    run("--fix", "--unsafe-fixes", "config.yaml")
    once = config.read_bytes()
    result = run("--fix", "--unsafe-fixes", "config.yaml")
    assert config.read_bytes() == once
    assert "Fixed 0 problems" in result.stdout


def test_stdin_fix_prints_the_fixed_text(workdir: Path) -> None:
    result = run("--fix", *SELECT, "--stdin-filename", "config.yaml", "-", stdin=CONFIG)
    assert result.stdout == SAFE_ONLY
    assert "KL401" in result.stderr
    assert result.exit_code == 1


def test_stdin_diff_prints_a_diff(workdir: Path) -> None:
    result = run("--diff", *SELECT, "--stdin-filename", "config.yaml", "-", stdin=CONFIG)
    assert result.exit_code == 1
    assert "+maxPods: 250" in result.stdout


def test_per_file_ignores_stay_ignored_across_rounds(workdir: Path) -> None:
    write(workdir / ".kubelint.yaml", "per-file-ignores:\n  'config.yaml': [KL011]\n")
    config = write(workdir / "config.yaml", CONFIG)
    run("--fix", "--unsafe-fixes", *SELECT, "config.yaml")
    assert "maxPod: 250" in config.read_text()
    assert "enabled: false" in config.read_text()


# ---------------------------------------------------------------------------
# the disk


def test_mode_is_kept(workdir: Path) -> None:
    config = write(workdir / "config.yaml", CONFIG)
    config.chmod(0o640)
    run("--fix", *SELECT, "config.yaml")
    assert config.read_text() == SAFE_ONLY
    assert stat.S_IMODE(config.stat().st_mode) == 0o640
    assert [p.name for p in workdir.iterdir()] == ["config.yaml"]  # no temporary file left


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing owners needs root")
def test_owner_is_kept_when_running_as_root(workdir: Path) -> None:
    config = write(workdir / "config.yaml", CONFIG)
    os.chown(config, 65534, 65534)
    run("--fix", *SELECT, "config.yaml")
    assert config.read_text() == SAFE_ONLY
    assert (config.stat().st_uid, config.stat().st_gid) == (65534, 65534)


def test_utf8_byte_order_mark_is_kept(workdir: Path) -> None:
    config = workdir / "config.yaml"
    config.write_bytes(b"\xef\xbb\xbf" + CONFIG.encode())
    run("--fix", *SELECT, "config.yaml")
    assert config.read_bytes() == b"\xef\xbb\xbf" + SAFE_ONLY.encode()


def test_a_symlink_out_of_the_tree_is_not_written_through(workdir: Path) -> None:
    outside = write(workdir / "outside" / "config.yaml", CONFIG)
    (workdir / "tree").mkdir()
    (workdir / "tree" / "config.yaml").symlink_to(outside)
    result = run("--fix", *SELECT, "tree/config.yaml")
    assert outside.read_text() == CONFIG
    assert "outside the linted tree" in result.stderr
    assert "Fixed 0 problems" in result.stdout


def test_a_symlink_inside_the_tree_is_written_through_and_stays_a_link(workdir: Path) -> None:
    target = write(workdir / "tree" / "real" / "config.yaml", CONFIG)
    link = workdir / "tree" / "config.yaml"
    link.symlink_to("real/config.yaml")
    run("--fix", *SELECT, "tree")
    assert link.is_symlink()
    assert target.read_text() == SAFE_ONLY


def options() -> Options:
    return Options(version=knowledge.default_target_version(), selection=Selection(select=("KL011", "KL401")))


def request(paths: tuple[Path, ...], **changes: object) -> LintRequest:
    base = LintRequest(paths=paths, output_format=None, output_file=None, select=("KL011", "KL401"),
                       extend_select=(), ignore=(), kubernetes_version=None, fail_on=None, config_path=None,
                       statistics=False, fix=True, unsafe_fixes=False, diff=False, show_fixes=False, exclude=(),
                       color=False, jobs=1, verbose=False, quiet=False)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_file_changed_since_it_was_read_is_skipped(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write(workdir / "config.yaml", CONFIG)
    report = lint_paths([Path("config.yaml")], options())
    edited = CONFIG.replace("# hand-written", "# edited by someone else meanwhile")
    config.write_text(edited)
    assert apply_fixes(report, request((Path("config.yaml"),))) is None
    assert config.read_text() == edited
    assert "changed on disk since it was read" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# multi-file fixes: the seam for flag migration


ENV = 'KUBELET_EXTRA_ARGS="--max-pods=250 --v=2"\n'
MIGRATED_CONFIG = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"


def migration_report(workdir: Path) -> Report:
    """A report where one finding moves ``--max-pods`` from the env file into the config file."""
    write(workdir / "kubelet.env", ENV)
    write(workdir / "config.yaml", MIGRATED_CONFIG)
    report = lint_paths([Path("kubelet.env"), Path("config.yaml")], options())
    fix = Fix("move --max-pods into config.yaml", Applicability.UNSAFE, (
        TextEdit("kubelet.env", Span(1, 21, 1, 36), ""),
        YamlEdit("config.yaml", 0, ("maxPods",), "set", 250),
    ))
    env_result = next(result for result in report.files if result.display == "kubelet.env")
    env_result.diagnostics.append(Diagnostic(Location("kubelet.env", Span(1, 21, 1, 35)), "KL299", "test-migration",
                                             Severity.WARNING, "--max-pods is deprecated", fix=fix))
    return report


def test_a_multi_file_fix_changes_both_files(workdir: Path) -> None:
    report = migration_report(workdir)
    apply_fixes(report, request((Path("."),), unsafe_fixes=True))
    assert (workdir / "kubelet.env").read_text() == 'KUBELET_EXTRA_ARGS="--v=2"\n'
    assert (workdir / "config.yaml").read_text() == MIGRATED_CONFIG + "maxPods: 250\n"


def test_a_multi_file_fix_is_skipped_whole_when_one_file_changed(workdir: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    report = migration_report(workdir)
    (workdir / "config.yaml").write_text(MIGRATED_CONFIG + "# meanwhile\n")
    apply_fixes(report, request((Path("."),), unsafe_fixes=True))
    assert (workdir / "kubelet.env").read_text() == ENV
    assert (workdir / "config.yaml").read_text() == MIGRATED_CONFIG + "# meanwhile\n"
    assert "changed on disk" in capsys.readouterr().err


def test_a_multi_file_group_is_not_written_when_one_file_changes_before_the_write(workdir: Path) -> None:
    report = migration_report(workdir)
    rules = [rule for rule in all_rules() if options().selection.enabled(rule)]
    outcome = fix_report(report, unsafe=True, relint=per_file_relint(options(), rules))
    assert set(outcome.changed) == {"kubelet.env", "config.yaml"}
    (workdir / "kubelet.env").write_text(ENV + "# meanwhile\n")
    written, messages = write_outcome(outcome, {result.display: result for result in report.files})
    assert written == set()
    assert (workdir / "config.yaml").read_text() == MIGRATED_CONFIG
    assert any("tied to it by a fix: config.yaml" in message for message in messages)


def test_a_fix_for_a_file_that_was_not_linted_is_skipped(workdir: Path) -> None:
    report = migration_report(workdir)
    report.files = [result for result in report.files if result.display == "kubelet.env"]
    outcome = fix_report(report, unsafe=True, relint=lambda report, texts: report)
    assert outcome.applied == []
    assert any("config.yaml was not linted" in message for message in outcome.messages)


# ---------------------------------------------------------------------------
# rounds and conflicts, with a tiny fake linter


Make = Callable[[str, str], Iterator[Diagnostic]]


def fake_report(texts: Mapping[str, str], make: Make) -> Report:
    from kubelint.analysis import FileResult

    report = Report()
    for display, text in texts.items():
        result = FileResult(display, None, source=SourceFile(Path(display), display, text))
        result.diagnostics = list(make(display, text))
        report.files.append(result)
    return report


def fake_relint(make: Make) -> Relint:
    def relint(report: Report, texts: Mapping[str, str]) -> Report:
        current = {r.display: texts.get(r.display, r.source.text) for r in report.files if r.source is not None}
        return fake_report(current, make)
    return relint


def diagnostic(display: str, code: str, fix: Fix, line: int = 1) -> Diagnostic:
    return Diagnostic(Location(display, Span(line, 1, line, 2)), code, code.lower(), Severity.WARNING, "m", fix=fix)


def flags(display: str, text: str) -> Iterator[Diagnostic]:
    """Two overlapping fixes on ``--a=1``: drop it (first), or rewrite it (second)."""
    start = text.find("--a=1")
    if start >= 0:
        column = start + 1
        yield diagnostic(display, "X1", Fix("drop --a", Applicability.SAFE,
                                            (TextEdit(display, Span(1, column, 1, column + 6), ""),)))
        yield diagnostic(display, "X2", Fix("rewrite --a", Applicability.SAFE,
                                            (TextEdit(display, Span(1, column, 1, column + 5), "--a=2"),)))
    if "--b=2" in text:
        column = text.find("--b=2") + 1
        yield diagnostic(display, "X3", Fix("upgrade --b", Applicability.SAFE,
                                            (TextEdit(display, Span(1, column, 1, column + 5), "--b=3"),)))


def test_overlapping_text_edits_apply_the_first_and_leave_the_rest_for_the_next_round() -> None:
    report = fake_report({"f.env": 'A="--a=1 --b=2 --c"\n'}, flags)
    outcome = fix_report(report, unsafe=False, relint=fake_relint(flags))
    assert outcome.texts == {"f.env": 'A="--b=3 --c"\n'}
    # the rewrite waited, then no longer applied; X3's edit only meets X1's, so both went in round one
    assert [item.diagnostic.code for item in outcome.applied] == ["X1", "X3"]
    assert outcome.rounds == 1


def test_an_insertion_on_another_edits_edge_waits_for_the_next_round() -> None:
    def make(display: str, text: str) -> Iterator[Diagnostic]:
        if "--a" in text:
            yield diagnostic(display, "I1", Fix("drop --a", Applicability.SAFE,
                                                (TextEdit(display, Span(1, 4, 1, 8), ""),)))
        if "--z" not in text:
            yield diagnostic(display, "I2", Fix("add --z", Applicability.SAFE,
                                                (TextEdit(display, Span(1, 8, 1, 8), "--z "),)))

    report = fake_report({"f.env": 'A="--a --b"\n'}, make)
    outcome = fix_report(report, unsafe=False, relint=fake_relint(make))
    assert outcome.rounds == 2
    assert [item.diagnostic.code for item in outcome.applied] == ["I1", "I2"]


def yaml_conflicts(display: str, text: str) -> Iterator[Diagnostic]:
    if "maxPod:" in text:
        yield diagnostic(display, "Y1", Fix("rename", Applicability.SAFE,
                                            (YamlEdit(display, 0, ("maxPod",), "rename", new_key="maxPods"),)))
        yield diagnostic(display, "Y2", Fix("set", Applicability.SAFE,
                                            (YamlEdit(display, 0, ("maxPods",), "set", 110),)), line=2)
    elif "maxPods: 250" in text:
        yield diagnostic(display, "Y3", Fix("lower", Applicability.SAFE,
                                            (YamlEdit(display, 0, ("maxPods",), "set", 110),)))


def test_a_second_fix_of_the_same_key_path_waits_for_the_next_round() -> None:
    report = fake_report({"c.yaml": "maxPod: 250\nkind: KubeletConfiguration\n"}, yaml_conflicts)
    outcome = fix_report(report, unsafe=False, relint=fake_relint(yaml_conflicts))
    assert outcome.texts == {"c.yaml": "maxPods: 110\nkind: KubeletConfiguration\n"}
    assert [item.diagnostic.code for item in outcome.applied] == ["Y1", "Y3"]
    assert outcome.rounds == 2


def forever(display: str, text: str) -> Iterator[Diagnostic]:
    yield diagnostic(display, "Z1", Fix("grow", Applicability.SAFE, (TextEdit(display, Span(1, 1, 1, 1), "x"),)))


def test_rounds_are_bounded() -> None:
    report = fake_report({"f.env": "A=1\n"}, forever)
    outcome = fix_report(report, unsafe=False, relint=fake_relint(forever))
    assert outcome.rounds == MAX_ROUNDS
    assert outcome.texts["f.env"] == "x" * MAX_ROUNDS + "A=1\n"
    assert any("stopped after" in message for message in outcome.messages)


def test_a_fix_that_cannot_apply_is_reported_once_and_others_still_apply() -> None:
    def make(display: str, text: str) -> Iterator[Diagnostic]:
        yield diagnostic(display, "B1", Fix("bad span", Applicability.SAFE,
                                            (TextEdit(display, Span(9, 1, 9, 2), ""),)))
        if "old" in text:
            yield diagnostic(display, "G1", Fix("good", Applicability.SAFE,
                                                (TextEdit(display, Span(1, 3, 1, 6), "new"),)), line=1)

    report = fake_report({"f.env": "A=old\n"}, make)
    outcome = fix_report(report, unsafe=False, relint=fake_relint(make))
    assert outcome.texts == {"f.env": "A=new\n"}
    assert len([m for m in outcome.messages if "B1 fix not applied" in m]) == 1


def test_a_fix_that_changes_nothing_is_not_counted() -> None:
    def make(display: str, text: str) -> Iterator[Diagnostic]:
        yield diagnostic(display, "N1", Fix("same", Applicability.SAFE, (TextEdit(display, Span(1, 1, 1, 2), "A"),)))

    report = fake_report({"f.env": "A=1\n"}, make)
    outcome = fix_report(report, unsafe=False, relint=fake_relint(make))
    assert outcome.applied == [] and outcome.changed == [] and outcome.messages == []


def test_outcome_lists_changed_files_only() -> None:
    outcome = FixOutcome(Report(), {"a": "1", "b": "2"}, {"a": "1", "b": "3"})
    assert outcome.changed == ["b"]
    fix = Fix("d", Applicability.SAFE, (TextEdit("a", Span(1, 1, 1, 1), ""), TextEdit("b", Span(1, 1, 1, 1), "")))
    assert AppliedFix(diagnostic("a", "C", fix), fix).paths == {"a", "b"}


# ---------------------------------------------------------------------------
# a node tree through the real pipeline: cross-file fixes (flag migration)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def tree_files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_node_tree_fix_writes_what_diff_shows_and_reports_what_a_fresh_check_finds(workdir: Path) -> None:
    import json
    import shutil

    shutil.copytree(EXAMPLES / "kubeadm-node", workdir / "node")
    before = tree_files(workdir / "node")
    shown = run("--diff", "--unsafe-fixes", "node")
    assert shown.exit_code == 1
    assert "move --container-runtime-endpoint" not in shown.stdout  # descriptions go to --show-fixes
    assert "+containerRuntimeEndpoint:" in shown.stdout  # the flag's config-file half
    fixed = run("--fix", "--unsafe-fixes", "--format", "json", "node")
    after = tree_files(workdir / "node")
    changed = sorted(name for name in after if after[name] != before[name])
    expected_diff = "".join(unified_diff(f"node/{name}", before[name].decode(), after[name].decode())
                            for name in changed)
    assert sorted(shown.stdout.split("--- a/")[1:]) == sorted(expected_diff.split("--- a/")[1:])
    # the report after fixing is the command's analysis again, cross-file findings included
    fresh = run("--format", "json", "node")
    assert json.loads(fixed.stdout) == json.loads(fresh.stdout)
    again = run("--fix", "--unsafe-fixes", "node")
    assert tree_files(workdir / "node") == after
    assert "Fixed 0 problems" in again.stdout


def test_a_hard_linked_file_is_not_split(workdir: Path) -> None:
    config = write(workdir / "config.yaml", CONFIG)
    os.link(config, workdir / "twin.yaml")
    result = run("--fix", *SELECT, "config.yaml")
    assert config.read_text() == CONFIG
    assert "hard links" in result.stderr


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write any file")
def test_a_read_only_file_is_not_replaced(workdir: Path) -> None:
    config = write(workdir / "config.yaml", CONFIG)
    config.chmod(0o444)
    result = run("--fix", *SELECT, "config.yaml")
    assert config.read_text() == CONFIG
    assert "read-only" in result.stderr


def test_extended_attributes_are_kept(workdir: Path) -> None:
    config = write(workdir / "config.yaml", CONFIG)
    try:
        os.setxattr(config, "user.kubelint-test", b"label")
    except (OSError, AttributeError):
        pytest.skip("this filesystem has no user extended attributes")
    run("--fix", *SELECT, "config.yaml")
    assert config.read_text() == SAFE_ONLY
    assert os.getxattr(config, "user.kubelint-test") == b"label"


def test_a_cross_file_fix_that_had_to_wait_gets_a_fresh_analysis_and_another_cycle(workdir: Path) -> None:
    """Two overlapping fixes that only the full analysis finds: the second needs a rerun from disk."""
    def make(display: str, text: str) -> Iterator[Diagnostic]:
        for code, flag in (("C1", "--a=1"), ("C2", "--b=2")):
            start = text.find(flag)
            if start < 0:
                continue
            end = start + len(flag)
            # each removal takes one neighbouring space; C2 prefers the one before it,
            # which is the one C1 takes too: the two overlap
            if code == "C2" and text[start - 1] == " ":
                start -= 1
            elif text[end] == " ":
                end += 1
            yield diagnostic(display, code, Fix(f"drop {flag}", Applicability.SAFE,
                                                (TextEdit(display, Span(1, start + 1, 1, end + 1), ""),)))

    env = write(workdir / "f.env", 'A="--a=1 --b=2 --c"\n')
    report = fake_report({"f.env": env.read_text()}, make)
    runs: list[int] = []

    def rerun() -> Report:
        runs.append(1)
        return fake_report({"f.env": env.read_text()}, make)

    def file_by_file(report: Report, texts: Mapping[str, str]) -> Report:
        # a per-file re-lint does not see cross-file findings
        return fake_report({r.display: texts.get(r.display, r.source.text) for r in report.files
                            if r.source is not None}, lambda display, text: iter(()))

    apply_fixes(report, request((Path("."),)), relint=file_by_file, rerun=rerun)
    assert env.read_text() == 'A="--c"\n'
    assert len(runs) == 2  # after the first cycle's write, and after the second's


def migrated_outcome(workdir: Path) -> tuple[FixOutcome, dict[str, FileResult]]:
    report = migration_report(workdir)
    rules = [rule for rule in all_rules() if options().selection.enabled(rule)]
    outcome = fix_report(report, unsafe=True, relint=per_file_relint(options(), rules))
    return outcome, {result.display: result for result in report.files}


def test_a_migration_writes_the_file_that_gains_the_setting_first(workdir: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import kubelint.fix as fix

    outcome, results = migrated_outcome(workdir)
    order: list[str] = []
    real = fix.write_atomically

    def recording(path: Path, data: bytes) -> None:
        order.append(path.name)
        real(path, data)

    monkeypatch.setattr(fix, "write_atomically", recording)
    written, _ = write_outcome(outcome, results)
    assert order == ["config.yaml", "kubelet.env"]
    assert written == {"config.yaml", "kubelet.env"}


def test_a_failed_write_puts_the_rest_of_its_group_back(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kubelint.fix as fix

    outcome, results = migrated_outcome(workdir)
    real = fix.write_atomically

    def failing(path: Path, data: bytes) -> None:
        if path.name == "kubelet.env":
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(fix, "write_atomically", failing)
    written, messages = write_outcome(outcome, results)
    assert written == set()
    assert (workdir / "config.yaml").read_text() == MIGRATED_CONFIG
    assert (workdir / "kubelet.env").read_text() == ENV
    assert any("No space left on device" in message for message in messages)
    assert any("config.yaml: put back" in message for message in messages)
