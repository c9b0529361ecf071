"""The shipped JSON Schemas: current with the models, valid, and in agreement with kubelint."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from kubelint.loaders.yaml import load_yaml
from kubelint.schemas import SCHEMA_FILES, kubelet_config_schema, render
from tests.helpers import lint_text

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "schemas"
EXAMPLES = REPO / "examples"
REGENERATE = "python scripts/generate_schemas.py"


def shipped(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / SCHEMA_FILES[name]).read_text(encoding="utf-8"))
    return data


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(shipped(name))


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_shipped_schema_is_current(name: str) -> None:
    current = (SCHEMAS / SCHEMA_FILES[name]).read_text(encoding="utf-8")
    assert current == render(name), f"schemas/{SCHEMA_FILES[name]} is stale; regenerate with: {REGENERATE}"


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = shipped(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_cli_prints_the_shipped_schema() -> None:
    done = subprocess.run([sys.executable, "-m", "kubelint.cli", "schema", "kubelet-config"], cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
                          timeout=120, check=True)
    assert json.loads(done.stdout) == shipped("kubelet-config")


def test_kubelet_schema_carries_descriptions_enums_defaults_and_constants() -> None:
    schema = shipped("kubelet-config")
    props = schema["properties"]
    assert props["apiVersion"]["const"] == "kubelet.config.k8s.io/v1beta1"
    assert props["kind"]["const"] == "KubeletConfiguration"
    assert schema["required"] == ["apiVersion", "kind"]
    assert props["cgroupDriver"]["enum"] == ["cgroupfs", "systemd"]
    assert props["cgroupDriver"]["default"] == "cgroupfs"
    assert props["maxPods"]["default"] == 110 and props["maxPods"]["type"] == "integer"
    assert "Flag: --max-pods" in props["maxPods"]["description"]
    assert props["evictionHard"]["default"]["memory.available"] == "100Mi"
    anonymous = schema["$defs"]["AnonymousAuthentication"]["properties"]["enabled"]
    assert anonymous["default"] is False and anonymous["description"]
    # no null alternatives: editors show one type
    assert "anyOf" not in props["maxPods"]


def test_defaults_follow_the_target_version() -> None:
    old = kubelet_config_schema((1, 34))["properties"]["failCgroupV1"]["default"]
    new = kubelet_config_schema((1, 35))["properties"]["failCgroupV1"]["default"]
    assert (old, new) == (False, True)


def _defaults_document(schema: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = {"apiVersion": "kubelet.config.k8s.io/v1beta1", "kind": "KubeletConfiguration"}
    for name, node in schema["properties"].items():
        if "default" in node:
            document[name] = node["default"]
    return document


def test_defaults_validate_and_kubelint_accepts_them() -> None:
    schema = shipped("kubelet-config")
    document = _defaults_document(schema)
    assert len(document) > 40
    errors = [e.message for e in validator("kubelet-config").iter_errors(document)]
    assert errors == []
    found = lint_text(yaml.safe_dump(document, sort_keys=False), select=("KL0",))
    assert [(d.code, d.message) for d in found] == []


@pytest.mark.parametrize(("snippet", "path"), [
    ("maxPod: 250", []),  # unknown key
    ('maxPods: "250"', ["maxPods"]),  # wrong type
    ("cgroupDriver: system", ["cgroupDriver"]),  # not in the enum
    ("syncFrequency: 60", ["syncFrequency"]),  # a duration is a string
    ("syncFrequency: 1 minute", ["syncFrequency"]),
    ("authentication:\n  anonymous:\n    enable: false", ["authentication", "anonymous"]),
])
def test_kubelet_schema_rejects(snippet: str, path: list[str]) -> None:
    document = yaml.safe_load("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n" + snippet)
    errors = list(validator("kubelet-config").iter_errors(document))
    assert [list(e.absolute_path) for e in errors] == [path]


def test_kubeconfig_schema_accepts_a_kubeadm_kubeconfig() -> None:
    document = yaml.safe_load("""
apiVersion: v1
kind: Config
clusters:
- name: kubernetes
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
contexts:
- name: system:node:n1@kubernetes
  context: {cluster: kubernetes, user: system:node:n1}
current-context: system:node:n1@kubernetes
users:
- name: system:node:n1
  user:
    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
""")
    assert [e.message for e in validator("kubeconfig").iter_errors(document)] == []
    document["users"][0]["user"]["exec"] = {"command": "x", "interactiveMode": "Sometimes"}
    document["clusters"][0]["cluster"]["insecure-skip-tls-verify"] = "yes"
    paths = sorted(list(map(str, e.absolute_path)) for e in validator("kubeconfig").iter_errors(document))
    assert paths == [["clusters", "0", "cluster", "insecure-skip-tls-verify"],
                     ["users", "0", "user", "exec", "interactiveMode"]]


def _kubelet_example_files() -> list[Path]:
    if not EXAMPLES.is_dir():
        return []
    found = []
    for path in sorted(EXAMPLES.rglob("*")):
        if path.suffix in (".yaml", ".yml", ".json") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            if "KubeletConfiguration" in text:
                found.append(path)
    return found


def _error_lines(error: jsonschema.ValidationError, document: Any, positions: Any) -> set[int]:
    """Lines a schema error is about: the offending value, or the unexpected keys."""
    path = tuple(error.absolute_path)
    lines: set[int] = set()
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in allowed:
                span = positions.key_span((*path, key))
                if span is not None:
                    lines.add(span.line)
        return lines
    span = positions.nearest_span(path, key=False)
    lines.update(range(span.line, span.end_line + 1))
    return lines


@pytest.mark.parametrize("example", _kubelet_example_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_examples_validate_or_kubelint_agrees(example: Path) -> None:
    """A clean example validates; where the schema objects, kubelint reports the same line."""
    text = example.read_text(encoding="utf-8")
    stream = load_yaml(text, str(example))
    diagnostics = lint_text(text, str(example.relative_to(REPO)))
    flagged = {line for d in diagnostics for line in range(d.span.line, d.span.end_line + 1)}
    for document in stream.documents:
        data = document.data
        if not isinstance(data, dict) or data.get("kind") != "KubeletConfiguration":
            continue
        for error in validator("kubelet-config").iter_errors(data):
            lines = _error_lines(error, data, document)
            assert lines & flagged, (
                f"{example.relative_to(REPO)}: the schema rejects {list(error.absolute_path)} "
                f"({error.message}) on line(s) {sorted(lines)} but kubelint reports nothing there"
            )


def test_examples_exist_for_the_schema_check() -> None:
    if not _kubelet_example_files():
        pytest.skip("no KubeletConfiguration under examples/ yet; the example check has nothing to validate")
