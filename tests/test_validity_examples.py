"""The shipped example configs: the clean kubeadm one passes every rule, the invalid ones show the validity family."""

from pathlib import Path

import pytest

from kubelint.diagnostics import Diagnostic
from tests.helpers import EXAMPLES, lint_text

FILES = EXAMPLES / "files"


def lint_example(path: Path, version: str | None = None, select: tuple[str, ...] = ("ALL",)) -> list[Diagnostic]:
    return lint_text(path.read_text(encoding="utf-8"), path=path.name, version=version, select=select)


@pytest.mark.parametrize("version", ["1.28", "1.30", "1.33", "1.35", None])
def test_clean_kubeadm_config_passes_every_rule(version: str | None) -> None:
    assert lint_example(FILES / "kubelet-config-clean.yaml", version) == []


def test_upgrade_example_shows_the_value_and_gate_rules() -> None:
    found = lint_example(FILES / "kubelet-config-invalid-upgrade.yaml", "1.33", ("KL1",))
    assert {d.code for d in found} == {
        "KL101", "KL103", "KL104", "KL105", "KL106", "KL107", "KL110", "KL114", "KL117", "KL124", "KL125",
        "KL126", "KL127", "KL128",
    }
    assert all(d.severity.label == "error" for d in found if d.code != "KL127")


def test_resources_example_shows_the_reservation_and_eviction_rules() -> None:
    found = lint_example(FILES / "kubelet-config-invalid-resources.yaml", "1.33", ("KL1",))
    assert {d.code for d in found} == {
        "KL102", "KL108", "KL109", "KL110", "KL112", "KL115", "KL118", "KL120", "KL121", "KL122", "KL123",
        "KL129", "KL130",
    }
    assert len(found) == 22
