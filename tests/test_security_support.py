"""Helpers for the security rule tests: lint a config file, or build the view of a
node (flags over a config file, or flags alone) the way the node builder does."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from kubelint.analysis import gate_defaults
from kubelint.diagnostics import Diagnostic, Location, Span
from kubelint.engine import Scope, all_rules, run_rules
from kubelint.kubelet_view import FieldPath, KubeletView, Origin, ViewBuilder
from kubelint.loaders.yaml import load_yaml
from kubelint.models.defaults import Version
from tests.helpers import lint_text

HEADER = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
CONFIG_PATH = "var/lib/kubelet/config.yaml"
FLAGS_ENV = "var/lib/kubelet/kubeadm-flags.env"
FLAGS_VARIABLE = "KUBELET_KUBEADM_ARGS"
UNIT_PATH = "etc/systemd/system/kubelet.service.d/10-kubeadm.conf"
DROPIN_PATH = "etc/kubernetes/kubelet.conf.d/50-hardening.conf"
# ExecStart= line of kubeadm's drop-in: the view's anchor when there is no config file
EXEC_START = "ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS"
EXEC_START_LINE = 11


def lint_config(body: str, *, version: str | None = None) -> list[Diagnostic]:
    """Lint ``body`` (dedented) below the two header lines: body line 1 is file line 3."""
    return lint_text(HEADER + textwrap.dedent(body).lstrip("\n"), CONFIG_PATH, version=version, select=("KL4",))


@dataclass(frozen=True)
class Flag:
    """One ``--name=value`` word on the kubeadm-flags.env line, with its typed value."""

    name: str
    written: str
    path: FieldPath
    value: object


def flags_line(flags: list[Flag]) -> str:
    words = ["--container-runtime-endpoint=unix:///run/containerd/containerd.sock"]
    words += [f"--{flag.name}={flag.written}" for flag in flags]
    return f'{FLAGS_VARIABLE}="{" ".join(words)}"'


def flag_span(line: str, flag: Flag) -> Span:
    """Where ``--name=value`` sits on the env line (1-based, end exclusive)."""
    word = f"--{flag.name}={flag.written}"
    start = line.index(word) + 1
    return Span(1, start, 1, start + len(word))


def node_view(config_body: str | None, flags: list[Flag], version: Version = (1, 33), *,
              dropin_body: str | None = None) -> KubeletView:
    """The view of a node: ``config_body`` as ``--config`` (None: no config file), then
    ``dropin_body`` as a ``--config-dir`` drop-in, then flags on top."""
    builder = ViewBuilder(Location(UNIT_PATH, Span.whole_line(EXEC_START_LINE, len(EXEC_START))))
    if config_body is not None:
        text = HEADER + textwrap.dedent(config_body).lstrip("\n")
        builder.add_document(load_yaml(text, CONFIG_PATH).documents[0])
    if dropin_body is not None:
        text = HEADER + textwrap.dedent(dropin_body).lstrip("\n")
        builder.add_document(load_yaml(text, DROPIN_PATH).documents[0], "dropin")
    line = flags_line(flags)
    for flag in flags:
        origin = Origin("flag", Location(FLAGS_ENV, flag_span(line, flag)), via=(FLAGS_VARIABLE,), flag=flag.name)
        builder.add_flag_value(flag.path, flag.value, origin)
    return builder.build(version, gate_defaults(version))


def lint_view(view: KubeletView) -> list[Diagnostic]:
    rules = [rule for rule in all_rules() if rule.code.startswith("KL4")]
    return sorted(run_rules(rules, Scope.KUBELET, [view]), key=Diagnostic.sort_key)


def find(diagnostics: list[Diagnostic], code: str) -> Diagnostic:
    """The one diagnostic of ``code``; fails the test when there are none or several."""
    matching = [d for d in diagnostics if d.code == code]
    assert len(matching) == 1, f"expected one {code}, got {[(d.code, d.message) for d in diagnostics]}"
    return matching[0]


def position(diagnostic: Diagnostic) -> tuple[str, int, int]:
    return (diagnostic.path, diagnostic.span.line, diagnostic.span.column)
