"""KL204 invalid-flag-value (types and fixed names) and KL205 flag-syntax (parse problems)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubelint.diagnostics import Applicability, Severity
from tests.test_flags_helpers import (
    BINARY_OPTS,
    DEFAULT_KUBELET,
    KUBEADM_FLAGS,
    applied,
    kubeadm_node,
    lint,
    lint_node,
    one,
    only,
    where,
)


@pytest.mark.parametrize(("flag", "reason"), [
    ("--max-pods=11O", "'11O' is not an integer"),
    ("--anonymous-auth=yes", "'yes' is not a boolean"),
    ("--sync-frequency=30", "missing unit"),
    ("--eviction-hard=memory.available=100Mi", "expect signal<value"),
    ("--address=10.0.0.300", "'10.0.0.300' is not an IP address"),
    ("--feature-gates=NodeSwap=maybe", "not a boolean"),
    ("--kube-api-qps=99999999999", "does not fit a 32-bit integer"),
])
def test_value_that_does_not_parse_is_an_error_at_the_value(flag: str, reason: str) -> None:
    text = f'KUBELET_EXTRA_ARGS="--node-ip=10.0.12.7 {flag}"\n'
    found = one(lint(text, DEFAULT_KUBELET), "KL204")
    name, _, value = flag.partition("=")
    start = text.index(flag) + len(name) + 2
    assert (found.severity, where(found)) == (Severity.ERROR, (DEFAULT_KUBELET, 1, start, 1, start + len(value)))
    assert reason in found.message
    assert f'invalid argument "{value}" for "{name}" flag' in found.message


def test_separate_value_word_is_pointed_at() -> None:
    text = 'KUBELET_OPTS="--v=2 --max-pods 11O"\n'
    found = one(lint(text, BINARY_OPTS), "KL204")
    assert where(found) == (BINARY_OPTS, 1, 32, 1, 35)


def test_valid_values_pass() -> None:
    text = ('KUBELET_EXTRA_ARGS="--max-pods=110 --anonymous-auth=false --sync-frequency=1m0s '
            '--eviction-hard=memory.available<100Mi,nodefs.available<10% --feature-gates=NodeSwap=true '
            '--cgroup-driver=systemd --cpu-manager-policy=static --enforce-node-allocatable=pods"\n')
    assert only(lint(text, DEFAULT_KUBELET), "KL204") == []


def test_fixed_name_wrong_case_is_an_error_with_a_safe_fix() -> None:
    text = 'KUBELET_EXTRA_ARGS="--cpu-manager-policy=Static"\n'
    found = one(lint(text, DEFAULT_KUBELET), "KL204")
    assert (found.severity, where(found)) == (Severity.ERROR, (DEFAULT_KUBELET, 1, 42, 1, 48))
    assert "did you mean 'static'?" in found.message
    assert found.fix is not None and found.fix.applicability is Applicability.SAFE
    assert applied(found.fix, DEFAULT_KUBELET, text) == 'KUBELET_EXTRA_ARGS="--cpu-manager-policy=static"\n'


def test_cgroup_driver_name_is_a_warning_with_an_unsafe_fix() -> None:
    found = one(lint('KUBELET_KUBEADM_ARGS="--cgroup-driver=system"\n'), "KL204")
    assert found.severity is Severity.WARNING
    assert 'cgroupDriver "system" is neither "cgroupfs" nor "systemd"' in found.message
    assert found.fix is None  # "system" is no spelling of one valid name
    typo = one(lint('KUBELET_KUBEADM_ARGS="--cgroup-driver=Systemd"\n'), "KL204")
    assert typo.fix is not None and typo.fix.applicability is Applicability.UNSAFE


def test_fixed_names_on_a_node_are_left_to_kl105(tmp_path: Path) -> None:
    root = kubeadm_node(tmp_path, flags='KUBELET_KUBEADM_ARGS="--cpu-manager-policy=Static"\n')
    found = lint_node(root, select=("KL204", "KL105"))
    assert [(d.code, d.path, d.span.line) for d in found] == [("KL105", KUBEADM_FLAGS, 1)]


# -- KL205 -----------------------------------------------------------------------------


def test_boolean_with_a_separate_value() -> None:
    text = 'KUBELET_EXTRA_ARGS="--node-ip=10.0.12.7 --anonymous-auth false --v=2"\n'
    found = one(lint(text, DEFAULT_KUBELET), "KL205")
    assert (found.severity, where(found)) == (Severity.ERROR, (DEFAULT_KUBELET, 1, 41, 1, 63))
    assert "`--anonymous-auth false`" in found.message and "set to true" in found.message
    assert "unknown command false" in found.message
    assert found.fix is not None and found.fix.applicability is Applicability.SAFE
    assert applied(found.fix, DEFAULT_KUBELET, text) == text.replace("auth false", "auth=false")


def test_missing_value_at_the_end_of_a_variable() -> None:
    found = one(lint('KUBELET_KUBEADM_ARGS="--node-ip=10.0.12.7 --config"\n'), "KL205")
    assert (found.severity, where(found)) == (Severity.ERROR, (KUBEADM_FLAGS, 1, 43, 1, 51))
    assert "flag needs an argument" in found.message and found.fix is None


def test_single_dash_long_flag() -> None:
    found = one(lint('KUBELET_EXTRA_ARGS="-node-ip=10.0.12.7"\n', DEFAULT_KUBELET), "KL205")
    assert "long flags need two dashes" in found.message and "exits at start" in found.message


def test_value_that_looks_like_a_flag_is_a_warning() -> None:
    found = one(lint('KUBELET_EXTRA_ARGS="--node-labels --v=2"\n', DEFAULT_KUBELET), "KL205")
    assert (found.severity, where(found)) == (Severity.WARNING, (DEFAULT_KUBELET, 1, 35, 1, 40))


def test_stray_word_that_is_not_a_boolean_gets_no_fix() -> None:
    found = one(lint('KUBELET_EXTRA_ARGS="--rotate-certificates yes"\n', DEFAULT_KUBELET), "KL205")
    assert "stray argument 'yes'" in found.message and found.fix is None


def test_well_formed_command_line_passes() -> None:
    text = 'KUBELET_EXTRA_ARGS="--anonymous-auth=false --node-ip 10.0.12.7 -v 2 --rotate-certificates"\n'
    assert only(lint(text, DEFAULT_KUBELET), "KL205") == []
