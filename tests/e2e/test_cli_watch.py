"""`floorwatch watch` and `floorwatch audit export` as a user runs them, against a fixture
platform started by `floorwatch serve-fixtures` in a subprocess."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from watch_support import (
    EVENT_TIMEOUT,
    FLOORWATCH,
    Platform,
    clean_env,
    next_line,
    reader,
    serve_fixtures,
    stop,
    watch,
    write_config,
)

from engine.core import AuditEvent
from engine.core.audit import AuditType
from engine.store import Store


@pytest.fixture
def platform() -> Iterator[Platform]:
    with serve_fixtures("away-agent", speed=2) as served:
        yield served


def test_headless_watch_prints_feed_fresh_and_stops_on_sigint(
    tmp_path: Path, platform: Platform
) -> None:
    process = watch(write_config(tmp_path, platform))
    try:
        lines = reader(process)
        deadline = time.monotonic() + EVENT_TIMEOUT
        records: list[dict[str, object]] = []
        while not any(r["type"] == "feed.fresh" for r in records):
            line = next_line(lines, deadline)
            assert line is not None, f"no feed.fresh within {EVENT_TIMEOUT:g} s: {records}"
            records.append(json.loads(line))
        assert all(isinstance(r["at"], float | int) for r in records)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert process.stderr is not None
        assert "Traceback" not in process.stderr.read()
    finally:
        stop(process)


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
        stop(process)
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
    assert header.split(",")[:3] == ["time", "at", "type"]
    assert rows == ["1970-01-01T00:16:40.000Z,1000.0,feed.fresh,,,,engine,resynced,,"]
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
