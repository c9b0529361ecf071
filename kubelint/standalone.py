"""Linting one unit, env or runtime file on its own (``kubelint check FILE``).

A lone file still says a lot: its syntax, the kubelet flags it carries
(removed, deprecated, unknown), its runtime cgroup settings. The cross-file
verdicts need the node view (``kubelint node``) or a group of files.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.contexts import CommandLineContext
from kubelint.diagnostics import Diagnostic, Location
from kubelint.engine import Rule, Scope, run_rules
from kubelint.loaders.cmdline import EnvValue, Word, expand_exec_start, word_from_mapped
from kubelint.loaders.envfile import parse_env_file
from kubelint.loaders.problems import Problem
from kubelint.loaders.systemd import (
    Directive,
    ExecCommand,
    exec_start_words,
    parse_unit,
    split_environment_assignments,
)
from kubelint.models.defaults import Version
from kubelint.node import CommandLine, env_file_command_lines, parse_command_line
from kubelint.node_analysis import service_problem_rule


def lint_env_file(text: str, path: str, version: Version, rules: list[Rule],
                  problems: list[Problem]) -> Iterator[Diagnostic]:
    env = parse_env_file(text, path)
    for found in env.problems:
        kind = service_problem_rule(found.kind, path, {path})
        problems.append(Problem(kind, Location(path, found.span), found.message, found.severity))
    contexts = [CommandLineContext(line, version, None, "env-file", texts={path: text})
                for line in env_file_command_lines(env)]
    yield from run_rules(rules, Scope.COMMAND_LINE, contexts)


def unit_command_lines(text: str, path: str, problems: list[Problem]) -> list[CommandLine]:
    """The kubelet command lines a lone unit or drop-in spells out."""
    unit = parse_unit(text, path)
    for found in unit.problems:
        problems.append(Problem(service_problem_rule(found.kind, path, set()), Location(path, found.span),
                                found.message, found.severity))
    environment: dict[str, EnvValue] = {}
    for directive in unit.get("Service", "Environment"):
        for assignment in split_environment_assignments(directive):
            origin = f"{assignment.name} in {path}:{assignment.line}"
            environment[assignment.name] = EnvValue(assignment.value, path, origin)
    commands: list[tuple[Directive, ExecCommand]] = []
    for directive in unit.get("Service", "ExecStart"):
        commands = [] if not directive.value.text.strip() else commands
        for command in exec_start_words(directive, in_dropin=path.endswith(".conf")):
            commands.append((directive, command))
    lines: list[CommandLine] = []
    if commands:
        directive, command = commands[-1]
        words = [word_from_mapped(part, path) for part in command.argv[1:]]
        # variables from EnvironmentFile= are unknown here: they expand to nothing
        expanded = expand_exec_start(words, environment)
        lines.append(parse_command_line(expanded, "ExecStart", Location(path, directive.value_span)))
        return lines
    for name, value in environment.items():
        if name.startswith("KUBELET_"):
            words_env = expand_exec_start([Word("$" + name, None)], {name: value})
            lines.append(parse_command_line(words_env, value.origin or name, None))
    return lines


def lint_unit_file(text: str, path: str, version: Version, rules: list[Rule],
                   problems: list[Problem]) -> Iterator[Diagnostic]:
    contexts = [CommandLineContext(line, version, None, "unit-file", texts={path: text})
                for line in unit_command_lines(text, path, problems)]
    yield from run_rules(rules, Scope.COMMAND_LINE, contexts)


def lint_runtime_file(text: str, path: str, rules: list[Rule], problems: list[Problem]) -> Iterator[Diagnostic]:
    from kubelint.loaders.runtime import load_runtime

    config = load_runtime(text, path)
    if config is None:
        return
    for found in config.problems:
        problems.append(Problem("runtime-config", found.location, found.message, found.severity_hint, found.suggestion))
    yield from run_rules(rules, Scope.RUNTIME, [config])
