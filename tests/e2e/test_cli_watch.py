"""`floorwatch watch` and `floorwatch audit export` as a user runs them, against a fixture
platform started by `floorwatch serve-fixtures` in a subprocess."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from queue import Empty, Queue
from typing import TextIO

import pytest

from engine.core import AuditEvent
from engine.core.audit import AuditType
from engine.store import Store

FLOORWATCH = Path(sys.executable).parent / "floorwatch"
BANNER_TIMEOUT = 20.0
EVENT_TIMEOUT = 20.0


@dataclass(frozen=True)
class Platform:
    base_url: str
    account: str
    username: str
    password: str


def clean_env() -> dict[str, str]:
    """The environment without FLOORWATCH_* settings, which would override the config file."""
    return {k: v for k, v in os.environ.items() if not k.startswith("FLOORWATCH_")}


def _lines(stream: TextIO, queue: Queue[str]) -> None:
    for line in iter(stream.readline, ""):
        queue.put(line)


def _reader(process: subprocess.Popen[str]) -> Queue[str]:
    """The process's stdout lines, read on a thread so a wait can time out."""
    assert process.stdout is not None
    queue: Queue[str] = Queue()
    threading.Thread(target=_lines, args=(process.stdout, queue), daemon=True).start()
    return queue


def _next_line(queue: Queue[str], deadline: float) -> str | None:
    try:
        return queue.get(timeout=max(0.0, deadline - time.monotonic()))
    except Empty:
        return None


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def platform() -> Iterator[Platform]:
    process = subprocess.Popen(
        [str(FLOORWATCH), "serve-fixtures", "--scenario", "away-agent", "--speed", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=clean_env(),
    )
    try:
        lines = _reader(process)
        banner = ""
        deadline = time.monotonic() + BANNER_TIMEOUT
        while "password" not in banner:
            line = _next_line(lines, deadline)
            assert line is not None, f"no banner from serve-fixtures: {banner!r}"
            banner += line
        fields = {
            name: re.search(rf"{label}\s+(\S+)", banner)
            for name, label in (
                ("base_url", "CSDS base URL"),
                ("account", "account"),
                ("username", "username"),
                ("password", "password"),
            )
        }
        values = {}
        for name, found in fields.items():
            assert found is not None, f"{name} missing from {banner!r}"
            values[name] = found[1]
        yield Platform(**values)
    finally:
        _stop(process)


def write_config(tmp_path: Path, platform: Platform, **changes: object) -> Path:
    settings: dict[str, object] = {
        "account": platform.account,
        "username": platform.username,
        "password": platform.password,
        "csds_url": platform.base_url,
        "insecure_http": True,
        "presence": "push",
        "data_path": str(tmp_path / "floor.sqlite3"),
        "tick_interval": 0.1,
        **changes,
    }
    path = tmp_path / "floorwatch.json"
    path.write_text(json.dumps(settings))
    return path


def watch(config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(FLOORWATCH), "watch", "--config", str(config), "--headless"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
    )


def test_headless_watch_prints_feed_fresh_and_stops_on_sigint(
    tmp_path: Path, platform: Platform
) -> None:
    process = watch(write_config(tmp_path, platform))
    try:
        lines = _reader(process)
        deadline = time.monotonic() + EVENT_TIMEOUT
        records: list[dict[str, object]] = []
        while not any(r["type"] == "feed.fresh" for r in records):
            line = _next_line(lines, deadline)
            assert line is not None, f"no feed.fresh within {EVENT_TIMEOUT:g} s: {records}"
            records.append(json.loads(line))
        assert all(isinstance(r["at"], float | int) for r in records)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert process.stderr is not None
        assert "Traceback" not in process.stderr.read()
    finally:
        _stop(process)


def test_a_bad_config_field_exits_2_and_names_it(tmp_path: Path, platform: Platform) -> None:
    config = write_config(tmp_path, platform, poll_interval=-1)
    result = subprocess.run(
        [str(FLOORWATCH), "watch", "--config", str(config), "--headless"],
        capture_output=True,
        text=True,
        timeout=30,
        env=clean_env(),
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "poll_interval" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wrong_password_exits_1_without_a_traceback_or_the_password(
    tmp_path: Path, platform: Platform
) -> None:
    wrong = "not-the-Fixture-Pa55word"
    process = watch(write_config(tmp_path, platform, password=wrong))
    try:
        out, err = process.communicate(timeout=30)
    finally:
        _stop(process)
    assert process.returncode == 1, (out, err)
    assert "login refused" in err
    assert "Traceback" not in err
    assert wrong not in out + err


def test_audit_export_writes_the_csv_header_and_the_events(tmp_path: Path) -> None:
    data = tmp_path / "floor.sqlite3"
    store = Store.open(data)
    try:
        store.append([AuditEvent(at=1000.0, type=AuditType.FEED_FRESH, detail="resynced")])
    finally:
        store.close()
    base = [str(FLOORWATCH), "audit", "export", "--data", str(data)]
    csv = subprocess.run(base, capture_output=True, text=True, timeout=30, check=False)
    assert csv.returncode == 0, csv.stderr
    header, *rows = csv.stdout.splitlines()
    assert "type" in header.split(",")
    assert len(rows) == 1 and "feed.fresh" in rows[0]
    jsonl = subprocess.run(
        [*base, "--format", "jsonl"], capture_output=True, text=True, timeout=30, check=False
    )
    assert jsonl.returncode == 0, jsonl.stderr
    assert json.loads(jsonl.stdout.splitlines()[0])["type"] == "feed.fresh"


def test_audit_export_of_a_missing_file_exits_1(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(FLOORWATCH), "audit", "export", "--data", str(tmp_path / "none.sqlite3")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    assert "no such Floorwatch data file" in result.stderr
    assert "Traceback" not in result.stderr
