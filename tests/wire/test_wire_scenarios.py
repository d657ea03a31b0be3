"""Every fixture scenario (but the hour-long showcase) through the live client on loopback."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from wire_support import small_scenario

from fixtures.replay import ReplayResult, replay
from fixtures.scenario import list_scenarios, load_scenario
from fixtures.wire import replay_wire

SPEED = 10.0
"""The expect tolerance is 0.5 s of platform time: 50 ms of real time at this speed."""
STAGGER = 0.08
"""Real seconds between starts: a client's start-up costs tens of milliseconds of CPU in the
shared event loop, which would otherwise delay the runs already under way all at once."""
BUDGET = 60.0


def _events(records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["type"], r.get("conv"), r.get("agent"), r.get("reason")) for r in records]


async def _play(name: str, delay: float) -> tuple[str, ReplayResult]:
    await asyncio.sleep(delay)
    return name, await replay_wire(load_scenario(name), speed=SPEED)


async def test_every_scenario_meets_its_expect_over_the_wire() -> None:
    names = [name for name in list_scenarios() if name != "showcase"]
    names.sort(key=lambda name: -load_scenario(name).until)  # the longest start first
    await replay_wire(small_scenario(until=1), speed=SPEED)  # first use loads lazy imports
    started = time.monotonic()
    runs = await asyncio.gather(*(_play(name, i * STAGGER) for i, name in enumerate(names)))
    elapsed = time.monotonic() - started

    unmet = [f"{name}: {line}" for name, r in runs for line in r.report.diff_lines()]
    assert not unmet, "expect not met over the wire:\n" + "\n".join(unmet)
    assert {name: result.warnings for name, result in runs if result.warnings} == {}
    virtual = {name: _events(replay(load_scenario(name)).records) for name in names}
    differ = {name: _events(r.records) for name, r in runs if _events(r.records) != virtual[name]}
    assert differ == {}, "the wire replay produced other events than the virtual one"
    assert elapsed < BUDGET
