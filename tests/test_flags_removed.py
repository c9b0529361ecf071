"""KL201 removed-flag: verdicts by --kubernetes-version, positions in the env file, the deleting fix."""

from __future__ import annotations

import pytest

from kubelint.diagnostics import Applicability, Severity
from tests.test_flags_helpers import BINARY_OPTS, DEFAULT_KUBELET, KUBEADM_FLAGS, applied, lint, one, only, where

# the seed article's binary install, as its guide writes it
SEED_OPTS = (
    'KUBELET_OPTS="--logtostderr=false --v=2 --log-dir=/opt/kubernetes/logs --hostname-override=k8s-master '
    "--config=/opt/kubernetes/cfg/kubelet-config.yml --kubeconfig=/opt/kubernetes/cfg/kubelet.kubeconfig "
    "--bootstrap-kubeconfig=/opt/kubernetes/cfg/bootstrap.kubeconfig --cert-dir=/opt/kubernetes/ssl "
    '--network-plugin=cni --pod-infra-container-image=k8s.gcr.io/pause:3.4.1"\n'
)
KUBEADM_1_23 = (
    'KUBELET_KUBEADM_ARGS="--network-plugin=cni --pod-infra-container-image=k8s.gcr.io/pause:3.6"\n'
)


def test_network_plugin_is_a_warning_on_1_23_and_an_error_from_1_24() -> None:
    before = one(lint(KUBEADM_1_23, version="1.23"), "KL201")
    assert before.severity is Severity.WARNING
    assert where(before) == (KUBEADM_FLAGS, 1, 23, 1, 43)
    assert "removed in 1.24" in before.message and "1.23 still accepts it" in before.message
    assert before.fix is not None and before.fix.applicability is Applicability.UNSAFE

    after = only(lint(KUBEADM_1_23, version="1.24"), "KL201")
    network = [d for d in after if "--network-plugin" in d.message]
    assert [(d.severity, where(d)) for d in network] == [(Severity.ERROR, (KUBEADM_FLAGS, 1, 23, 1, 43))]
    assert "exits with `unknown flag: --network-plugin`" in network[0].message
    assert "CNI is configured in the runtime" in network[0].message
    assert network[0].fix is not None and network[0].fix.applicability is Applicability.SAFE


def test_pod_infra_container_image_is_a_warning_on_1_34_and_an_error_on_1_35() -> None:
    text = 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10"\n'
    start = text.index("--pod-infra") + 1
    span = (KUBEADM_FLAGS, 1, start, 1, start + len("--pod-infra-container-image=registry.k8s.io/pause:3.10"))
    on_134 = [d for d in only(lint(text, version="1.34"), "KL201") if "pod-infra" in d.message]
    on_135 = [d for d in only(lint(text, version="1.35"), "KL201") if "pod-infra" in d.message]
    assert [(d.severity, where(d)) for d in on_134] == [(Severity.WARNING, span)]
    assert [(d.severity, where(d)) for d in on_135] == [(Severity.ERROR, span)]
    assert "sandbox (pause) image in the container runtime" in on_135[0].message


def test_seed_binary_install_flags_at_1_30() -> None:
    found = only(lint(SEED_OPTS, BINARY_OPTS, version="1.30"), "KL201")
    flags = [(d.message.split("`")[1], d.severity, d.span.column) for d in found]
    assert flags == [
        ("--logtostderr", Severity.ERROR, 15),
        ("--log-dir", Severity.ERROR, 41),
        ("--network-plugin", Severity.ERROR, SEED_OPTS.index("--network-plugin") + 1),
        ("--pod-infra-container-image", Severity.WARNING, SEED_OPTS.index("--pod-infra") + 1),
    ]


def test_a_flag_before_its_deprecation_passes() -> None:
    # --pod-infra-container-image was deprecated in 1.24: a 1.23 kubelet has nothing to say about it
    text = 'KUBELET_KUBEADM_ARGS="--pod-infra-container-image=k8s.gcr.io/pause:3.6"\n'
    assert only(lint(text, version="1.23"), "KL201") == []


def test_current_flags_pass() -> None:
    text = 'KUBELET_EXTRA_ARGS="--node-ip=10.0.12.7 --hostname-override=node-1"\n'
    assert only(lint(text, DEFAULT_KUBELET, version="1.35"), "KL201") == []


def test_underscore_spelling_is_the_same_flag() -> None:
    found = one(lint('KUBELET_EXTRA_ARGS="--network_plugin=cni"\n', DEFAULT_KUBELET), "KL201")
    assert "`--network_plugin`" in found.message and "unknown flag: --network_plugin" in found.message


@pytest.mark.parametrize(("text", "expected"), [
    # middle of the value: the flag and the blank after it go
    ('KUBELET_EXTRA_ARGS="--node-ip=10.0.12.7 --network-plugin=cni --v=2"\n',
     'KUBELET_EXTRA_ARGS="--node-ip=10.0.12.7 --v=2"\n'),
    # last word before the closing quote: the blank before it goes, the quote stays
    ('KUBELET_EXTRA_ARGS="--node-ip=10.0.12.7 --network-plugin=cni"\n',
     'KUBELET_EXTRA_ARGS="--node-ip=10.0.12.7"\n'),
    # the only word: the quotes stay, the variable is empty
    ('KUBELET_EXTRA_ARGS="--network-plugin=cni"\n', 'KUBELET_EXTRA_ARGS=""\n'),
    # unquoted value
    ("KUBELET_EXTRA_ARGS=--network-plugin=cni --v=2\n", "KUBELET_EXTRA_ARGS=--v=2\n"),
    # the value as a separate word goes with the flag
    ('KUBELET_EXTRA_ARGS="--network-plugin cni --v=2"\n', 'KUBELET_EXTRA_ARGS="--v=2"\n'),
    # one flag per continued line: its whole line goes
    ('KUBELET_EXTRA_ARGS="--v=2 \\\n  --network-plugin=cni \\\n  --node-ip=10.0.12.7"\n',
     'KUBELET_EXTRA_ARGS="--v=2 \\\n  --node-ip=10.0.12.7"\n'),
    # first word of a continued value: the next line joins this one
    ('KUBELET_EXTRA_ARGS="--network-plugin=cni \\\n--v=2"\n', 'KUBELET_EXTRA_ARGS="--v=2"\n'),
    # last line of a continued value: the continuation before it goes
    ('KUBELET_EXTRA_ARGS="--v=2 \\\n--network-plugin=cni"\n', 'KUBELET_EXTRA_ARGS="--v=2"\n'),
])
def test_fix_deletes_the_flag_and_keeps_the_quoting(text: str, expected: str) -> None:
    found = one(lint(text, DEFAULT_KUBELET), "KL201")
    assert applied(found.fix, DEFAULT_KUBELET, text) == expected


@pytest.mark.parametrize("text", [
    # quotes inside the word: the file text is not the word as the kubelet reads it
    "KUBELET_EXTRA_ARGS='--v=2 \"--network-plugin=cni\"'\n",
    'KUBELET_EXTRA_ARGS=--network-plugin="cni"\n',
])
def test_no_fix_when_the_word_is_quoted_inside(text: str) -> None:
    found = one(lint(text, DEFAULT_KUBELET), "KL201")
    assert found.severity is Severity.ERROR
    assert found.fix is None


def test_fix_in_a_unit_drop_in_keeps_the_environment_quotes() -> None:
    text = (
        "[Service]\n"
        'Environment="KUBELET_EXTRA_ARGS=--network-plugin=cni --node-ip=10.0.12.7"\n'
        "ExecStart=\n"
        "ExecStart=/usr/bin/kubelet $KUBELET_EXTRA_ARGS\n"
    )
    path = "etc/systemd/system/kubelet.service.d/20-extra.conf"
    found = one(lint(text, path), "KL201")
    assert where(found) == (path, 2, 33, 2, 53)
    assert applied(found.fix, path, text) == text.replace("--network-plugin=cni ", "")


def test_kubeadm_flags_env_gets_the_kubeadm_hint() -> None:
    in_kubeadm = one(lint('KUBELET_KUBEADM_ARGS="--network-plugin=cni"\n', KUBEADM_FLAGS), "KL201")
    in_default = one(lint('KUBELET_EXTRA_ARGS="--network-plugin=cni"\n', DEFAULT_KUBELET), "KL201")
    assert in_kubeadm.hint is not None and "nodeRegistration.kubeletExtraArgs" in in_kubeadm.hint
    assert in_default.hint is None
