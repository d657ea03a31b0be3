"""The command line imports only what a subcommand uses: `floorwatch --help`, an argument
error and `floorwatch replay` load neither Textual nor the live client's libraries.

Each case runs the installed `floorwatch` in its own process with `PYTHONPROFILEIMPORTTIME`
(Python's `-X importtime`), which names on stderr every module the process imported.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

FLOORWATCH = Path(sys.executable).parent / "floorwatch"
SCENARIO = Path(__file__).resolve().parents[2] / "fixtures" / "scenarios" / "away-agent.json"
IMPORT_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \| +(\S+)$")
LIVE_ONLY = ("textual", "pydantic_settings", "websockets", "httpx")
"""Top-level packages only a dashboard or the live client needs."""


def run_profiled(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run `floorwatch args` and return it with the top-level packages it imported."""
    return profiled([str(FLOORWATCH), *args])


def profiled(command: list[str]) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run(command, check=False, capture_output=True, text=True, env=env, timeout=60)
    imported: set[str] = set()
    other: list[str] = []
    for line in done.stderr.splitlines():
        match = IMPORT_LINE.match(line)
        if match:
            imported.add(match.group(1).split(".")[0])
        elif not line.startswith("import time:"):
            other.append(line)
    done.stderr = "\n".join(other)  # what the command itself wrote
    return done, imported


def test_the_profile_names_what_a_process_imports() -> None:
    """The checks below can fail: a process that imports them is seen to."""
    done, imported = profiled([sys.executable, "-c", "import textual.app, httpx; print('ok')"])
    assert done.stdout == "ok\n" and done.stderr == ""
    assert {"textual", "httpx"} <= imported
    assert "pydantic_settings" not in imported


def test_help_imports_neither_textual_nor_the_live_client() -> None:
    done, imported = run_profiled("--help")
    assert done.returncode == 0
    assert "replay" in done.stdout and "watch" in done.stdout
    assert [name for name in LIVE_ONLY if name in imported] == []
    assert "engine" not in imported and "fixtures" not in imported


def test_a_bad_argument_keeps_its_message_and_loads_nothing_more() -> None:
    done, imported = run_profiled("demo", "--speed", "abc")
    assert done.returncode == 2
    assert "floorwatch demo: error: --speed: expected a number, got 'abc'" in done.stderr
    assert [name for name in LIVE_ONLY if name in imported] == []


@pytest.mark.parametrize("scenario", ["away-agent", str(SCENARIO)])
def test_replay_imports_neither_textual_nor_the_live_client(scenario: str) -> None:
    done, imported = run_profiled("replay", scenario)
    assert done.returncode == 0, done.stderr
    assert "expect met" in done.stdout
    assert [name for name in LIVE_ONLY if name in imported] == []
