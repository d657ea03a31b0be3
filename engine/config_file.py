"""The config file read, and the lines `ConfigError` lists: `field.path: message`."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_settings import SettingsError

_VALUE_ERROR_PREFIX = "Value error, "
_SETTINGS_ERROR_FIELD = re.compile(r'error parsing value for field "([^"]+)"')


class ConfigError(ValueError):
    """An unusable configuration; `lines` are `field.path: message`, one per problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("invalid configuration:\n" + "\n".join(f"  {line}" for line in lines))
        self.lines = lines


def read_file(path: Path) -> dict[str, Any]:
    """The settings in a YAML, JSON or TOML file (by its suffix)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read the config file ({exc.strerror})"]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason})"]) from None
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            data = yaml.safe_load(text)
        elif suffix == ".json":
            data = json.loads(text)
        elif suffix == ".toml":
            data = tomllib.loads(text)
        else:
            raise ConfigError([f"{path}: unknown config format (use .yaml, .json or .toml)"])
    except RecursionError:
        raise ConfigError([f"{path}: not valid {suffix[1:].upper()}: nested too deeply"]) from None
    except (yaml.YAMLError, ValueError) as exc:
        if isinstance(exc, ConfigError):
            raise
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError([f"{path}: not valid {suffix[1:].upper()}: {first_line}"]) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError([f"{path}: the top level must be a mapping of settings"])
    odd = [key for key in data if not isinstance(key, str)]
    if odd:
        raise ConfigError([f"{path}: setting names must be text, got {odd[0]!r}"])
    return data


def settings_error_line(exc: SettingsError, prefix: str) -> str:
    """The line for a `prefix`ed environment variable that is not valid JSON."""
    found = _SETTINGS_ERROR_FIELD.search(str(exc))
    if found is None:
        return str(exc)
    field = found[1]
    return f"{field}: {prefix}{field.upper()} is not valid JSON"


def error_lines(exc: ValidationError, prefix: str) -> list[str]:
    """`field.path: message`, one per problem (`prefix`: of the environment's names)."""
    lines = []
    for error in exc.errors(include_url=False, include_input=False, include_context=False):
        where = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix(_VALUE_ERROR_PREFIX)
        if where == "password" and error["type"] == "missing":
            message += f" (set {prefix}PASSWORD)"
        if not where or message.startswith((f"{where}.", f"{where}:")):
            lines.append(message)
        else:
            lines.append(f"{where}: {message}")
    return lines
