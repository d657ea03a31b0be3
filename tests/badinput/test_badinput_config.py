"""Every settable config field, given a bad value in a file or the environment, is named in
the `ConfigError`; `floorwatch watch` turns that into exit 2 and the field on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types
import pytest
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from engine.config import FloorwatchConfig, load_config
from engine.config_file import ConfigError

FLOORWATCH = Path(sys.executable).parent / "floorwatch"
REQUIRED: dict[str, Any] = {"account": "12345678", "username": "sup", "password": "pw"}
WRONG_TYPE = [["a", "list"]]
"""A value no scalar field accepts."""


@pytest.fixture(autouse=True)
def no_floorwatch_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in os.environ:
        if name.startswith("FLOORWATCH_"):
            monkeypatch.delenv(name)


def _nested_model(info: FieldInfo) -> type[BaseModel] | None:
    kind = info.annotation
    return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None


def settable_fields(
    model: type[BaseModel] = FloorwatchConfig, prefix: str = ""
) -> Iterator[tuple[str, FieldInfo]]:
    """(dotted path, field) for every field of the config, nested models included."""
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        yield path, info
        nested = _nested_model(info)
        if nested is not None:
            yield from settable_fields(nested, f"{path}.")


def invalid_values(info: FieldInfo) -> list[object]:
    """Values the field must refuse, worked out from its type and its constraints."""
    kind = info.annotation
    if _nested_model(info) is not None:
        return ["not-an-object", 5]
    if get_origin(kind) in (Union, types.UnionType):
        kind = next(arg for arg in get_args(kind) if arg is not type(None))
    values: list[object] = [WRONG_TYPE]
    if get_origin(kind) is Literal:
        values.append("not-one-of-" + "-".join(map(str, get_args(kind))))
    elif kind is bool:
        values.append("maybe")
    elif kind in (int, float):
        values += ["soon", float("nan"), float("inf")]
    for rule in info.metadata:
        if isinstance(rule, annotated_types.Gt):
            values.append(rule.gt)
        elif isinstance(rule, annotated_types.Ge):
            least = rule.ge
            assert isinstance(least, int | float)
            values.append(least - (1 if kind is int else 0.5))
        elif isinstance(rule, annotated_types.MinLen):
            values.append("")
    if kind is int:
        values.append(4096.5)
    return values


def _set(settings: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    *parents, leaf = path.split(".")
    node = settings
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value
    return settings


SPECIAL: dict[str, list[object]] = {
    "policy": ["fast", {"online": -5}, {"online": "soon"}, {"weekend": 10}, {"skills": [1]}],
    "data_path": ["", "/"],
    "csds_url": [""],
    "spelling": ["shouty"],
    "ca_file": ["/no/such/authorities.pem", "/dev/null"],
    "keymap": [
        "f2",
        {"freeze": 5.5},
        {"freeze": True},
        {"Not An Id": "f"},
        {"freeze": "ctrl s"},
        {"freeze": ""},
    ],
}
"""Fields whose type alone does not say what they refuse."""

CASES = [
    pytest.param(path, value, id=f"{path}={value!r}")
    for path, info in settable_fields()
    for value in invalid_values(info) + SPECIAL.get(path, [])
]


def test_the_walk_reaches_every_field() -> None:
    paths = {path for path, _ in settable_fields()}
    assert {"account", "password", "policy", "data_path", "reconnect.base"} <= paths
    assert {"reconnect.factor", "reconnect.cap", "supervisor", "insecure_http"} <= paths
    assert all(invalid_values(info) for _, info in settable_fields())
    assert len(CASES) >= 3 * len(paths)


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize(("path", "value"), CASES)
def test_a_bad_field_in_a_file_is_named(
    tmp_path: Path, suffix: str, path: str, value: object
) -> None:
    settings = _set({**REQUIRED, "data_path": str(tmp_path / "fw.db")}, path, value)
    config_file = tmp_path / f"floorwatch{suffix}"
    if suffix == ".json":
        config_file.write_text(json.dumps(settings))
    else:
        config_file.write_text(yaml.safe_dump(settings))
    with pytest.raises(ConfigError) as raised:
        load_config(config_file)
    lines = raised.value.lines
    assert len(lines) == 1, lines
    assert lines[0].startswith((f"{path}:", f"{path}.")), lines
    assert path in str(raised.value)
    assert "pw" not in str(raised.value).replace(path, "")


@pytest.mark.parametrize(
    ("variable", "text", "named"),
    [
        ("FLOORWATCH_POLL_INTERVAL", "soon", "poll_interval"),
        ("FLOORWATCH_TICK_INTERVAL", "0", "tick_interval"),
        ("FLOORWATCH_MAX_FRAME_BYTES", "12", "max_frame_bytes"),
        ("FLOORWATCH_PRESENCE", "carrier-pigeon", "presence"),
        ("FLOORWATCH_DRY_RUN", "maybe", "dry_run"),
        ("FLOORWATCH_ACCOUNT", "", "account"),
        ("FLOORWATCH_RECONNECT__BASE", "-1", "reconnect.base"),
        ("FLOORWATCH_RECONNECT__FACTOR", "nan", "reconnect.factor"),
        ("FLOORWATCH_RECONNECT", "{not json", "reconnect"),
        ("FLOORWATCH_POLICY", '{"online": -1}', "policy.online"),
        ("FLOORWATCH_POLICY", "fast", "policy"),
        ("FLOORWATCH_DATA_PATH", "/", "data_path"),
    ],
)
def test_a_bad_environment_variable_is_named(
    monkeypatch: pytest.MonkeyPatch, variable: str, text: str, named: str
) -> None:
    monkeypatch.setenv(variable, text)
    with pytest.raises(ConfigError) as raised:
        load_config(**{k: v for k, v in REQUIRED.items() if k.upper() not in variable})
    assert [line.split(":")[0] for line in raised.value.lines] == [named]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("bad.yaml", b"account: \xff\xfe\n", "not UTF-8 text"),
        ("deep.json", b"[" * 2_000, "nested too deeply"),
        ("keys.yaml", b"1: one\naccount: '1'\n", "setting names must be text, got 1"),
    ],
    ids=["not-utf8", "deep-json", "number-key"],
)
def test_a_broken_file_is_a_config_error(
    tmp_path: Path, name: str, content: bytes, says: str
) -> None:
    config_file = tmp_path / name
    config_file.write_bytes(content)
    with pytest.raises(ConfigError) as raised:
        load_config(config_file)
    [line] = raised.value.lines
    assert line.startswith(f"{config_file}: ") and says in line


def _watch(config_file: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(FLOORWATCH), "watch", "--config", str(config_file), "--headless"],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
        check=False,
    )


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOORWATCH_")}
    return env | extra


def test_watch_exits_2_naming_every_bad_field_from_file_and_environment(tmp_path: Path) -> None:
    config_file = tmp_path / "floorwatch.yaml"
    settings = {**REQUIRED, "data_path": str(tmp_path / "fw.db"), "presence": "fax"}
    config_file.write_text(yaml.safe_dump(_set(settings, "reconnect.cap", 0)))
    result = _watch(config_file, _clean_env(FLOORWATCH_KEEPALIVE_INTERVAL="never"))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "invalid configuration:"
    named = sorted(line.strip().split(":")[0] for line in lines[1:])
    assert named == ["keepalive_interval", "presence", "reconnect.cap"]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "fw.db").exists(), "nothing is opened with a bad configuration"


def test_watch_names_keymap_ids_no_binding_has(tmp_path: Path) -> None:
    config_file = tmp_path / "floorwatch.yaml"
    keymap = {"thresholds": "f2", "treshold": "f3", "launch-rockets": "f4"}
    settings = {**REQUIRED, "data_path": str(tmp_path / "fw.db"), "keymap": keymap}
    config_file.write_text(yaml.safe_dump(settings))
    result = _watch(config_file, _clean_env())
    assert result.returncode == 2, result.stderr
    first, *lines = [line.strip() for line in result.stderr.splitlines()]
    assert first == "invalid configuration:" and len(lines) == 2, lines
    said = {line.split(":")[0]: line for line in lines}
    assert said.keys() == {"keymap.treshold", "keymap.launch-rockets"}
    typo = said["keymap.treshold"]
    assert "did you mean thresholds? the ids are" in typo and "unassign-now" in typo
    assert "no key binding has this id; the ids are" in said["keymap.launch-rockets"]
    assert not (tmp_path / "fw.db").exists(), "nothing is opened with a bad configuration"


def test_a_good_keymap_is_read_in_shape() -> None:
    config = load_config(**REQUIRED, keymap={"thresholds": " f2 , ctrl+t", "help": "?"})
    assert config.keymap == {"thresholds": "f2,ctrl+t", "help": "?"}


@pytest.mark.parametrize(
    ("csds_url", "insecure", "line"),
    [
        (
            "http://adminlogin.liveperson.net",
            False,
            "csds_url: 'http://adminlogin.liveperson.net' is not https; Floorwatch only speaks"
            " https unless insecure_http is set for a loopback host",
        ),
        (
            "http://127.0.0.1:8080",
            False,
            "csds_url: 'http://127.0.0.1:8080' is not https; Floorwatch only speaks"
            " https unless insecure_http is set for a loopback host",
        ),
        (
            "adminlogin.liveperson.net",
            True,
            "insecure_http: only allowed when csds_url is a loopback address"
            " (127.0.0.0/8, ::1, localhost), not 'adminlogin.liveperson.net'",
        ),
        (
            "http://10.0.0.1",
            True,
            "insecure_http: only allowed when csds_url is a loopback address"
            " (127.0.0.0/8, ::1, localhost), not 'http://10.0.0.1'",
        ),
        (
            "127.0.0.1:99999",
            True,
            "csds_url: 127.0.0.1:99999, whose port is not a number from 1 to 65535",
        ),
    ],
)
def test_a_csds_url_that_would_leave_tls_is_refused_at_load_time(
    csds_url: str, insecure: bool, line: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        load_config(**REQUIRED, csds_url=csds_url, insecure_http=insecure)
    assert refused.value.lines == [line]


@pytest.mark.parametrize(
    ("csds_url", "insecure"),
    [("https://adminlogin.liveperson.net", False), ("http://[::1]:80", True), ("localhost", True)],
)
def test_tls_or_loopback_csds_urls_are_accepted(csds_url: str, insecure: bool) -> None:
    assert load_config(**REQUIRED, csds_url=csds_url, insecure_http=insecure).csds_url == csds_url
