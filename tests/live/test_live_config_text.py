"""Settings meant as text may be written as YAML numbers, and the example config loads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from engine.config import FloorwatchConfig, load_config
from engine.config_example import EXAMPLE_CONFIG
from engine.config_file import ConfigError
from engine.protocol import Spelling

SETTING = re.compile(r"^(?:# )?([a-z_]+): ")
"""A line that sets a setting, or shows one commented out."""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "floor.yaml"
    path.write_text(text)
    return path


def test_whole_numbers_are_accepted_as_text(tmp_path: Path) -> None:
    """account, username, password, supervisor and keymap keys: `account: 123` is "123"."""
    path = write(
        tmp_path,
        "account: 123\nusername: 42\npassword: 1234\nsupervisor: 7\nkeymap: {queue-view: 6}\n",
    )
    config = load_config(path)
    assert (config.account, config.username, config.supervisor) == ("123", "42", "7")
    assert config.password.get_secret_value() == "1234"
    assert config.keymap == {"queue-view": "6"}


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("account: true", "account"),
        ("account: 1.5", "account"),
        ("username: yes", "username"),
        ("keymap: {queue-view: 6.5}", "keymap.queue-view"),
    ],
)
def test_booleans_and_fractions_are_not_text(tmp_path: Path, line: str, field: str) -> None:
    base = {"account": "1", "username": "u", "password": "p"}
    text = "\n".join(f"{k}: {v}" for k, v in base.items() if not line.startswith(k)) + "\n"
    with pytest.raises(ConfigError) as raised:
        load_config(write(tmp_path, text + line + "\n"))
    assert any(found.startswith(f"{field}:") for found in raised.value.lines), raised.value.lines


def test_the_example_config_loads_as_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLOORWATCH_PASSWORD", "secret")
    config = load_config(write(tmp_path, EXAMPLE_CONFIG))
    assert (config.account, config.dry_run, config.spelling) == ("12345678", True, Spelling.RAW)
    assert config.policy is not None


def test_the_example_config_names_every_setting_and_its_commented_values_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Uncommenting every `# name: value` line (but ca_file, which must name a real file)
    still loads: the example never shows a value Floorwatch would refuse."""
    monkeypatch.setenv("FLOORWATCH_PASSWORD", "secret")
    lines = EXAMPLE_CONFIG.splitlines()
    settings = [(SETTING.match(line), line) for line in lines]
    assert set(FloorwatchConfig.model_fields) == {m[1] for m, _ in settings if m is not None}
    text = "\n".join(
        line.removeprefix("# ") if m is not None and m[1] not in ("ca_file", "password") else line
        for m, line in settings
    )
    assert isinstance(yaml.safe_load(text), dict)
    config = load_config(write(tmp_path, text))
    assert config.supervisor == "Dana" and config.reconnect.cap == 30
