"""KL206 duplicate-flag: across the variables of a kubeadm node, scalar vs accumulating flags."""

from __future__ import annotations

from pathlib import Path

from kubelint.diagnostics import Applicability, Severity
from tests.test_flags_helpers import (
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

KUBEADM_ARGS = ('KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock '
                '--node-ip=10.0.12.7 --v=2"\n')


def test_scalar_flag_in_two_files_warns_at_the_winner_with_the_loser_related(tmp_path: Path) -> None:
    root = kubeadm_node(tmp_path, flags=KUBEADM_ARGS, extra='KUBELET_EXTRA_ARGS="--v=4"\n')
    found = one(lint_node(root), "KL206")
    assert (found.severity, where(found)) == (Severity.WARNING, (DEFAULT_KUBELET, 1, 21, 1, 26))
    assert "`--v=4` here (via $KUBELET_EXTRA_ARGS) silently wins over `--v=2`" in found.message
    assert "(via $KUBELET_KUBEADM_ARGS)" in found.message
    column = KUBEADM_ARGS.index("--v=2") + 1
    assert [(r.location.path, r.location.span.line, r.location.span.column) for r in found.related] == [
        (KUBEADM_FLAGS, 1, column)]
    # deleting the overridden copy keeps what the kubelet does
    assert found.fix is not None and found.fix.applicability is Applicability.SAFE
    assert applied(found.fix, KUBEADM_FLAGS, KUBEADM_ARGS) == KUBEADM_ARGS.replace(" --v=2", "")


def test_same_value_twice_is_info(tmp_path: Path) -> None:
    root = kubeadm_node(tmp_path, flags=KUBEADM_ARGS, extra='KUBELET_EXTRA_ARGS="--node-ip=10.0.12.7"\n')
    found = one(lint_node(root), "KL206")
    assert found.severity is Severity.INFO and "with the same value" in found.message


def test_short_and_long_spelling_count_as_one_flag() -> None:
    found = one(lint('KUBELET_EXTRA_ARGS="-v=2 --v=4"\n', DEFAULT_KUBELET), "KL206")
    assert where(found) == (DEFAULT_KUBELET, 1, 26, 1, 31)


def test_map_flags_accumulate_info(tmp_path: Path) -> None:
    root = kubeadm_node(tmp_path, flags='KUBELET_KUBEADM_ARGS="--node-labels=disktype=ssd,zone=a"\n',
                        extra='KUBELET_EXTRA_ARGS="--node-labels=zone=b"\n')
    found = one(lint_node(root), "KL206")
    assert (found.severity, where(found)[:3]) == (Severity.INFO, (DEFAULT_KUBELET, 1, 21))
    assert "map flags accumulate" in found.message and "a later copy replaces zone" in found.message
    assert found.fix is None


def test_list_flags_accumulate_too() -> None:
    found = one(lint('KUBELET_EXTRA_ARGS="--cluster-dns=10.96.0.10 --cluster-dns=169.254.20.10"\n',
                     DEFAULT_KUBELET), "KL206")
    assert found.severity is Severity.INFO and "list flags accumulate" in found.message


def test_each_flag_once_passes(tmp_path: Path) -> None:
    root = kubeadm_node(tmp_path, flags=KUBEADM_ARGS, extra='KUBELET_EXTRA_ARGS="--max-pods=250"\n')
    assert only(lint_node(root), "KL206") == []


def test_two_adjacent_overridden_copies_are_deleted_in_one_edit(tmp_path: Path) -> None:
    # the first copy's deletion takes its trailing blank, the second's its leading
    # one: the same blank, so the fix must not hand the fixer two overlapping edits
    flags = KUBEADM_ARGS.replace(" --v=2", " --v=2 --v=3")
    root = kubeadm_node(tmp_path, flags=flags, extra='KUBELET_EXTRA_ARGS="--v=4"\n')
    found = one(lint_node(root), "KL206")
    assert found.fix is not None and len(found.fix.edits) == 1
    assert applied(found.fix, KUBEADM_FLAGS, flags) == KUBEADM_ARGS.replace("--v=2", "")
