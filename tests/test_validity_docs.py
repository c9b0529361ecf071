"""Every validity rule documents a failing and a passing example (shown by
``kubelint explain``); at the default target version the examples must do what they say."""

from __future__ import annotations

import textwrap

import pytest

from kubelint.engine import Rule, all_rules
from tests.helpers import lint_text

HEADER = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
VALIDITY_RULES = [rule for rule in all_rules() if rule.code.startswith("KL1")]


def doc_example(rule: Rule, section: str) -> str:
    lines = textwrap.dedent(rule.doc).splitlines()
    start = lines.index(f"{section}:") + 1
    body: list[str] = []
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break
        body.append(line)
    return HEADER + textwrap.dedent("\n".join(body)).strip("\n") + "\n"


def test_the_family_has_rules() -> None:
    assert len(VALIDITY_RULES) >= 30


@pytest.mark.parametrize("rule", VALIDITY_RULES, ids=lambda r: r.code)
def test_documentation_has_every_section(rule: Rule) -> None:
    for section in ("Why:", "Fails:", "Passes:", "Fix:"):
        assert section in rule.doc, f"{rule.code} documents no {section}"


@pytest.mark.parametrize("rule", VALIDITY_RULES, ids=lambda r: r.code)
def test_documented_failing_example_fails(rule: Rule) -> None:
    found = lint_text(doc_example(rule, "Fails"), select=(rule.code,))
    assert found and {d.code for d in found} == {rule.code}


@pytest.mark.parametrize("rule", VALIDITY_RULES, ids=lambda r: r.code)
def test_documented_passing_example_passes(rule: Rule) -> None:
    assert lint_text(doc_example(rule, "Passes"), select=(rule.code,)) == []
