"""``--fix``, ``--unsafe-fixes``, ``--diff`` and ``--show-fixes``: autofix that never loses data.

The fixer works in memory first and touches the disk last:

1. every round takes the fixes of the current report (safe ones, and
   unsafe ones when asked; cross-file ones first), applies those that do
   not conflict with an earlier fix of the same round (overlapping spans,
   an insertion on another edit's edge, or one key path inside another)
   and re-lints; the rest wait for the next round. Rounds stop when
   nothing applies, after ``MAX_ROUNDS`` at most. Every YAML/JSON result
   is re-parsed and checked before it is accepted (``fix_yaml``);
2. ``--diff`` prints what changed and writes nothing;
3. ``--fix`` writes each changed file through a temporary file in the same
   directory, ``os.replace``-d over the original with its mode, extended
   attributes (and owner, as root), so a crash leaves the old file or the
   new one, never half. A file that changed on disk since it was read is
   left alone, and so is every file a multi-file fix tied to it; a symlink
   leading outside the linted tree, a read-only or a hard-linked file is
   never written.
4. after writing, the command's own analysis runs again from disk
   (``rerun``): its report is what the CLI prints, and if a fix had to wait
   for it (a cross-file fix that conflicted with another), another cycle
   fixes and writes, up to ``MAX_CYCLES``.

Between rounds the default re-lint goes file by file (``per_file_relint``);
a cross-file finding is therefore applied in the first round or in a later
cycle, never from a stale analysis. ``--diff`` has no later cycle: in the
rare case of two conflicting cross-file fixes it shows one of them.

``apply_edits_to_text`` is the pure core (the language server and SARIF use
it); ``fix_report`` runs the rounds on a report; ``apply_fixes`` is what
the CLI calls.

Cross-file fixes (flag migration): a ``Fix`` may hold edits of several
files. Its edits apply all together or not at all, and its files are then
written as one group, checked whole before any of them is written.
"""

from __future__ import annotations

import codecs
import contextlib
import difflib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

import click

from kubelint.diagnostics import Applicability, Diagnostic, Edit, Fix, TextEdit, YamlEdit
from kubelint.fix_text import FixError, LineIndex, apply_text_edits, touches

if TYPE_CHECKING:
    from kubelint.analysis import FileResult, Report

__all__ = [
    "MAX_CYCLES",
    "MAX_ROUNDS",
    "AppliedFix",
    "FixError",
    "FixOutcome",
    "Relint",
    "apply_edits_to_text",
    "apply_fixes",
    "fix_report",
    "unified_diff",
    "write_atomically",
    "write_problem",
]

MAX_ROUNDS = 10  # in-memory rounds of fixes and re-lints per cycle
MAX_CYCLES = 3  # --fix with a rerun: write, analyse again from disk, fix what waited
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def apply_edits_to_text(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with ``edits`` applied (all meant for this one file).

    TextEdits go first, all at once, by their spans in ``text``; YamlEdits
    follow one by one, by key path. Raises FixError when an edit does not
    fit the text or cannot be applied without losing anything.
    """
    text_edits = [edit for edit in edits if isinstance(edit, TextEdit)]
    yaml_edits = [edit for edit in edits if isinstance(edit, YamlEdit)]
    text = apply_text_edits(text, text_edits)
    if yaml_edits:
        from kubelint.fix_yaml import apply_yaml_edit

        for edit in yaml_edits:
            text = apply_yaml_edit(text, edit)
    return text


# ---------------------------------------------------------------------------
# rounds in memory


class Relint(Protocol):
    """Lint again after a round: ``texts`` holds the current text of every changed file (by display path)."""

    def __call__(self, report: Report, texts: Mapping[str, str]) -> Report: ...


@dataclass(frozen=True)
class AppliedFix:
    diagnostic: Diagnostic
    fix: Fix

    @property
    def paths(self) -> frozenset[str]:
        return frozenset(edit.path for edit in self.fix.edits)


@dataclass
class FixOutcome:
    report: Report  # the report of the final texts
    originals: dict[str, str]  # display → text before any fix, for every changed file
    texts: dict[str, str]  # display → text after the fixes, for every changed file
    applied: list[AppliedFix] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    rounds: int = 0

    @property
    def changed(self) -> list[str]:
        return [display for display, text in self.texts.items() if text != self.originals[display]]


@dataclass
class _FilePlan:
    """What one round does to one file."""

    base: str
    mode: str | None = None  # "text", "yaml" or "whole" (a fix with both kinds)
    ranges: list[tuple[int, int]] = field(default_factory=list)
    text_edits: list[TextEdit] = field(default_factory=list)
    claims: list[tuple[int, tuple[str | int, ...]]] = field(default_factory=list)
    current: str = ""  # base with this round's YAML edits (or all its edits) applied


def fix_report(report: Report, *, unsafe: bool, relint: Relint,
               blocked: Callable[[str], str | None] = lambda display: None) -> FixOutcome:
    """Apply fixes round after round in memory; ``report`` itself is not changed.

    ``blocked(display)`` says why a file must not be changed (or None);
    a fix touching such a file is skipped as a whole.
    """
    texts: dict[str, str] = {}
    originals: dict[str, str] = {}
    sources = {result.display: result.source.text for result in report.files if result.source is not None}
    outcome = FixOutcome(report, originals, texts)
    given_up: set[tuple[str, str, str, str]] = set()
    blocked_cache: dict[str, str | None] = {}

    def why_blocked(display: str) -> str | None:
        if display not in blocked_cache:
            blocked_cache[display] = blocked(display)
        return blocked_cache[display]

    while outcome.rounds < MAX_ROUNDS:
        plans: dict[str, _FilePlan] = {}
        applied_now = 0
        linted = {result.display: result.source.text for result in outcome.report.files if result.source is not None}
        for diagnostic in sorted(outcome.report.diagnostics, key=_single_file_fix):
            fix = diagnostic.fix
            if fix is None or not fix.edits or (fix.applicability is Applicability.UNSAFE and not unsafe):
                continue
            identity = (diagnostic.path, diagnostic.code, fix.description, diagnostic.message)
            if identity in given_up:
                continue
            problem = _plan_fix(fix, plans, sources, texts, linted, why_blocked)
            if problem is None:
                outcome.applied.append(AppliedFix(diagnostic, fix))
                applied_now += 1
            elif problem:
                given_up.add(identity)
                if problem != _NO_CHANGE:
                    outcome.messages.append(f"{diagnostic.location}: {diagnostic.code} fix not applied: {problem}")
        if not applied_now:
            break
        outcome.rounds += 1
        for display, plan in plans.items():
            originals.setdefault(display, sources[display])
            texts[display] = plan.current
        outcome.report = relint(outcome.report, dict(texts))
    else:
        if any(_offered(d, unsafe) and (d.path, d.code, d.fix.description, d.message) not in given_up
               for d in outcome.report.diagnostics if d.fix is not None):
            outcome.messages.append(f"stopped after {MAX_ROUNDS} rounds of fixes; some fixes keep applying")
    return outcome


_NO_CHANGE = "no change"


def _single_file_fix(diagnostic: Diagnostic) -> bool:
    """Sorting by this puts cross-file fixes first: a file-by-file re-lint cannot offer
    them again, while a single-file fix they push aside comes back in the next round."""
    from kubelint.engine import Scope, find_rule

    fix = diagnostic.fix
    if fix is not None and len({edit.path for edit in fix.edits}) > 1:
        return False
    rule = find_rule(diagnostic.code)
    return not (rule is not None and rule.scope is Scope.NODE)


def _offered(diagnostic: Diagnostic, unsafe: bool) -> bool:
    fix = diagnostic.fix
    return fix is not None and (fix.applicability is Applicability.SAFE or unsafe)


def _plan_fix(fix: Fix, plans: dict[str, _FilePlan], sources: Mapping[str, str], texts: Mapping[str, str],
              linted: Mapping[str, str], why_blocked: Callable[[str], str | None]) -> str | None:
    """Add ``fix`` to this round's plans; None if planned, "" if it must wait, else why it never applies."""
    by_path: dict[str, list[Edit]] = {}
    for edit in fix.edits:
        by_path.setdefault(edit.path, []).append(edit)
    for display in by_path:
        if display not in sources:
            return f"{display} was not linted in this run"
        reason = why_blocked(display)
        if reason:
            return f"{display} {reason}"
    trial: dict[str, _FilePlan] = {}
    for display, edits in by_path.items():
        now = texts.get(display, sources[display])
        if linted.get(display, now) != now:
            return ""  # the report is older than the text: wait for a re-lint
        plan = plans.get(display) or _FilePlan(now, current=now)
        try:
            planned = _plan_file(plan, edits)
        except FixError as error:
            return str(error)
        if planned is None:
            return ""  # conflicts with an earlier fix of this round: next round
        trial[display] = planned
    if all(plan.current == (plans[d].current if d in plans else texts.get(d, sources[d])) for d, plan in trial.items()):
        return _NO_CHANGE
    plans.update(trial)
    return None


def _plan_file(plan: _FilePlan, edits: list[Edit]) -> _FilePlan | None:
    """A copy of ``plan`` with ``edits`` added, or None if they conflict with it."""
    text_edits = [edit for edit in edits if isinstance(edit, TextEdit)]
    yaml_edits = [edit for edit in edits if isinstance(edit, YamlEdit)]
    if text_edits and yaml_edits:
        if plan.mode is not None:
            return None
        return replace(plan, mode="whole", current=apply_edits_to_text(plan.base, edits), ranges=[], claims=[],
                       text_edits=[])
    if text_edits:
        if plan.mode not in (None, "text"):
            return None
        index = LineIndex(plan.base)
        ranges = [index.span_offsets(edit.span) for edit in text_edits]
        if any(touches(new, old) for new in ranges for old in plan.ranges):
            return None
        combined = [*plan.text_edits, *text_edits]
        return replace(plan, mode="text", ranges=[*plan.ranges, *ranges], text_edits=combined,
                       current=apply_text_edits(plan.base, combined), claims=[])
    if plan.mode not in (None, "yaml"):
        return None
    claims = []
    for edit in yaml_edits:
        claims.append((edit.document, edit.key_path))
        if edit.op == "rename" and edit.new_key is not None:
            claims.append((edit.document, (*edit.key_path[:-1], edit.new_key)))
    if any(_nested(new, old) for new in claims for old in plan.claims):
        return None
    text = plan.current
    for edit in yaml_edits:
        text = apply_edits_to_text(text, [edit])
    return replace(plan, mode="yaml", claims=[*plan.claims, *claims], current=text, ranges=[], text_edits=[])


def _nested(first: tuple[int, tuple[str | int, ...]], second: tuple[int, tuple[str | int, ...]]) -> bool:
    if first[0] != second[0]:
        return False
    shorter = min(len(first[1]), len(second[1]))
    return first[1][:shorter] == second[1][:shorter]


# ---------------------------------------------------------------------------
# re-linting


def per_file_relint(options: Any, rules: Sequence[Any], settings: Any = None) -> Relint:
    """The default between rounds: files linted again one by one, with per-file ignores.

    A changed file is linted again, and so is an unchanged one that still
    offers fixes: its findings may come from a cross-file analysis (a node
    tree) of texts that have changed since, and such a fix must not apply
    stale. Linted alone, the file keeps only what its own text says.
    Cross-file fixes therefore apply in the first round; what they leave
    shows in the final report.
    """
    from kubelint.analysis import FileResult, Report, lint_source
    from kubelint.source import SourceFile

    fresh: dict[int, FileResult] = {}  # results this relint made (pinned, so their ids stay unique)

    def relint(report: Report, texts: Mapping[str, str]) -> Report:
        again_report = Report(skipped=list(report.skipped), unlisted_clean_files=report.unlisted_clean_files)
        for result in report.files:
            source = result.source
            text = texts.get(result.display)
            changed = source is not None and text is not None and text != source.text
            stale = id(result) not in fresh and any(d.fix is not None for d in result.diagnostics)
            if source is None or not (changed or stale):
                again_report.files.append(result)
                continue
            current = text if changed and text is not None else source.text
            again = lint_source(SourceFile(source.path, result.display, current), options, list(rules),
                                explicit=True)
            if again is None:
                again = FileResult(result.display, result.kind, source=SourceFile(source.path, result.display, current))
            _apply_ignores(again, settings)
            fresh[id(again)] = again
            again_report.files.append(again)
        return again_report

    return relint


def _apply_ignores(result: FileResult, settings: Any) -> None:
    # the same per-file ignores that cli.finish applied to the first report
    if settings is None:
        return
    from kubelint.engine import find_rule, matches_any

    ignored = settings.ignored_for(result.display)
    if ignored:
        result.diagnostics = [d for d in result.diagnostics
                              if not ((rule := find_rule(d.code)) and matches_any(rule, ignored))]


# ---------------------------------------------------------------------------
# the disk


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def linted_roots(paths: Iterable[Path]) -> list[str]:
    """The trees a run may write into: directories as given, a file's directory."""
    roots = []
    for path in paths:
        if str(path) == "-":
            continue
        directory = path if path.is_dir() else path.parent
        roots.append(os.path.realpath(directory))
    return roots


def symlink_problem(path: Path, roots: Sequence[str]) -> str | None:
    """Why writing ``path`` would go through a symlink out of the linted tree."""
    real = os.path.realpath(path)
    if real == os.path.abspath(path) or any(_inside(real, root) for root in roots):
        return None
    return f"is a symlink to {real}, outside the linted tree; not written through"


def _read_back(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def write_problem(path: Path) -> str | None:
    """Why replacing ``path``'s target would surprise: read-only, or hard-linked."""
    real = os.path.realpath(path)
    try:
        info = os.stat(real)
    except OSError as error:
        return f"cannot be examined: {error.strerror or error}"
    if not os.access(real, os.W_OK):
        return "is read-only; not fixed"
    if info.st_nlink > 1:
        # os.replace gives this name a new file; the other names would keep the old text
        return f"has {info.st_nlink} hard links; replacing it would split them; not fixed"
    return None


def changed_on_disk(path: Path, display: str, text: str) -> str | None:
    """Why the file on disk is no longer the ``text`` that was linted, or None."""
    from kubelint.source import decode

    data = _read_back(path)
    if data is None:
        return "can no longer be read"
    now, _ = decode(data, display)
    if now != text:
        return "changed on disk since it was read; not fixed (run kubelint again)"
    return None


def _encode_like(text: str, original: bytes) -> bytes:
    """``text`` in the original's encoding: UTF-8, with its byte order mark if it had one."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if original.startswith(bom):
            return bom + text.encode(codec)
    return text.encode("utf-8")


def _write_all(handle: IO[bytes], data: bytes) -> None:
    # a seam of its own: the crash test slows it down and kills the process mid-write
    handle.write(data)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path``'s target with ``data``: a temporary file, fsync, ``os.replace``.

    The mode is kept, and the owner too when running as root (a fixed
    ``/etc/kubernetes/kubelet.conf`` must stay root's 0600). A symlink is
    written through to its target, never replaced by a regular file.
    """
    real = Path(os.path.realpath(path))
    info = os.stat(real)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".kubelint-tmp", dir=real.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            _write_all(handle, data)
            handle.flush()
            os.fsync(handle.fileno())
        _copy_extended_attributes(real, temporary)
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            os.chown(temporary, info.st_uid, info.st_gid)
        os.replace(temporary, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_directory(real.parent)


def _copy_extended_attributes(source: Path, target: str) -> None:
    """SELinux labels and POSIX ACLs live in extended attributes: carry them over where allowed."""
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(source)
    except OSError:
        return
    for name in names:
        with contextlib.suppress(OSError):
            os.setxattr(target, name, os.getxattr(source, name))


def _fsync_directory(directory: Path) -> None:
    # makes the rename itself durable; not every platform can open a directory
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _groups(applied: Sequence[AppliedFix], changed: Iterable[str]) -> list[set[str]]:
    """Files tied together by multi-file fixes: written together or not at all."""
    parent: dict[str, str] = {display: display for display in changed}

    def find(item: str) -> str:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for fix in applied:
        paths = [path for path in fix.paths if path in parent]
        for other in paths[1:]:
            parent[find(other)] = find(paths[0])
    groups: dict[str, set[str]] = {}
    for display in parent:
        groups.setdefault(find(display), set()).add(display)
    return list(groups.values())


def write_outcome(outcome: FixOutcome, results: Mapping[str, FileResult]) -> tuple[set[str], list[str]]:
    """Write every changed file; returns (files written, messages).

    Each group of files tied by a multi-file fix is checked whole before any
    of it is written: one changed or unreadable file keeps the group as is.
    Within a group, files that gain a setting are written before files that
    lose one (a flag migration sets the config field, then removes the
    flag: a crash in between leaves both, which the kubelet reads the same);
    if a write fails, the group's files already written are put back.
    """
    from kubelint.source import decode

    gaining = {edit.path for item in outcome.applied for edit in item.fix.edits
               if isinstance(edit, YamlEdit) and edit.op == "set"}
    written: set[str] = set()
    messages: list[str] = []
    for group in sorted(_groups(outcome.applied, outcome.changed), key=sorted):
        failed: set[str] = set()
        payloads: list[tuple[str, Path, bytes, bytes]] = []
        for display in sorted(group, key=lambda name: (name not in gaining, name)):
            source = results[display].source
            if source is None or source.path is None:
                continue
            data = _read_back(source.path)
            if data is None or decode(data, display)[0] != outcome.originals[display]:
                messages.append(f"{display} " + ("can no longer be read" if data is None else
                                                 "changed on disk since it was read; not fixed (run kubelint again)"))
                failed.add(display)
                continue
            payloads.append((display, source.path, data, _encode_like(outcome.texts[display], data)))
        if failed:
            others = sorted(group - failed)
            if others:
                messages.append(f"not written either, tied to it by a fix: {', '.join(others)}")
            continue
        done: list[tuple[str, Path, bytes]] = []
        for display, path, original, data in payloads:
            try:
                write_atomically(path, data)
            except OSError as error:
                messages.append(f"{display}: cannot write: {error.strerror or error}")
                messages.extend(_put_back(done))
                break
            done.append((display, path, original))
        else:
            written.update(display for display, _, _ in done)
    return written, messages


def _put_back(done: Sequence[tuple[str, Path, bytes]]) -> Iterator[str]:
    """Restore the files of a group whose last write failed."""
    for display, path, original in reversed(done):
        try:
            write_atomically(path, original)
        except OSError as error:
            yield f"{display}: written, and could not be put back ({error.strerror or error}); check it"
        else:
            yield f"{display}: put back as it was, with the rest of its fix"


# ---------------------------------------------------------------------------
# the CLI


def unified_diff(display: str, old: str, new: str) -> str:
    """A ``git diff``-style unified diff of one file (``--- a/path`` / ``+++ b/path``)."""
    name = display.lstrip("/")
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile=f"a/{name}", tofile=f"b/{name}")
    out = []
    for line in lines:
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _plural(count: int) -> str:
    return f"{count} problem" + ("" if count == 1 else "s")


def _fix_listing(applied: Sequence[AppliedFix]) -> str:
    by_file: dict[str, list[AppliedFix]] = {}
    for item in applied:
        by_file.setdefault(item.diagnostic.path, []).append(item)
    lines = []
    for display in sorted(by_file):
        lines.append(f"{display}:")
        for item in by_file[display]:
            d = item.diagnostic
            unsafe = " (unsafe)" if item.fix.applicability is Applicability.UNSAFE else ""
            lines.append(f"  {d.code} [{d.name}] {item.fix.description}{unsafe}")
    return "\n".join(lines)


def apply_fixes(report: Report, request: Any, relint: Relint | None = None,
                rerun: Callable[[], Report] | None = None) -> int | None:
    """What ``kubelint check/node --fix/--diff`` does after the first lint.

    Returns an exit status when the command is done (``--diff``, or standard
    input fixed to standard output), or None to let the CLI print
    ``report``, which by then holds what remains after fixing.

    ``relint`` lints again in memory between rounds (default: file by file).
    ``rerun`` repeats the command's analysis from disk once files are
    written: the final report then has the cross-file findings too, and a
    cross-file fix that had to wait (it conflicted with another) gets a
    fresh analysis and another cycle, up to ``MAX_CYCLES``. Without it, the
    written files are linted again one by one.
    """
    from kubelint.cli import resolve_options
    from kubelint.engine import indexed_rules

    settings, options, fail_on = resolve_options(request)
    rules = [rule for rule in indexed_rules() if options.selection.enabled(rule)]
    relint = relint or per_file_relint(options, rules, settings)
    unsafe = bool(request.unsafe_fixes)
    roots = linted_roots(request.paths)
    first = {result.display: result for result in report.files}
    stdin = {display for display, result in first.items() if result.source is not None and result.source.path is None}
    if request.diff:
        outcome = fix_report(report, unsafe=unsafe, relint=relint)
        _echo_messages(outcome.messages)
        diffs = [unified_diff(display, outcome.originals[display], outcome.texts[display])
                 for display in outcome.changed]
        click.echo("".join(diffs), nl=False)
        if not request.quiet:
            click.echo(f"Would fix {_plural(len(outcome.applied))}" + (":" if request.show_fixes and outcome.applied
                                                                        else ""), err=True)
            if request.show_fixes and outcome.applied:
                click.echo(_fix_listing(outcome.applied), err=True)
        return EXIT_FINDINGS if diffs else EXIT_CLEAN

    applied: list[AppliedFix] = []
    current = report
    fixed_stdin: list[FileResult] = []
    for cycle in range(MAX_CYCLES):
        results = {result.display: result for result in current.files}
        outcome = fix_report(current, unsafe=unsafe, relint=relint, blocked=_blocker(results, roots))
        _echo_messages(outcome.messages)
        written, messages = write_outcome(outcome, results)
        _echo_messages(messages)
        done = written | (stdin & set(outcome.texts))
        applied += [item for item in outcome.applied if all(path in done for path in item.paths)]
        if cycle == 0:
            by_display = {result.display: result for result in outcome.report.files}
            fixed_stdin = [by_display[display] for display in sorted(stdin) if display in by_display]
        if not written:
            final = _keep_first(current, stdin, fixed_stdin)
            break
        if rerun is None:
            fresh = per_file_disk_relint(options, rules, settings)(current, written)
            final = _keep_first(fresh, stdin, fixed_stdin)
            break
        final = rerun()
        for result in final.files:
            _apply_ignores(result, settings)
        final.files[:0] = fixed_stdin
        if not any(_offered(d, unsafe) for d in final.diagnostics if d.path not in stdin):
            break
        current = final  # a fix had to wait for a fresh analysis: one more cycle
    to_stderr = bool(stdin) or request.output_format not in (None, "text") or (
        request.output_format is None and os.environ.get("GITHUB_ACTIONS") == "true")
    if not request.quiet:
        click.echo(f"Fixed {_plural(len(applied))}" + (":" if request.show_fixes and applied else ""), err=to_stderr)
        if request.show_fixes and applied:
            click.echo(_fix_listing(applied), err=to_stderr)
    report.files[:] = final.files
    report.skipped[:] = final.skipped
    report.unlisted_clean_files = final.unlisted_clean_files
    if not stdin:
        return None
    for result in report.files:
        if result.display in stdin and result.source is not None:
            click.echo(result.source.text, nl=False)
    return _render_to_stderr(report, request, fail_on)



def _echo_messages(messages: Iterable[str]) -> None:
    for message in messages:
        click.echo(f"kubelint: {message}", err=True)


def _blocker(results: Mapping[str, FileResult], roots: Sequence[str]) -> Callable[[str], str | None]:
    def blocked(display: str) -> str | None:
        """Why ``--fix`` must not write this file (asked before any fix touches it)."""
        source = results[display].source
        if source is None:
            return "could not be read"
        if source.path is None:
            return None
        return (symlink_problem(source.path, roots) or write_problem(source.path)
                or changed_on_disk(source.path, display, source.text))

    return blocked


def _keep_first(report: Report, stdin: set[str], fixed_stdin: list[FileResult]) -> Report:
    """``report`` with standard input's results replaced by the fixed ones."""
    from kubelint.analysis import Report as ReportType

    replaced = {result.display: result for result in fixed_stdin}
    return ReportType(files=[replaced.get(result.display, result) if result.display in stdin else result
                             for result in report.files], skipped=list(report.skipped),
                      unlisted_clean_files=report.unlisted_clean_files)


def per_file_disk_relint(options: Any, rules: Sequence[Any], settings: Any = None
                         ) -> Callable[[Report, set[str]], Report]:
    """Lint the written files again from disk (read problems such as UTF-16 included)."""
    from kubelint.analysis import Report, lint_file

    def relint(report: Report, written: set[str]) -> Report:
        fresh = Report(skipped=list(report.skipped), unlisted_clean_files=report.unlisted_clean_files)
        for result in report.files:
            source = result.source
            if result.display not in written or source is None or source.path is None:
                fresh.files.append(result)
                continue
            again = lint_file(source.path, result.display, options, list(rules), explicit=True)
            if again is None:
                fresh.files.append(result)
                continue
            _apply_ignores(again, settings)
            fresh.files.append(again)
        return fresh

    return relint


def _render_to_stderr(report: Report, request: Any, fail_on: Any) -> int:
    """The report after fixing standard input: standard output holds the fixed text."""
    from kubelint.formatters import RenderContext, renderer

    output_format = request.output_format or "text"
    text = renderer(output_format)(report, RenderContext(color=False, statistics=request.statistics,
                                                         fail_on=fail_on.label))
    if request.quiet and output_format == "text":
        text = "\n".join(line for line in text.splitlines()
                         if not line.startswith(("Found ", "All checks passed"))) + "\n"
    click.echo(text, nl=False, err=True)
    diagnostics = report.diagnostics
    if any(d.code == "KL099" for d in diagnostics):
        return EXIT_ERROR
    return EXIT_FINDINGS if any(d.severity >= fail_on for d in diagnostics) else EXIT_CLEAN
