"""``docs/rules.md`` is generated from the rules' docstrings and must not go stale."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kubelint.engine import all_rules

REPO = Path(__file__).resolve().parent.parent
RULES_MD = REPO / "docs" / "rules.md"
REGENERATE = "python -m kubelint.cli rules --format markdown > docs/rules.md"


def test_rules_md_is_current() -> None:
    done = subprocess.run([sys.executable, "-m", "kubelint.cli", "rules", "--format", "markdown"],
                          cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                          capture_output=True, text=True, timeout=120, check=True)
    current = RULES_MD.read_text(encoding="utf-8") if RULES_MD.exists() else ""
    assert current == done.stdout, f"docs/rules.md is stale; regenerate it with: {REGENERATE}"


def test_every_rule_has_an_anchor_for_help_links() -> None:
    # SARIF helpUri and LSP codeDescription link to docs/rules.md#<code>
    text = RULES_MD.read_text(encoding="utf-8")
    headings = {line[3:].strip().lower() for line in text.splitlines() if line.startswith("## ")}
    missing = [rule.code for rule in all_rules() if rule.code.lower() not in headings]
    assert not missing, f"no '## CODE' heading for {missing}; regenerate with: {REGENERATE}"
