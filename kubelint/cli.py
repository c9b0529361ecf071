"""The ``kubelint`` command line.

Exit status (as ruff and yamllint): 0 nothing at or above ``--fail-on``,
1 findings at or above it, 2 usage error or internal error.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from kubelint import __version__

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _csv(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def lint_options(function: F) -> F:
    """Options shared by every command that lints (``check``, ``node``)."""
    decorators = [
        click.option("--format", "output_format", type=click.Choice(["text", "json", "sarif", "github", "junit", "lsp"]),
                     default=None, help="Output format (default: text; github inside GitHub Actions)."),
        click.option("--output-file", "-o", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write the report to this file instead of standard output."),
        click.option("--select", multiple=True, help="Rule codes, code prefixes or names to enable (replaces the default ALL)."),
        click.option("--extend-select", multiple=True, help="Rules to enable in addition to the selection."),
        click.option("--ignore", multiple=True, help="Rule codes, prefixes or names to disable."),
        click.option("--kubernetes-version", "--k8s-version", "kubernetes_version", metavar="X.Y",
                     help="Target Kubernetes version (default: the newest kubelint supports)."),
        click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
                     help="Lowest severity that makes the exit status 1 (default: warning)."),
        click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Settings file (.kubelint.yaml or pyproject.toml) instead of searching for one."),
        click.option("--statistics", is_flag=True, help="Count findings per rule after the report."),
        click.option("--fix", is_flag=True, help="Apply safe fixes in place."),
        click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply fixes that change behaviour."),
        click.option("--diff", is_flag=True, help="Print a unified diff of the fixes; write nothing (exit 1 if there is a diff)."),
        click.option("--show-fixes", is_flag=True, help="List the fixes that were applied."),
        click.option("--exclude", multiple=True, help="Glob patterns of paths to skip while walking directories."),
        click.option("--color/--no-color", default=None, help="Colour the text output (default: only on a terminal)."),
        click.option("--jobs", "-j", type=int, default=None, help="Worker processes (default: CPU count)."),
        click.option("-v", "--verbose", is_flag=True, help="Also list files that were skipped."),
        click.option("-q", "--quiet", is_flag=True, help="Print only diagnostics (no summary, no progress)."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


@dataclass
class LintRequest:
    paths: tuple[Path, ...]
    output_format: str | None
    output_file: Path | None
    select: tuple[str, ...]
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    kubernetes_version: str | None
    fail_on: str | None
    config_path: Path | None
    statistics: bool
    fix: bool
    unsafe_fixes: bool
    diff: bool
    show_fixes: bool
    exclude: tuple[str, ...]
    color: bool | None
    jobs: int | None
    verbose: bool
    quiet: bool


class _Group(click.Group):
    """Bad input is a diagnostic; a kubelint bug is one clear line and exit 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            sys.exit(130)
        except Exception as error:
            if os.environ.get("KUBELINT_DEBUG"):
                raise
            click.echo(f"kubelint: internal error: {type(error).__name__}: {error} "
                       "(set KUBELINT_DEBUG=1 for details, and please report it)", err=True)
            sys.exit(EXIT_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="kubelint")
def main() -> None:
    """Lint Kubernetes node configuration: kubelet config, units, flags, kubeconfigs, runtimes."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--stdin-filename", help="Name to use for standard input (given as '-'); also decides its kind by path.")
@lint_options
def check(paths: tuple[Path, ...], stdin_filename: str | None, **options: Any) -> None:
    """Lint files and directories (recursively); '-' reads standard input."""
    request = LintRequest(paths=paths or (Path("."),), **options)
    sys.exit(run_check(request, stdin_filename))


def run_check(request: LintRequest, stdin_filename: str | None) -> int:
    from kubelint import analysis
    from kubelint.config import ConfigError

    try:
        settings, options, fail_on = resolve_options(request)
    except (ConfigError, ValueError) as error:
        click.echo(f"kubelint: {error}", err=True)
        return EXIT_ERROR
    report = analysis.Report()
    rules = [rule for rule in _all_rules() if options.selection.enabled(rule)]
    file_paths = [p for p in request.paths if str(p) != "-"]
    if any(str(p) == "-" for p in request.paths):
        from kubelint.source import SourceFile, decode

        name = stdin_filename or "<stdin>"
        text, problems = decode(sys.stdin.buffer.read(), name)
        source = SourceFile(None, name, text or "")
        result = analysis.lint_source(source, options, rules, explicit=True, read_problems=problems) if text is not None else None
        if result is not None:
            report.files.append(result)
        elif text is None:
            failed = analysis.FileResult(name, None)
            failed.diagnostics = analysis._finish(problems, [], rules, None)
            report.files.append(failed)
    if file_paths:
        from kubelint.scan import scan

        partial = scan(file_paths, options, request.jobs, progress=not request.quiet,
                       list_clean_files=_lists_every_file(request))
        report.files.extend(partial.files)
        report.skipped.extend(partial.skipped)
        report.unlisted_clean_files += partial.unlisted_clean_files

    def rerun() -> Any:  # the same scan again, for the report after --fix wrote files
        from kubelint.scan import scan

        return scan(file_paths, options, request.jobs, progress=False, list_clean_files=_lists_every_file(request))

    return finish(report, request, settings, fail_on, rerun=rerun if file_paths else None)


@main.command()
@click.option("--root", "root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The node's filesystem root (default: /).")
@click.option("--cmdline", "cmdline", help="A kubelet command line to lint instead of the systemd unit.")
@click.option("--cmdline-file", "cmdline_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A saved /proc/PID/cmdline (NUL-separated) to lint instead of the systemd unit.")
@click.option("--unit", "unit_name", default="kubelet.service", show_default=True, help="The kubelet's unit name.")
@lint_options
def node(root: Path | None, cmdline: str | None, cmdline_file: Path | None, unit_name: str, **options: Any) -> None:
    """Lint a node: the kubelet's unit chain, flags, config, kubeconfigs and runtime."""
    request = LintRequest(paths=(root or Path("/"),), **options)
    sys.exit(run_node(request, root, cmdline, cmdline_file, unit_name))


def run_node(request: LintRequest, root: Path | None, cmdline: str | None, cmdline_file: Path | None,
             unit_name: str) -> int:
    from kubelint.analysis import Report, gate_defaults
    from kubelint.config import ConfigError
    from kubelint.engine import indexed_rules

    try:
        settings, options, fail_on = resolve_options(request)
    except (ConfigError, ValueError) as error:
        click.echo(f"kubelint: {error}", err=True)
        return EXIT_ERROR
    node_root = root or Path("/")
    if not node_root.is_dir():
        click.echo(f"kubelint: --root {node_root} is not a directory", err=True)
        return EXIT_ERROR
    rules = [rule for rule in indexed_rules() if options.selection.enabled(rule)]
    prefix = "" if root is None or str(root) == "/" else _display_root(root)
    if cmdline is not None or cmdline_file is not None:
        from kubelint.loaders.cmdline import split_cmdline, split_proc_cmdline
        from kubelint.node import build_from_command_line
        from kubelint.node_analysis import lint_node

        if cmdline_file is not None:
            try:
                data = cmdline_file.read_bytes()
            except OSError as error:
                click.echo(f"kubelint: cannot read {cmdline_file}: {error.strerror}", err=True)
                return EXIT_ERROR
            words = split_proc_cmdline(data, str(cmdline_file))
            origin = str(cmdline_file)
        else:
            words = split_cmdline(cmdline or "", "<cmdline>")
            origin = "--cmdline"
        arguments = words[1:] if words and not words[0].text.startswith("-") else words
        node_view = build_from_command_line(arguments, origin, node_root if root else None, options.version,
                                            gate_defaults(options.version))
        results = lint_node(node_view, options, rules, prefix=prefix)
    else:
        from kubelint.scan import lint_root

        results = lint_root(node_root, options, rules, prefix=prefix, real_root=True)
    report = Report(files=results)

    def rerun() -> Any:  # the node again, for the report after --fix wrote files
        from kubelint.scan import lint_root

        return Report(files=lint_root(node_root, options, rules, prefix=prefix, real_root=True))

    from_root = cmdline is None and cmdline_file is None
    return finish(report, request, settings, fail_on, rerun=rerun if from_root else None)


def _display_root(root: Path) -> str:
    from kubelint.source import display_path

    return display_path(root)


def _all_rules() -> tuple[Any, ...]:
    # the rule index: a rule's module is imported when its scope first runs
    from kubelint.engine import indexed_rules

    return indexed_rules()


def resolve_options(request: LintRequest) -> tuple[Any, Any, Any]:
    from kubelint import knowledge
    from kubelint.analysis import Options
    from kubelint.config import Settings, find_settings, load_settings
    from kubelint.diagnostics import Severity
    from kubelint.engine import Selection, unknown_selectors

    settings_path = request.config_path or find_settings(request.paths[0] if request.paths and str(request.paths[0]) != "-" else Path.cwd())
    settings = load_settings(settings_path) if settings_path else Settings()
    version_text = request.kubernetes_version or settings.kubernetes_version
    version = knowledge.parse_version(version_text) if version_text else knowledge.default_target_version()
    low, high = knowledge.supported_versions()
    if not low <= version <= high:
        raise ValueError(
            f"Kubernetes {version[0]}.{version[1]} is outside the versions kubelint knows "
            f"({low[0]}.{low[1]}–{high[0]}.{high[1]})"
        )
    select = _csv(request.select) or settings.select or ("ALL",)
    extend = _csv(request.extend_select) + settings.extend_select
    ignore = _csv(request.ignore) + settings.ignore
    unknown = unknown_selectors((*select, *extend, *ignore))
    if unknown:
        raise ValueError(f"unknown rule selector(s): {', '.join(unknown)} (see 'kubelint rules')")
    selection = Selection(tuple(select), tuple(extend), tuple(ignore))
    fail_on = Severity.parse(request.fail_on or settings.fail_on or "warning")
    options = Options(version=version, selection=selection, exclude=request.exclude + settings.exclude)
    return settings, options, fail_on


def _output_format(request: LintRequest) -> str:
    return request.output_format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")


def _lists_every_file(request: LintRequest) -> bool:
    """JUnit and LSP output name every file checked, clean ones included;
    the other formats only count the clean ones."""
    return _output_format(request) in ("junit", "lsp")


def finish(report: Any, request: LintRequest, settings: Any, fail_on: Any,
           rerun: Callable[[], Any] | None = None) -> int:
    """Apply per-file ignores and fixes, print the report, compute the exit status.

    ``rerun`` repeats the analysis from disk: after ``--fix`` it gives the
    report of what remains, cross-file findings included.
    """
    from kubelint.engine import find_rule, matches_any
    from kubelint.formatters import RenderContext, renderer

    for result in report.files:
        ignored = settings.ignored_for(result.display)
        if ignored:
            result.diagnostics = [
                d for d in result.diagnostics
                if not ((rule := find_rule(d.code)) and matches_any(rule, ignored))
            ]
    if request.fix or request.diff:
        from kubelint.fix import apply_fixes

        status = apply_fixes(report, request, rerun=rerun)
        if status is not None:
            return status
    output_format = _output_format(request)
    color = request.color if request.color is not None else (output_format == "text" and request.output_file is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    text = renderer(output_format)(report, RenderContext(color=color, statistics=request.statistics, fail_on=fail_on.label,
                                                         summaries=not request.quiet))
    if request.quiet and output_format == "text":
        text = "\n".join(line for line in text.splitlines() if not line.startswith(("Found ", "All checks passed"))) + "\n"
    if request.verbose and report.skipped:
        click.echo("Skipped (not node configuration): " + ", ".join(report.skipped), err=True)
    if request.output_file:
        request.output_file.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    diagnostics = [d for result in report.files for d in result.diagnostics]  # any order: only tested
    if any(d.code == "KL099" for d in diagnostics):
        return EXIT_ERROR
    return EXIT_FINDINGS if any(d.severity >= fail_on for d in diagnostics) else EXIT_CLEAN


@main.command(name="rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text")
def list_rules(output_format: str) -> None:
    """List every rule: code, name, family, severity, fixable, summary."""
    from kubelint.ruledocs import render_rules

    click.echo(render_rules(output_format), nl=False)


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Print a rule's documentation (by code or name)."""
    from kubelint.engine import find_rule
    from kubelint.ruledocs import explain_rule

    found = find_rule(rule)
    if found is None:
        click.echo(f"kubelint: no rule {rule!r} (see 'kubelint rules')", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(explain_rule(found))


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@main.command()
@click.option("--stdio", is_flag=True, help="Speak LSP over standard input/output (the default and only transport).")
def lsp(stdio: bool) -> None:
    """Run the kubelint language server (diagnostics, quick fixes, hover) over stdio."""
    try:
        import lsprotocol.types  # noqa: F401
        import pygls.lsp.server  # noqa: F401
    except ImportError:
        click.echo("kubelint: the language server needs pygls; install kubelint[lsp] "
                   "(pip install 'kubelint[lsp]')", err=True)
        sys.exit(EXIT_ERROR)
    from kubelint.lsp import serve

    serve()


@main.command()
@click.argument("name", type=click.Choice(["kubelet-config", "kubeconfig"]))
def schema(name: str) -> None:
    """Print the JSON Schema (draft 2020-12) of a KubeletConfiguration or a kubeconfig."""
    from kubelint.schemas import render

    click.echo(render(name), nl=False)


@main.command()
@click.option("--root", "root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The node's filesystem root (default: /).")
@click.option("--cmdline", "cmdline", help="A kubelet command line to show instead of the systemd unit's.")
@click.option("--cmdline-file", "cmdline_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A saved /proc/PID/cmdline (NUL-separated) to show instead of the systemd unit's.")
@click.option("--unit", "unit_name", default="kubelet.service", show_default=True, help="The kubelet's unit name.")
@click.option("--kubernetes-version", "--k8s-version", "kubernetes_version", metavar="X.Y",
              help="Target Kubernetes version, for defaults and feature gates (default: the newest kubelint supports).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              help="text: YAML with a provenance comment per line; json: config, provenance and command line.")
@click.option("--explain", "explain", metavar="FIELD",
              help="Follow one field (e.g. cgroupDriver, evictionHard.memory.available) through every layer.")
def show(root: Path | None, cmdline: str | None, cmdline_file: Path | None, unit_name: str,
         kubernetes_version: str | None, output_format: str, explain: str | None) -> None:
    """Print the kubelet's effective configuration and where each value comes from."""
    from kubelint.show import ShowRequest, run

    status, out, err = run(ShowRequest(root, cmdline, cmdline_file, unit_name, kubernetes_version, output_format,
                                       explain))
    if out:
        click.echo(out, nl=False)
    if err:
        click.echo(err, nl=False, err=True)
    sys.exit(status)


if __name__ == "__main__":  # pragma: no cover
    main()
