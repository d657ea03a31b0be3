"""`FloorwatchConfig`: file, environment and explicit values; readable errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.config import load_config
from engine.config_file import ConfigError
from engine.core import Policy

REQUIRED = {"account": "12345678", "username": "sup", "password": "pw"}


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config_file = tmp_path / "floorwatch.yaml"
    config_file.write_text(
        "account: '111'\nusername: sup\npresence: push\n"
        "policy: {online: 120, away: 60, skills: {billing: {online: 300}}}\n"
        "reconnect: {base: 1.0}\n"
    )
    monkeypatch.setenv("FLOORWATCH_PASSWORD", "from-env")
    monkeypatch.setenv("FLOORWATCH_ACCOUNT", "222")
    monkeypatch.setenv("FLOORWATCH_RECONNECT__CAP", "9")

    config = load_config(config_file)

    assert config.account == "222" and config.presence == "push"
    assert config.password.get_secret_value() == "from-env"
    assert "from-env" not in repr(config)
    assert config.reconnect.base == 1.0 and config.reconnect.cap == 9
    assert config.policy == Policy.from_mapping(
        {"online": 120, "away": 60, "skills": {"billing": {"online": 300}}}
    )


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_json_and_toml_files(tmp_path: Path, suffix: str) -> None:
    text = (
        '{"account": "1", "username": "u", "password": "p", "dry_run": true}'
        if suffix == ".json"
        else 'account = "1"\nusername = "u"\npassword = "p"\ndry_run = true\n'
    )
    (tmp_path / f"c{suffix}").write_text(text)
    config = load_config(tmp_path / f"c{suffix}")
    assert config.dry_run and config.presence == "poll" and config.keepalive_interval == 20


def test_every_bad_field_is_listed_with_its_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLOORWATCH_PASSWORD", raising=False)
    with pytest.raises(ConfigError) as error:
        load_config(
            account="1",
            username="u",
            policy={"online": 60, "skills": {"billing": {"away": -5}}},
            presence="carrier-pigeon",
            poll_interval=0,
            reconnect={"factor": 0.5},
            bogus=1,
        )
    lines = error.value.lines
    assert "password: Field required (set FLOORWATCH_PASSWORD)" in lines
    assert "policy.skills.billing.away: must be a non-negative number of seconds, got -5" in lines
    assert any(line.startswith("presence: Input should be 'push' or 'poll'") for line in lines)
    assert "poll_interval: Input should be greater than 0" in lines
    assert "reconnect.factor: Input should be greater than or equal to 1" in lines
    assert any(line.startswith("bogus: Extra inputs are not permitted") for line in lines)


def test_insecure_http_only_on_loopback() -> None:
    assert load_config(**REQUIRED, insecure_http=True, csds_url="http://127.0.0.1:8080")
    assert load_config(**REQUIRED, insecure_http=True, csds_url="localhost:8080")
    with pytest.raises(ConfigError, match="insecure_http: only allowed"):
        load_config(**REQUIRED, insecure_http=True, csds_url="adminlogin.liveperson.net")


def test_unreadable_or_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the config file"):
        load_config(tmp_path / "missing.yaml")
    (tmp_path / "bad.yaml").write_text("account: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(tmp_path / "bad.yaml")
    (tmp_path / "list.json").write_text("[1, 2]")
    with pytest.raises(ConfigError, match="top level must be a mapping"):
        load_config(tmp_path / "list.json")
    (tmp_path / "c.ini").write_text("")
    with pytest.raises(ConfigError, match="unknown config format"):
        load_config(tmp_path / "c.ini")
