"""Every kubeconfig rule documents a failing and a passing example (rendered by
``kubelint explain``); the examples must do what they say."""

from __future__ import annotations

import re
import textwrap

import pytest

from kubelint.engine import Rule, all_rules
from tests.helpers import lint_text
from tests.test_kubeconfig_material import CA_DATA, CLIENT_KEY_DATA

KUBECONFIG_RULES = [rule for rule in all_rules() if rule.code.startswith("KL5")]
# needs to know which files exist on a node; tested with existing_files in test_kubeconfig_rules
NEEDS_A_NODE = {"KL514"}
BOOTSTRAP_RULES = {"KL534", "KL535"}
# the docs shorten embedded PEM data to a recognisable prefix and "..."
_SHORTENED = re.compile(r"(LS0tLS1CRUdJTi[A-Za-z0-9+/=]*)\.\.\.")


def _full_data(match: re.Match[str]) -> str:
    prefix = match.group(1)
    return CLIENT_KEY_DATA if "UFJJVkFURSBLRV" in prefix else CA_DATA


def doc_example(rule: Rule, section: str) -> str:
    lines = textwrap.dedent(rule.doc).splitlines()
    start = lines.index(f"{section}:") + 1
    body: list[str] = []
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break
        body.append(line)
    example = _SHORTENED.sub(_full_data, textwrap.dedent("\n".join(body)).strip("\n") + "\n")
    if not re.search(r"^kind:", example, re.MULTILINE):
        example = "apiVersion: v1\nkind: Config\n" + example
    return example


def example_path(rule: Rule) -> str:
    return "etc/kubernetes/bootstrap-kubelet.conf" if rule.code in BOOTSTRAP_RULES else "etc/kubernetes/kubelet.conf"


def test_the_family_has_rules() -> None:
    assert len(KUBECONFIG_RULES) >= 30


@pytest.mark.parametrize("rule", [r for r in KUBECONFIG_RULES if r.code not in NEEDS_A_NODE], ids=lambda r: r.code)
def test_documented_failing_example_fails(rule: Rule) -> None:
    found = lint_text(doc_example(rule, "Fails"), example_path(rule), select=(rule.code,))
    assert found and {d.code for d in found} == {rule.code}


@pytest.mark.parametrize("rule", [r for r in KUBECONFIG_RULES if r.code not in NEEDS_A_NODE], ids=lambda r: r.code)
def test_documented_passing_example_passes(rule: Rule) -> None:
    assert lint_text(doc_example(rule, "Passes"), example_path(rule), select=(rule.code,)) == []


@pytest.mark.parametrize("rule", KUBECONFIG_RULES, ids=lambda r: r.code)
def test_docs_have_every_section(rule: Rule) -> None:
    doc = textwrap.dedent(rule.doc)
    for section in ("Why:", "Fails:", "Passes:", "Fix:"):
        assert f"\n{section}" in doc, (rule.code, section)
