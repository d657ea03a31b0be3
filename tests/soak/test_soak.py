"""The chaos soak, short: random floors with every kind of fault over real sockets, judged by
the independent oracle. Nothing wrong, nothing missed, nothing decided or removed twice."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter

import pytest

from fixtures.chaos import FAULTS, ChaosShape
from fixtures.soak import DEFAULT_SPEED, SoakReport, run_soak

SEEDS = (11, 12, 13)
MINUTES = 3.0
SPEED = DEFAULT_SPEED
SHAPE = ChaosShape(faults_per_minute=6.0, supervisor_steps_per_minute=6.0)
"""The full floor (1,000 conversations, 60 agents on 5 skills), with faults and supervisor
steps packed tighter than in the long soak so that a short run meets every kind."""


@pytest.fixture(scope="module")
def reports() -> list[SoakReport]:
    async def all_seeds() -> list[SoakReport]:
        return [await run_soak(seed, MINUTES, speed=SPEED, shape=SHAPE) for seed in SEEDS]

    return asyncio.run(all_seeds())


@pytest.mark.parametrize("index", range(len(SEEDS)), ids=[f"seed-{s}" for s in SEEDS])
def test_nothing_wrong_nothing_missed(reports: list[SoakReport], index: int) -> None:
    report = reports[index]
    summary = "\n".join(report.lines())
    assert report.verdict.wrong == [], summary
    assert report.verdict.missed == [], summary
    assert report.decided_twice == 0, summary
    assert report.verdict.double_actions == [], summary
    assert report.verdict.decisions > 50, summary  # the floor really was busy
    assert report.audit["unassign.confirmed"] > 50, summary


def test_every_fault_kind_was_injected(reports: list[SoakReport]) -> None:
    injected = sum((report.faults for report in reports), Counter[str]())
    assert set(injected) == set(FAULTS), injected


def test_every_clock_fault_kind_was_injected(reports: list[SoakReport]) -> None:
    """Wall steps both ways, a drifting local clock, a skewed and a missing login time."""
    injected = sum((r.clock.counts() for r in reports if r.clock is not None), Counter[str]())
    assert set(injected) == {
        "wall_step_forward",
        "wall_step_back",
        "clock_drift",
        "login_time_skewed",
        "login_time_missing",
    }, injected


def test_the_soak_command_prints_the_figures() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "soak", "--minutes", "1", "--seed", "5"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    figures = dict(
        line.strip().split(None, 1) for line in done.stdout.splitlines()[1:] if line.strip()
    )
    assert figures["conversations"].startswith("1000 ")
    assert figures["wrong"] == "0"
    assert figures["missed"] == "0"
    assert "faults" in figures
    assert "wall_step_back" in figures["clock"], figures
