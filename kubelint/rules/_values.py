"""How rule messages spell configuration values."""

from __future__ import annotations

from typing import Any


def yaml_value(value: Any) -> str:
    """A value as it would read in a YAML file (``true``, ``[a, b]``, ``{k: v}``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {yaml_value(item)}" for key, item in value.items()) + "}"
    if value == "":
        return '""'
    return str(value)
