"""Every flags rule documents a failing and a passing example (``kubelint explain``); linted as the
file they show, at the default target version, the examples must do what they say."""

from __future__ import annotations

import textwrap

import pytest

from kubelint.engine import Rule, Scope, all_rules
from tests.helpers import lint_text
from tests.test_flags_helpers import CONFIG, DEFAULT_KUBELET, DROPIN

FLAG_RULES = [rule for rule in all_rules() if rule.code.startswith("KL2")]


def doc_example(rule: Rule, section: str) -> str:
    lines = textwrap.dedent(rule.doc).splitlines()
    start = lines.index(f"{section}:") + 1
    body: list[str] = []
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break
        body.append(line)
    return textwrap.dedent("\n".join(body)).strip("\n") + "\n"


def path_for(example: str) -> str:
    if "KubeletConfiguration" in example:
        return CONFIG
    return DROPIN if "[Service]" in example else DEFAULT_KUBELET


def test_the_family_has_its_rules() -> None:
    assert [rule.name for rule in FLAG_RULES] == [
        "removed-flag", "deprecated-flag", "unknown-flag", "invalid-flag-value", "flag-syntax", "duplicate-flag",
        "node-labels-refused", "cloud-provider-removed", "hostname-override", "container-gc-flags"]


@pytest.mark.parametrize("rule", FLAG_RULES, ids=lambda r: r.code)
def test_documentation_has_every_section(rule: Rule) -> None:
    for section in ("Why:", "Fails:", "Passes:", "Fix:"):
        assert section in rule.doc, f"{rule.code} documents no {section}"


@pytest.mark.parametrize("rule", FLAG_RULES, ids=lambda r: r.code)
def test_documented_failing_example_fails(rule: Rule) -> None:
    example = doc_example(rule, "Fails")
    found = lint_text(example, path_for(example), select=(rule.code,))
    assert found and {d.code for d in found} == {rule.code}


@pytest.mark.parametrize("rule", FLAG_RULES, ids=lambda r: r.code)
def test_documented_passing_example_passes(rule: Rule) -> None:
    example = doc_example(rule, "Passes")
    assert lint_text(example, path_for(example), select=(rule.code,)) == []


def test_rules_take_command_lines() -> None:
    # the family reads command lines; whole-node checks about --config-dir live in the node family
    assert [rule.code for rule in FLAG_RULES if rule.scope is not Scope.COMMAND_LINE] == []
