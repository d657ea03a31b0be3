"""The wall clock of a real `floorwatch watch --headless` process steps forwards and back
(libfaketime moves CLOCK_REALTIME of that one process through its offset file, leaving the
monotonic clock alone, as an NTP step does): every decision is still the one the virtual replay
makes, at its deadline, once; nothing is decided early, twice, or missed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from watch_support import (
    FLOORWATCH,
    Platform,
    clean_env,
    next_line,
    reader,
    serve_fixtures,
    stop,
    write_config,
)

LIBFAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")
LATE_BY_AT_MOST = 1.5
"""Seconds after its deadline by which a decision must come (tick, barrier, poll)."""
STEPS = ((2.0, "+120s"), (5.0, "-300s"), (9.0, "+3600s"), (12.0, "-7200s"))
"""(seconds after the engine starts, the wall clock's offset from then on)."""

SCENARIO: dict[str, Any] = {
    "name": "wall-clock-steps",
    "description": "Waits that fall due while the engine's wall clock jumps both ways.",
    "policy": {"online": 6, "away": 4, "offline": 2},
    "routing": {"delay": 1},
    "agents": [
        {"id": "a1", "name": "Ana", "skills": ["sales"], "state": "ONLINE"},
        {"id": "a2", "name": "Ben", "skills": ["sales"], "state": "ONLINE"},
        {"id": "a3", "name": "Cleo", "skills": ["sales"], "state": "ONLINE"},
    ],
    "conversations": [
        {"id": "c1", "skill": "sales", "agent": "a1"},
        {"id": "c2", "skill": "sales", "agent": "a2"},
        {"id": "c3", "skill": "sales", "agent": "a3"},
        {"id": "c4", "skill": "sales", "agent": "a1"},
    ],
    "timeline": [
        {"at": 0, "consumer_message": {"conv": "c1"}},
        {"at": 1, "consumer_message": {"conv": "c2"}},
        {"at": 4, "agent_message": {"conv": "c2"}},
        {"at": 3, "consumer_message": {"conv": "c3"}},
        {"at": 5, "agent_state": {"agent": "a3", "state": "AWAY"}},
        {"at": 8, "consumer_message": {"conv": "c4"}},
        {"at": 9, "consumer_message": {"conv": "c2"}},
    ],
    "until": 18,
    "expect_all_decisions": False,
    "expect": [],
}

pytestmark = pytest.mark.skipif(
    not LIBFAKETIME.exists() or shutil.which("faketime") is None,
    reason="libfaketime is not installed (.ci/run installs it: apt package faketime)",
)


def decisions(records: list[dict[str, Any]]) -> list[tuple[str, str, str, float]]:
    return [
        (r["conv"], r["agent"], r["reason"], r["at"])
        for r in records
        if r["type"] == "unassign.decided"
    ]


def test_wall_clock_steps_change_no_decision(tmp_path: Path) -> None:
    scenario = tmp_path / "steps.json"
    scenario.write_text(json.dumps(SCENARIO))
    virtual = subprocess.run(
        [str(FLOORWATCH), "replay", str(scenario), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert virtual.returncode == 0, virtual.stderr
    expected = decisions([json.loads(line) for line in virtual.stdout.splitlines()])
    # c1 and c3 are routed on and fall due again with their new agents
    assert [d[0] for d in expected] == ["c1", "c3", "c1", "c4", "c3", "c2"], expected

    offset = tmp_path / "wall-offset"
    offset.write_text("+0s\n")
    env = clean_env() | {
        "LD_PRELOAD": str(LIBFAKETIME),
        "FAKETIME_TIMESTAMP_FILE": str(offset),
        "FAKETIME_NO_CACHE": "1",
        "DONT_FAKE_MONOTONIC": "1",
    }
    with serve_fixtures(str(scenario), speed=1) as platform:
        records = _watch_through_steps(tmp_path, platform, offset, env)

    got = sorted(decisions(records))
    expected.sort()
    assert [(c, a, r) for c, a, r, _ in got] == [(c, a, r) for c, a, r, _ in expected]
    for (conv, agent, _, at), (_, _, _, due) in zip(got, expected, strict=True):
        late = at - platform.origin - due
        assert -0.05 <= late <= LATE_BY_AT_MOST, (conv, agent, late)
    keys = [r["key"] for r in records if r["type"] == "unassign.decided"]
    assert len(keys) == len(set(keys)), "a wait was decided twice"
    confirmed = [r["conv"] for r in records if r["type"] == "unassign.confirmed"]
    assert sorted(confirmed) == sorted(c for c, _, _, _ in expected)


def _watch_through_steps(
    tmp_path: Path, platform: Platform, offset: Path, env: dict[str, str]
) -> list[dict[str, Any]]:
    """Run the headless engine under libfaketime, stepping its wall clock on schedule, until
    the scenario is over; returns its audit records."""
    config = write_config(
        tmp_path,
        platform,
        policy=SCENARIO["policy"],
        tick_interval=0.05,
        keepalive_interval=2.0,
    )
    process = subprocess.Popen(
        [str(FLOORWATCH), "watch", "--config", str(config), "--headless"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    records: list[dict[str, Any]] = []
    try:
        lines = reader(process)
        started = time.monotonic()
        steps = list(STEPS)
        end = started + SCENARIO["until"]
        while (now := time.monotonic()) < end:
            if steps and now - started >= steps[0][0]:
                offset.write_text(steps.pop(0)[1] + "\n")
            line = next_line(lines, min(end, now + 0.1))
            if line is not None:
                records.append(json.loads(line))
        assert not steps
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
    finally:
        stop(process)
    assert process.stderr is not None
    err = process.stderr.read()
    assert "Traceback" not in err, err
    assert os.path.exists(config)
    return records
