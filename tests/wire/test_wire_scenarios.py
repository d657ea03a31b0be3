"""Every fixture scenario (but the hour-long showcase) through the live client on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from typing import Any

from wire_support import small_scenario

from engine.protocol import Spelling
from fixtures.expect import TOLERANCE, check
from fixtures.looplag import LoopLag
from fixtures.replay import ReplayResult, replay
from fixtures.scenario import WireShape, list_scenarios, load_scenario
from fixtures.wire import replay_wire

SPEED = 10.0
"""The expect tolerance is 0.5 s of platform time: 50 ms of real time at this speed."""
STAGGER = 0.08
"""Real seconds between starts: a client's start-up costs tens of milliseconds of CPU in the
shared event loop, which would otherwise delay the runs already under way all at once."""
AT_ONCE = 12
"""Runs sharing the loop at one time: all thirty-odd at once stalled it enough under a
loaded CI machine that a third of them missed their times together."""
BUDGET = 90.0
FORMS: tuple[tuple[Spelling, WireShape], ...] = (
    (Spelling.RAW, "raw"),
    (Spelling.DOCUMENTED, "documented"),
    (Spelling.RAW, "documented"),
    (Spelling.DOCUMENTED, "raw"),
)
"""The scenarios take turns: the client's request names raw or documented, the platform's
conversations in the raw wire shape or the documented public one."""


def _events(records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["type"], r.get("conv"), r.get("agent"), r.get("reason")) for r in records]


def _unmet(name: str, result: ReplayResult, tolerance: float) -> list[str]:
    scenario = load_scenario(name)
    expected = [e.model_dump(exclude_none=True) for e in scenario.expect]
    report = check(
        expected, result.records, all_decisions=scenario.expect_all_decisions, tolerance=tolerance
    )
    return [f"{name}: {line}" for line in report.diff_lines()]


class Lanes:
    """At most `AT_ONCE` runs at a time, each started `STAGGER` after the one before."""

    def __init__(self) -> None:
        self.running = asyncio.Semaphore(AT_ONCE)
        self.starting = asyncio.Lock()


async def _play(
    name: str, form: tuple[Spelling, WireShape], lanes: Lanes | None = None
) -> tuple[str, ReplayResult]:
    spelling, shape = form
    scenario = load_scenario(name)
    async with lanes.running if lanes else contextlib.nullcontext():
        if lanes is not None:
            async with lanes.starting:
                await asyncio.sleep(STAGGER)
        return name, await replay_wire(scenario, speed=SPEED, spelling=spelling, shape=shape)


async def test_every_scenario_meets_its_expect_over_the_wire() -> None:
    names = [name for name in list_scenarios() if name != "showcase"]
    names.sort(key=lambda name: -load_scenario(name).until)  # the longest start first
    await replay_wire(small_scenario(until=1), speed=SPEED)  # first use loads lazy imports
    # What earlier tests left behind is collected now and frozen out of the collector's
    # sight, so that a full collection does not stall the shared loop mid-run.
    gc.collect()
    gc.freeze()
    lag = LoopLag()
    monitor = asyncio.create_task(lag.measure())
    started, lanes = time.monotonic(), Lanes()
    try:
        runs = await asyncio.gather(
            *(_play(name, FORMS[i % len(FORMS)], lanes) for i, name in enumerate(names))
        )
    finally:
        gc.unfreeze()
        monitor.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await monitor
    elapsed = time.monotonic() - started

    # Every run shares one event loop: a stall of it delays each timed step of every run by
    # as much, so an expected time may be off by the worst stall seen as well.
    tolerance = TOLERANCE + lag.longest * SPEED
    virtual = {name: _events(replay(load_scenario(name)).records) for name in names}
    missed = [name for name, r in runs if _faults(name, r, tolerance, virtual[name])]
    # A scenario that missed while a dozen others shared its loop (the link's start-up is the
    # most timing-sensitive part: the clock is trusted only once a round trip is short) is
    # played once more on its own, in the same form, and must then be right in every way.
    again = {name: (await _play(name, FORMS[names.index(name) % len(FORMS)]))[1] for name in missed}
    faults = [
        line for name, r in again.items() for line in _faults(name, r, TOLERANCE, virtual[name])
    ]
    assert not faults, (
        f"over the wire, alone after missing among the others (the shared loop stalled for"
        f" {lag.longest * 1000:.0f} ms at worst):\n" + "\n".join(faults)
    )
    assert len(missed) <= len(names) // 4, f"too many scenarios missed together: {missed}"
    assert elapsed < BUDGET


def _faults(
    name: str, result: ReplayResult, tolerance: float, virtual: list[tuple[Any, ...]]
) -> list[str]:
    """What is wrong with one wire run: unmet expectations, warnings, other events."""
    lines = _unmet(name, result, tolerance)
    lines += [f"{name}: warning {w}" for w in result.warnings]
    if _events(result.records) != virtual:
        lines.append(f"{name}: the wire replay produced other events than the virtual one")
    return lines
