"""Helpers of the end-to-end tests: the `floorwatch` command in subprocesses, the fixture
platform served by `floorwatch serve-fixtures`, and a settings file pointing at it."""

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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from queue import Empty, Queue
from typing import TextIO

FLOORWATCH = Path(sys.executable).parent / "floorwatch"
BANNER_TIMEOUT = 20.0
EVENT_TIMEOUT = 20.0


@dataclass(frozen=True)
class Platform:
    base_url: str
    account: str
    username: str
    password: str
    origin: float
    """Epoch seconds of scenario time 0 (the real time when the platform started)."""


def clean_env() -> dict[str, str]:
    """The environment without FLOORWATCH_* settings, which would override the config file."""
    return {k: v for k, v in os.environ.items() if not k.startswith("FLOORWATCH_")}


def _lines(stream: TextIO, queue: Queue[str]) -> None:
    for line in iter(stream.readline, ""):
        queue.put(line)


def reader(process: subprocess.Popen[str]) -> Queue[str]:
    """The process's stdout lines, read on a thread so a wait can time out."""
    assert process.stdout is not None
    queue: Queue[str] = Queue()
    threading.Thread(target=_lines, args=(process.stdout, queue), daemon=True).start()
    return queue


def next_line(queue: Queue[str], deadline: float) -> str | None:
    try:
        return queue.get(timeout=max(0.0, deadline - time.monotonic()))
    except Empty:
        return None


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def serve_fixtures(scenario: str, *, speed: float) -> Iterator[Platform]:
    """`floorwatch serve-fixtures` in a subprocess, with what its banner says to connect."""
    process = subprocess.Popen(
        [str(FLOORWATCH), "serve-fixtures", "--scenario", scenario, "--speed", f"{speed:g}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=clean_env(),
    )
    try:
        lines = reader(process)
        banner = ""
        deadline = time.monotonic() + BANNER_TIMEOUT
        while "scenario t=0" not in banner:
            line = next_line(lines, deadline)
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
        origin = re.search(r"scenario t=0\s+(\d+)", banner)
        assert origin is not None, banner
        yield Platform(**values, origin=int(origin[1]) / 1000)
    finally:
        stop(process)


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
