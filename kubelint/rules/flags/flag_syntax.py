"""The kubelet's command line does not parse: stray words, missing values, bad dashes.

Why: the kubelet takes no positional arguments and stops at the first
parse error, before reading any configuration. The usual causes: a boolean
given its value as a separate word (``--anonymous-auth false`` sets
``--anonymous-auth`` to true, then ``false`` is a stray argument and the
kubelet exits with ``unknown command false``), a flag with its value
missing at the end of a variable (``--config`` alone), a single dash
(``-node-ip=...`` is read as the shorthand ``-n``), an empty word left by
an unset ``${VAR}``, or a value that looks like the next flag (a warning:
``--node-labels --v=2`` makes ``--v=2`` the labels).

Fails:
    KUBELET_EXTRA_ARGS="--anonymous-auth false --node-ip"
Passes:
    KUBELET_EXTRA_ARGS="--anonymous-auth=false --node-ip=10.0.12.7"
Fix: safe for a boolean with a separate ``true``/``false``: the blank
becomes ``=`` (the kubelet does not start as written). None otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.contexts import CommandLineContext
from kubelint.diagnostics import Applicability, Finding, Fix, Location, Severity, Span
from kubelint.engine import Scope, define
from kubelint.flag_values import FlagValueError, parse_bool
from kubelint.loaders.cmdline import FlagOccurrence, FlagProblem, Word
from kubelint.rules.flags._support import anchor, join_words_edit, occurrence_word, shown


def check(context: CommandLineContext) -> Iterator[Finding]:
    command_line = context.command_line
    for problem in command_line.flags.problems:
        flag = _boolean_before(context, problem)
        stray = occurrence_word(command_line, problem.index)
        if flag is not None and stray is not None:
            yield _separate_boolean(context, problem, flag, stray)
        else:
            yield Finding(problem.location or anchor(command_line), _message(problem), problem.severity)


def _message(problem: FlagProblem) -> str:
    if problem.severity is Severity.ERROR and "refuses" not in problem.message and "exits" not in problem.message:
        return f"{problem.message}; the kubelet exits at start"
    return problem.message


def _boolean_before(context: CommandLineContext, problem: FlagProblem) -> FlagOccurrence | None:
    """The bare boolean flag right before a stray ``true``/``false``."""
    if problem.kind != "positional":
        return None
    stray = occurrence_word(context.command_line, problem.index)
    if stray is None:
        return None
    try:
        parse_bool(stray.text)
    except FlagValueError:
        return None
    for occurrence in context.command_line.flags.occurrences:
        if occurrence.index == problem.index - 1 and occurrence.is_bool and occurrence.value is None:
            return occurrence
    return None


def _separate_boolean(context: CommandLineContext, problem: FlagProblem, flag: FlagOccurrence,
                      stray: Word) -> Finding:
    name = shown(flag)
    message = (f"`{name} {stray.text}`: a boolean flag takes its value only after `=`, so {name} is set to "
               f"true and `{stray.text}` is a stray argument: the kubelet exits with "
               f"`unknown command {stray.text}`; write `{name}={stray.text}`")
    edit = join_words_edit(flag, stray, context.command_line, context.texts)
    fix = Fix(f"write {name}={stray.text}", Applicability.SAFE, (edit,)) if edit else None
    return Finding(_both(flag.whole_location, problem.location) or anchor(context.command_line), message,
                   Severity.ERROR, fix=fix)


def _both(first: Location | None, second: Location | None) -> Location | None:
    """From the flag to the stray word, when both sit in order in one file."""
    if first is None or second is None or first.path != second.path or second.span < first.span:
        return second or first
    return Location(first.path, Span(first.span.line, first.span.column, second.span.end_line,
                                     second.span.end_column))


RULE = define(__doc__, code="KL205", name="flag-syntax", severity=Severity.ERROR, scope=Scope.COMMAND_LINE,
              check=check, fixable=True)
