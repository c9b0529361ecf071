"""Rule registry, selection, suppression and execution.

A rule lives in its own module under ``kubelint.rules`` and exposes
``RULE = define(__doc__, ...)``: the module docstring is its documentation
(``kubelint rules``/``explain`` print it). A rule's ``check`` is a pure
function of one context (a document, the effective kubelet view, a command
line, a runtime config or a node) that yields ``Finding``s; the engine adds
code, name and severity, drops suppressed ones and sorts the rest.
"""

from __future__ import annotations

import enum
import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any, Final

from kubelint.diagnostics import Diagnostic, Finding, Location, Severity
from kubelint.loaders.problems import Problem
from kubelint.records import Record


class Scope(enum.Enum):
    LOAD = "load"  # reported by loaders and builders; no check function
    KUBELET_DOCUMENT = "kubelet-document"  # one KubeletConfiguration document as written
    KUBELET = "kubelet"  # the effective configuration (KubeletView)
    KUBECONFIG = "kubeconfig"
    COMMAND_LINE = "command-line"
    RUNTIME = "runtime"
    NODE = "node"


# Scope(value) goes through EnumType.__call__: ten times a dict look-up, for
# each of the ~160 rules of the index at every start
_SCOPES: dict[str, Scope] = {scope.value: scope for scope in Scope}

FAMILIES: dict[str, str] = {
    "0": "input",
    "1": "validity",
    "2": "flags",
    "3": "gc-eviction",
    "4": "security",
    "5": "kubeconfig",
    "6": "runtime",
    "7": "node",
}


class Rule(Record):
    __slots__ = ("check", "cis", "code", "doc", "fixable", "name", "scope", "severity", "tags")
    code: Final[str]
    name: Final[str]
    severity: Final[Severity]
    scope: Final[Scope]
    doc: Final[str]
    check: Final[Callable[[Any], Iterable[Finding]] | None]
    fixable: Final[bool]
    cis: Final[tuple[str, ...]]
    tags: Final[tuple[str, ...]]

    def __init__(self, code: str, name: str, severity: Severity, scope: Scope, doc: str,
                 check: Callable[[Any], Iterable[Finding]] | None = None, fixable: bool = False,
                 cis: tuple[str, ...] = (), tags: tuple[str, ...] = ()) -> None:
        self.code = code
        self.name = name
        self.severity = severity
        self.scope = scope
        self.doc = doc
        self.check = check
        self.fixable = fixable
        self.cis = cis
        self.tags = tags

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.name

    @property
    def family(self) -> str:
        return FAMILIES.get(self.code[2:3], "other")


def define(doc: str | None, *, code: str, name: str, severity: Severity, scope: Scope,
           check: Callable[[Any], Iterable[Finding]] | None = None, fixable: bool = False,
           cis: tuple[str, ...] = (), tags: tuple[str, ...] = ()) -> Rule:
    if not doc:
        raise ValueError(f"rule {code} has no docstring; its docstring is its documentation")
    return Rule(code, name, severity, scope, doc, check, fixable, cis, tags)


# which module defined each rule (the rule index records it)
_MODULES: dict[str, str] = {}


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule module under ``kubelint.rules``, sorted by code."""
    import pkgutil

    import kubelint.rules as package

    found: list[Rule] = []
    for module_info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        module = importlib.import_module(module_info.name)
        rule = getattr(module, "RULE", None)
        if isinstance(rule, Rule):
            found.append(rule)
            _MODULES[rule.code] = module_info.name
    codes = [rule.code for rule in found]
    duplicates = {code for code in codes if codes.count(code) > 1}
    if duplicates:
        raise RuntimeError(f"duplicate rule codes: {sorted(duplicates)}")
    return tuple(sorted(found, key=lambda rule: rule.code))


def rule_module(rule: Rule) -> str:
    """The module that defines ``rule`` (after ``all_rules()``)."""
    all_rules()
    return _MODULES[rule.code]


class _DeferredCheck:
    """A rule's check that imports its module on first use.

    Importing all ~150 rule modules (and the models some of them need)
    costs more than linting one file; a run only pays for the scopes it
    meets. ``run_rules`` unwraps it once per call, so checks run at full speed.
    """

    __slots__ = ("_check", "code", "module")

    def __init__(self, module: str, code: str) -> None:
        self.module = module
        self.code = code
        self._check: Callable[[Any], Iterable[Finding]] | None = None

    def resolve(self) -> Callable[[Any], Iterable[Finding]]:
        if self._check is None:
            rule = getattr(importlib.import_module(self.module), "RULE", None)
            if not isinstance(rule, Rule) or rule.code != self.code or rule.check is None:
                raise RuntimeError(f"the rule index is wrong about {self.code} in {self.module}")
            self._check = rule.check
        return self._check

    def __call__(self, context: Any) -> Iterable[Finding]:
        return self.resolve()(context)

    def __repr__(self) -> str:
        return f"<check of {self.code} in {self.module}, loaded on first use>"


def _resolved(check: Callable[[Any], Iterable[Finding]]) -> Callable[[Any], Iterable[Finding]]:
    return check.resolve() if isinstance(check, _DeferredCheck) else check


@cache
def indexed_rules() -> tuple[Rule, ...]:
    """Every rule, as ``all_rules()``, without importing the rule modules.

    Codes, names, scopes, severities and docstrings come from the generated
    rule index (``kubelint.snapshots``); a rule's module is imported the
    first time its check runs. The index keeps a digest per module: a rule
    module edited or added since the index was generated is imported now and
    its own ``RULE`` used, so a stale index costs time, never correctness.
    (A rule whose ``define(...)`` is not all literals is also imported when
    a helper module changed; an unreadable index means ``all_rules()``.)
    """
    from kubelint import snapshots

    index = snapshots.load("rules", checked=False)
    modules = index.get("modules") if isinstance(index, dict) else None
    if not isinstance(modules, dict):
        return all_rules()
    try:
        if snapshots.sources_may_change():
            current = {module: snapshots.file_digest(path) for module, path in snapshots.rule_modules().items()}
        else:  # an installed package: its index was generated from these very modules
            current = {module: entry["digest"] for module, entry in modules.items()}
        helper_changed = any(
            not entry["rules"] and current.get(module) != entry["digest"]
            for module, entry in modules.items()
        )
        found: list[Rule] = []
        for module, digest in current.items():
            entry = modules.get(module)
            if (isinstance(entry, dict) and entry["digest"] == digest
                    and (entry["literal"] or not helper_changed)):
                found.extend(_indexed(module, item) for item in entry["rules"])
                continue
            rule = getattr(importlib.import_module(module), "RULE", None)
            if isinstance(rule, Rule):
                _MODULES[rule.code] = module
                found.append(rule)
    except (OSError, KeyError, TypeError, ValueError):
        return all_rules()
    codes = [rule.code for rule in found]
    if len(set(codes)) != len(codes):
        return all_rules()  # which reports the duplicates
    return tuple(sorted(found, key=lambda rule: rule.code))


def _indexed(module: str, entry: dict[str, Any]) -> Rule:
    _MODULES.setdefault(entry["code"], module)
    return Rule(
        code=entry["code"], name=entry["name"], severity=Severity[entry["severity"]],
        scope=_SCOPES[entry["scope"]], doc=entry["doc"],
        check=_DeferredCheck(module, entry["code"]) if entry["check"] else None,
        fixable=bool(entry["fixable"]), cis=tuple(entry["cis"]), tags=tuple(entry["tags"]),
    )


@cache
def rules_by_name() -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    for rule in indexed_rules():
        table[rule.name] = rule
        table[rule.code] = rule
    return table


def find_rule(code_or_name: str) -> Rule | None:
    return rules_by_name().get(code_or_name) or rules_by_name().get(code_or_name.upper())


def _matches(rule: Rule, selector: str) -> bool:
    selector = selector.strip()
    if selector.upper() == "ALL":
        return True
    if selector == rule.name:
        return True
    upper = selector.upper()
    return rule.code.startswith(upper) and upper.startswith("KL")


def matches_any(rule: Rule, selectors: Iterable[str]) -> bool:
    return any(_matches(rule, selector) for selector in selectors)


def unknown_selectors(selectors: Iterable[str]) -> list[str]:
    return [s for s in selectors if s and not any(_matches(rule, s) for rule in indexed_rules())]


class Selection(Record):
    __slots__ = ("extend_select", "ignore", "select")
    select: Final[tuple[str, ...]]
    extend_select: Final[tuple[str, ...]]
    ignore: Final[tuple[str, ...]]

    def __init__(self, select: tuple[str, ...] = ("ALL",), extend_select: tuple[str, ...] = (),
                 ignore: tuple[str, ...] = ()) -> None:
        self.select = select
        self.extend_select = extend_select
        self.ignore = ignore

    def enabled(self, rule: Rule) -> bool:
        chosen = any(_matches(rule, s) for s in (*self.select, *self.extend_select))
        return chosen and not any(_matches(rule, s) for s in self.ignore)


# compiled on first use (re's cache): only a file with a "kubelint:" marker needs it
_DISABLE = r"kubelint:\s*(disable(?:-file|-next-line)?)\s*=\s*([A-Za-z0-9_,\- ]+)"


class Suppressions(Record):
    """``# kubelint: disable=CODE`` (this line, or the next when alone on its line)
    and ``# kubelint: disable-file=CODE`` markers of one file."""

    __slots__ = ("by_line", "whole_file")
    by_line: Final[dict[int, set[str]]]
    whole_file: Final[set[str]]

    def __init__(self, by_line: dict[int, set[str]], whole_file: set[str]) -> None:
        self.by_line = by_line
        self.whole_file = whole_file

    @classmethod
    def parse(cls, text: str) -> Suppressions:
        by_line: dict[int, set[str]] = {}
        whole_file: set[str] = set()
        if "kubelint:" not in text:
            return cls(by_line, whole_file)
        for number, line in enumerate(text.splitlines(), start=1):
            comment_at = _comment_start(line)
            if comment_at < 0:
                continue
            match = re.compile(_DISABLE).search(line, comment_at)
            if match is None:
                continue
            names = {part.strip() for part in match.group(2).split(",") if part.strip()}
            if match.group(1) == "disable-file":
                whole_file |= names
                continue
            own_line = line[:comment_at].strip() == ""
            target = number + 1 if own_line or match.group(1) == "disable-next-line" else number
            by_line.setdefault(target, set()).update(names)
        return cls(by_line, whole_file)

    def suppresses(self, diagnostic: Diagnostic) -> bool:
        keys = {diagnostic.code, diagnostic.name, "all", "ALL"}
        if keys & self.whole_file:
            return True
        for line in range(diagnostic.span.line, diagnostic.span.end_line + 1):
            if keys & self.by_line.get(line, set()):
                return True
        return False


def _comment_start(line: str) -> int:
    for marker in ("#", ";"):
        index = line.find(marker)
        while index >= 0:
            if "kubelint:" in line[index:]:
                return index
            index = line.find(marker, index + 1)
    return -1


def to_diagnostic(rule: Rule, finding: Finding) -> Diagnostic:
    return Diagnostic(
        location=finding.location,
        code=rule.code,
        name=rule.name,
        severity=finding.severity or rule.severity,
        message=finding.message,
        fix=finding.fix,
        hint=finding.hint,
        related=finding.related,
    )


def problem_diagnostic(problem: Problem) -> Diagnostic:
    rule = find_rule(problem.kind)
    if rule is None:
        raise KeyError(f"no rule documents loader problem {problem.kind!r}")
    return to_diagnostic(
        rule, Finding(problem.location, problem.message, problem.severity, hint=problem.hint)
    )


# Rules are generators: once one has reported this much about one context
# (a file, a view, a node), the rest is not read. A real file never gets
# near it; a 10,000-key mapping of typos would otherwise cost a fuzzy match
# per key against every known name (minutes) and print a book.
MAX_FINDINGS_PER_RULE = 200


def run_rules(rules: Iterable[Rule], scope: Scope, contexts: Iterable[Any]) -> Iterator[Diagnostic]:
    scoped = _scoped(rules, scope)
    if not scoped:
        return
    for context in contexts:
        for rule, check in scoped:
            count = 0  # counted by hand: an enumerate per rule and context costs more than most checks
            for finding in check(context):
                count += 1  # noqa: SIM113 (see above)
                if count > MAX_FINDINGS_PER_RULE:
                    yield to_diagnostic(rule, Finding(
                        finding.location,
                        f"more than {MAX_FINDINGS_PER_RULE} {rule.name} findings here; kubelint stopped "
                        "reporting them (is the file generated, or not node configuration at all?)",
                        finding.severity))
                    break
                yield to_diagnostic(rule, finding)


def _scoped(rules: Iterable[Rule], scope: Scope) -> list[tuple[Rule, Callable[[Any], Iterable[Finding]]]]:
    """The rules of ``scope`` with their checks resolved.

    A lint calls run_rules a few times per file with the same rule list:
    the answer for the last list seen is kept per scope. The comparison is
    of the rules themselves (identical objects compare in C without calling
    ``Rule.__eq__``), so a different or changed list is never mistaken for it.
    """
    given = tuple(rules)
    cached = _SCOPED.get(scope)
    if cached is not None and cached[0] == given:
        return cached[1]
    scoped = [(rule, _resolved(rule.check)) for rule in given if rule.scope is scope and rule.check is not None]
    _SCOPED[scope] = (given, scoped)
    return scoped


# Rules are immutable: code that swaps a rule's check in place anyway (a test
# wrapping one) must clear this, or the old check keeps running
_SCOPED: dict[Scope, tuple[tuple[Rule, ...], list[tuple[Rule, Callable[[Any], Iterable[Finding]]]]]] = {}


def internal_error_diagnostic(path: str, error: BaseException) -> Diagnostic:
    rule = find_rule("internal-error")
    assert rule is not None
    from kubelint.diagnostics import FILE_START

    return to_diagnostic(
        rule,
        Finding(
            Location(path, FILE_START),
            f"kubelint failed on this file ({type(error).__name__}: {error}); please report it",
        ),
    )
