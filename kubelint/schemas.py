"""JSON Schemas (draft 2020-12) for editors, generated from kubelint's own models.

The pydantic models are the single source of truth for field names and
types; this module turns their schemas into what yaml-language-server and
VS Code show well: no ``null`` alternatives (``None`` only means "not set"),
no auto-generated titles, ``apiVersion``/``kind`` as constants, unknown
keys rejected, and the kubelet's defaults for the newest Kubernetes version
kubelint knows, so hover shows what an omitted field means.

``scripts/generate_schemas.py`` writes them into ``schemas/``; a test
regenerates and compares, so a model change cannot leave them stale.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from kubelint.models.defaults import FieldPath, Version, defaults_for
from kubelint.models.types import Duration, Quantity

DIALECT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://raw.githubusercontent.com/kubelint/kubelint/main/schemas/"
SCHEMA_FILES = {
    "kubelet-config": "kubelet-config.schema.json",
    "kubeconfig": "kubeconfig.schema.json",
}


def newest_version() -> Version:
    from kubelint import knowledge

    return knowledge.supported_versions()[1]


def _json_value(value: Any) -> Any:
    if isinstance(value, Duration | Quantity):
        return str(value)
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return value


def _simplify(node: Any) -> Any:
    """Drop ``null`` alternatives, ``default: null`` and generated titles, recursively."""
    if isinstance(node, list):
        return [_simplify(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _simplify(value) for key, value in node.items()}
    if out.get("default", 0) is None:
        del out["default"]
    out.pop("title", None)
    alternatives = out.get("anyOf")
    if isinstance(alternatives, list):
        kept = [item for item in alternatives if item != {"type": "null"}]
        if len(kept) == 1:
            del out["anyOf"]
            out = {**kept[0], **out}
        elif len(kept) != len(alternatives):
            out["anyOf"] = kept
    return out


def _close_objects(node: Any) -> None:
    """Structs (schemas with ``properties``) reject unknown keys; maps keep theirs."""
    if isinstance(node, list):
        for item in node:
            _close_objects(item)
    elif isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_objects(value)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        resolved: dict[str, Any] = schema["$defs"][ref.removeprefix("#/$defs/")]
        return resolved
    return node


def _field_schema(schema: dict[str, Any], path: FieldPath) -> dict[str, Any] | None:
    """The property schema of a dotted field path (following ``$ref``s)."""
    node: dict[str, Any] = schema
    for index, part in enumerate(path):
        container = _resolve(schema, node)
        properties = container.get("properties", {})
        if part not in properties:
            return None
        node = properties[part]
        if index < len(path) - 1:
            node = _resolve(schema, node)
    return node


def _shared_defs(schema: dict[str, Any]) -> set[str]:
    counts: dict[str, int] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                counts[ref] = counts.get(ref, 0) + 1
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(schema)
    return {ref for ref, count in counts.items() if count > 1}


def _through_shared(schema: dict[str, Any], path: FieldPath, shared: set[str]) -> bool:
    """Does ``path`` pass through a definition that other paths reuse?"""
    for length in range(1, len(path)):
        node = _field_schema(schema, path[:length])
        if node is not None and node.get("$ref") in shared:
            return True
    return False


def _model_schema(model: type[BaseModel], *, schema_id: str, title: str, description: str,
                  api_version: str, kind: str, required: tuple[str, ...] = ("apiVersion", "kind")) -> dict[str, Any]:
    raw = model.model_json_schema(mode="validation", by_alias=True)
    body = _simplify(raw)
    _close_objects(body)
    properties: dict[str, Any] = body["properties"]
    properties["apiVersion"] = {"const": api_version, "description": "The API group and version of this file."}
    properties["kind"] = {"const": kind, "description": "The kind of this file."}
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": BASE_ID + schema_id,
        "title": title,
        "description": description,
        "type": "object",
    }
    if required:
        schema["required"] = list(required)
    schema["properties"] = properties
    schema["additionalProperties"] = False
    # $defs last: a reader looks for the fields first
    schema["$defs"] = body.get("$defs", {})
    return schema


def _flag_twins() -> dict[str, str]:
    """config field → its command-line flag, from ``rules/kubelet-flags.yaml``."""
    import yaml

    from kubelint._resources import data_file

    data = yaml.safe_load(data_file("rules", "kubelet-flags.yaml").read_text(encoding="utf-8"))
    twins: dict[str, str] = {}
    for flag in data.get("flags", []):
        field = flag.get("config_field")
        if isinstance(field, str) and field and field not in twins:
            twins[field] = str(flag["name"])
    return twins


def kubelet_config_schema(version: Version | None = None,
                          gates: Callable[[Version], dict[str, bool]] | None = None) -> dict[str, Any]:
    from kubelint.models.kubelet_config import API_VERSION, KIND, KubeletConfiguration

    target = version or newest_version()
    if gates is None:
        from kubelint.analysis import gate_defaults

        gates = gate_defaults
    schema = _model_schema(
        KubeletConfiguration,
        schema_id=SCHEMA_FILES["kubelet-config"],
        title="KubeletConfiguration (kubelet.config.k8s.io/v1beta1)",
        description=(
            f"The kubelet's --config file. Defaults are the kubelet's for Kubernetes "
            f"{target[0]}.{target[1]}. Generated by kubelint from its models; lint with `kubelint check`."
        ),
        api_version=API_VERSION,
        kind=KIND,
    )
    filled = defaults_for({}, target, legacy_flags=False, gates=gates(target))
    for path, value in sorted(filled.items()):
        node = _field_schema(schema, path)
        if node is None:
            continue
        converted = _json_value(value)
        if "default" in node and node["default"] != converted:
            raise ValueError(f"conflicting defaults for shared schema of {'.'.join(path)}")
        node["default"] = converted
    shared = _shared_defs(schema)
    for field, flag in _flag_twins().items():
        path = tuple(field.split("."))
        node = _field_schema(schema, path)
        if node is None or _through_shared(schema, path, shared) or "Flag: --" in node.get("description", ""):
            continue
        # every config-backed flag is deprecated in favour of the file: saying so
        # on each field would be noise; the twin's name is what readers search for
        note = f"Flag: --{flag}."
        node["description"] = f"{node['description']} {note}" if node.get("description") else note
    return schema


# The kubeconfig model carries types only; editors need words (client-go's
# clientcmd/api/v1 types.go, restated). Keyed by (definition, property);
# "" is the document root.
KUBECONFIG_TEXT: dict[tuple[str, str], str] = {
    ("", "preferences"): "Legacy kubectl preferences; ignored by the kubelet.",
    ("", "clusters"): "Named API server endpoints and how to trust them.",
    ("", "users"): "Named credentials (certificates, tokens, exec plugins).",
    ("", "contexts"): "Named (cluster, user, namespace) triples.",
    ("", "current-context"): "The context used by default; the kubelet uses only this one.",
    ("", "extensions"): "Additional information for extenders; ignored by client-go.",
    ("Cluster", "server"): "API server URL (https://host:port).",
    ("Cluster", "tls-server-name"): "Server name for TLS verification (SNI) when it differs from the URL's host.",
    ("Cluster", "insecure-skip-tls-verify"): "Skip verifying the API server's certificate. Unsafe; default false.",
    ("Cluster", "certificate-authority"): "Path of the PEM CA bundle that signed the API server's certificate.",
    ("Cluster", "certificate-authority-data"): "Base64 of the PEM CA bundle; wins over certificate-authority.",
    ("Cluster", "proxy-url"): "http, https or socks5 proxy URL for requests to this cluster.",
    ("Cluster", "disable-compression"): "Disable response compression for this cluster. Default false.",
    ("AuthInfo", "client-certificate"): "Path of the PEM client certificate.",
    ("AuthInfo", "client-certificate-data"): "Base64 of the PEM client certificate; wins over client-certificate.",
    ("AuthInfo", "client-key"): "Path of the PEM client key.",
    ("AuthInfo", "client-key-data"): "Base64 of the PEM client key; wins over client-key. A secret.",
    ("AuthInfo", "token"): "Bearer token. A secret: prefer tokenFile or certificates.",
    ("AuthInfo", "tokenFile"): "Path of a file holding the bearer token (re-read periodically).",
    ("AuthInfo", "as"): "User to impersonate.",
    ("AuthInfo", "as-uid"): "UID to impersonate.",
    ("AuthInfo", "as-groups"): "Groups to impersonate.",
    ("AuthInfo", "as-user-extra"): "Extra fields of the impersonated user.",
    ("AuthInfo", "username"): "Basic-auth user name (removed from the API server in 1.19).",
    ("AuthInfo", "password"): "Basic-auth password (removed from the API server in 1.19). A secret.",
    ("AuthInfo", "auth-provider"): "Legacy in-tree auth provider (gcp and azure were removed in 1.26).",
    ("AuthInfo", "exec"): "Credential plugin run to obtain credentials.",
    ("ExecConfig", "command"): "Plugin executable.",
    ("ExecConfig", "args"): "Plugin arguments.",
    ("ExecConfig", "env"): "Extra environment variables for the plugin.",
    ("ExecConfig", "apiVersion"): "ExecCredential API version the plugin speaks.",
    ("ExecConfig", "installHint"): "Text shown when the plugin is not found.",
    ("ExecConfig", "provideClusterInfo"): "Pass the cluster's details to the plugin (KUBERNETES_EXEC_INFO).",
    ("ExecConfig", "interactiveMode"): "Whether the plugin may use standard input. Required for client.authentication.k8s.io/v1.",
    ("Context", "cluster"): "Name of an entry of clusters.",
    ("Context", "user"): "Name of an entry of users.",
    ("Context", "namespace"): "Default namespace of requests made through this context.",
    ("NamedCluster", "name"): "Name that contexts refer to.",
    ("NamedAuthInfo", "name"): "Name that contexts refer to.",
    ("NamedContext", "name"): "Name that current-context refers to.",
}
KUBECONFIG_ENUMS: dict[tuple[str, str], list[str]] = {
    ("ExecConfig", "interactiveMode"): ["Never", "IfAvailable", "Always"],
    ("ExecConfig", "apiVersion"): ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"],
}
KUBECONFIG_DEFAULTS: dict[tuple[str, str], Any] = {
    ("Cluster", "insecure-skip-tls-verify"): False,
    ("Cluster", "disable-compression"): False,
}


def kubeconfig_schema() -> dict[str, Any]:
    import importlib

    kubeconfig = importlib.import_module("kubelint.models.kubeconfig")
    model: type[BaseModel] = kubeconfig.Kubeconfig
    schema = _model_schema(
        model,
        schema_id=SCHEMA_FILES["kubeconfig"],
        title="kubeconfig (v1 Config)",
        description=(
            "A kubeconfig (clientcmd v1 Config): the kubelet's --kubeconfig and --bootstrap-kubeconfig. "
            "Generated by kubelint from its models; lint with `kubelint check`."
        ),
        api_version=getattr(kubeconfig, "API_VERSION", "v1"),
        kind=getattr(kubeconfig, "KIND", "Config"),
        # client-go assumes v1 Config when a kubeconfig omits them
        required=(),
    )
    for (definition, name), text in KUBECONFIG_TEXT.items():
        owner = schema if not definition else schema["$defs"].get(definition, {})
        node = owner.get("properties", {}).get(name)
        if node is None:  # the model changed: keep this table in step
            raise KeyError(f"kubeconfig schema has no property {definition or '(root)'}.{name}")
        node["description"] = text
        if (definition, name) in KUBECONFIG_ENUMS:
            node["enum"] = KUBECONFIG_ENUMS[(definition, name)]
        if (definition, name) in KUBECONFIG_DEFAULTS:
            node["default"] = KUBECONFIG_DEFAULTS[(definition, name)]
    _base64_fields(schema)
    return schema


def _base64_fields(node: Any) -> None:
    """``*-data`` fields are base64 text in the file (pydantic says format binary)."""
    if isinstance(node, dict):
        if node.get("format") == "binary" and node.get("type") == "string":
            del node["format"]
            node["contentEncoding"] = "base64"
            node["pattern"] = "^[A-Za-z0-9+/=\\r\\n]*$"
        for value in node.values():
            _base64_fields(value)
    elif isinstance(node, list):
        for item in node:
            _base64_fields(item)


GENERATORS: dict[str, Callable[[], dict[str, Any]]] = {
    "kubelet-config": kubelet_config_schema,
    "kubeconfig": kubeconfig_schema,
}


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def render(name: str) -> str:
    if name not in GENERATORS:
        raise ValueError(f"unknown schema {name!r}; choose from {', '.join(GENERATORS)}")
    return dumps(GENERATORS[name]())
