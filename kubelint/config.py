"""Project settings: ``.kubelint.yaml`` or ``[tool.kubelint]`` in ``pyproject.toml``.

Found by walking up from the first linted path (as ruff and yamllint do);
``--config FILE`` names one explicitly; command-line options override both.

    # .kubelint.yaml
    kubernetes-version: "1.33"
    select: [ALL]
    ignore: [KL402, hostname-override]
    extend-select: []
    fail-on: warning
    exclude: ["vendor/**"]
    per-file-ignores:
      "examples/legacy/*": [KL2]
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from kubelint.records import MutableRecord

CONFIG_NAMES = (".kubelint.yaml", ".kubelint.yml")
_KEYS = {"kubernetes-version", "select", "ignore", "extend-select", "fail-on", "exclude", "per-file-ignores"}


class ConfigError(ValueError):
    """A settings file that cannot be used; the CLI exits with status 2."""


class Settings(MutableRecord):
    __slots__ = ("exclude", "extend_select", "fail_on", "ignore", "kubernetes_version", "per_file_ignores", "select",
                 "source")
    source: Path | None
    kubernetes_version: str | None
    select: tuple[str, ...] | None
    ignore: tuple[str, ...]
    extend_select: tuple[str, ...]
    fail_on: str | None
    exclude: tuple[str, ...]
    per_file_ignores: dict[str, tuple[str, ...]]

    def __init__(self, source: Path | None = None, kubernetes_version: str | None = None,
                 select: tuple[str, ...] | None = None, ignore: tuple[str, ...] = (), extend_select: tuple[str, ...] = (),
                 fail_on: str | None = None, exclude: tuple[str, ...] = (),
                 per_file_ignores: dict[str, tuple[str, ...]] | None = None) -> None:
        self.source = source
        self.kubernetes_version = kubernetes_version
        self.select = select
        self.ignore = ignore
        self.extend_select = extend_select
        self.fail_on = fail_on
        self.exclude = exclude
        self.per_file_ignores = {} if per_file_ignores is None else per_file_ignores

    def ignored_for(self, path: str) -> tuple[str, ...]:
        if not self.per_file_ignores:  # asked of every file a report lists
            return ()
        posix = PurePosixPath(path.replace("\\", "/"))
        found: list[str] = []
        for pattern, codes in self.per_file_ignores.items():
            if posix.match(pattern) or (path.startswith(pattern.rstrip("*")) and pattern.endswith("*")):
                found.extend(codes)
        return tuple(found)


def find_settings(start: Path) -> Path | None:
    try:
        directory = start.resolve()
    except (OSError, RuntimeError):  # a symlink loop: the linter reports it on the file
        directory = start.absolute()
    if not directory.is_dir():
        directory = directory.parent
    for candidate_dir in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = candidate_dir / name
            if candidate.is_file():
                return candidate
        pyproject = candidate_dir / "pyproject.toml"
        if pyproject.is_file() and "[tool.kubelint" in pyproject.read_text(encoding="utf-8", errors="replace"):
            return pyproject
    return None


def load_settings(path: Path) -> Settings:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read settings file {path}: {error}") from None
    data: Any
    if path.name == "pyproject.toml":
        import tomllib

        try:
            data = tomllib.loads(text).get("tool", {}).get("kubelint", {})
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: {error}") from None
    else:
        try:
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
        except yaml.YAMLError as error:
            raise ConfigError(f"{path}: invalid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: settings must be a mapping")
    return _settings_from(data, path)


def _strings(value: Any, key: str, path: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ConfigError(f"{path}: '{key}' must be a list of strings")


def _settings_from(data: dict[str, Any], path: Path) -> Settings:
    normalised = {str(key).replace("_", "-"): value for key, value in data.items()}
    unknown = set(normalised) - _KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_KEYS))}")
    settings = Settings(source=path)
    if "kubernetes-version" in normalised:
        settings.kubernetes_version = str(normalised["kubernetes-version"])
    if "select" in normalised:
        settings.select = _strings(normalised["select"], "select", path)
    if "ignore" in normalised:
        settings.ignore = _strings(normalised["ignore"], "ignore", path)
    if "extend-select" in normalised:
        settings.extend_select = _strings(normalised["extend-select"], "extend-select", path)
    if "fail-on" in normalised:
        settings.fail_on = str(normalised["fail-on"])
    if "exclude" in normalised:
        settings.exclude = _strings(normalised["exclude"], "exclude", path)
    per_file = normalised.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{path}: 'per-file-ignores' must map glob patterns to rule lists")
    settings.per_file_ignores = {str(k): _strings(v, "per-file-ignores", path) for k, v in per_file.items()}
    return settings
