"""The command line's own messages: a bad argument names its option, `watch` without a
config says how to make one, and `config example` prints one that loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.config import load_config
from tui.cli import main


def stderr_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["demo", "--speed", "abc"], "--speed: expected a number, got 'abc'"),
        (["demo", "--speed", "0"], "--speed: expected a positive number, got '0'"),
        (["replay", "x", "--wire", "--speed", "inf"], "--speed: expected a positive number"),
        (["serve-fixtures", "--port", "http"], "--port: expected a whole number, got 'http'"),
        (["serve-fixtures", "--port", "70000"], "--port: expected a port number 0-65535"),
        (["soak", "--seed", "one"], "--seed: expected a whole number, got 'one'"),
        (["soak", "--minutes", "ten"], "--minutes: expected a number, got 'ten'"),
        (["audit", "export", "--format", "xls"], "--format: invalid choice: 'xls'"),
    ],
)
def test_a_bad_argument_is_named_in_plain_words(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = stderr_of(argv, capsys)
    assert message in err
    assert "invalid _" not in err and "argument --" not in err


def test_watch_without_a_config_says_how_to_make_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("ACCOUNT", "USERNAME", "PASSWORD"):
        monkeypatch.delenv(f"FLOORWATCH_{name}", raising=False)
    assert main(["watch", "--headless"]) == 2
    err = capsys.readouterr().err
    assert "account: Field required" in err
    assert "floorwatch watch --config FILE" in err
    assert "floorwatch config example" in err


def test_a_bad_config_file_gets_no_hint_about_giving_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "floor.yaml"
    path.write_text("account: 1\nusername: u\npassword: p\npoll_interval: -1\n")
    assert main(["watch", "--config", str(path), "--headless"]) == 2
    err = capsys.readouterr().err
    assert "poll_interval" in err and "--config FILE" not in err


def test_config_example_prints_a_config_that_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "example"]) == 0
    path = tmp_path / "floor.yaml"
    path.write_text(capsys.readouterr().out)
    monkeypatch.setenv("FLOORWATCH_PASSWORD", "secret")
    config = load_config(path)
    assert config.dry_run and config.account == "12345678"
