"""One table at one size, in a process of its own: `python -m bench.probe KIND PART SIZE`.

KIND is `ours` (the real `FloorwatchApp` and its `MainScreen`) or `datatable` (the fair
`DataTable` app); both run headless at 160x50 over a real `FloorService` fed by
`bench.floors`. PART is `keys` (mount, memory, poll, idle, tick and the keys) or `feed`
(the feed batches, on a floor of its own). Each measure is printed as one JSON line as soon
as it is taken, so a parent that stops this process at its cap keeps what finished. Every key
and step is timed from the key press (or the step) to the next frame: it includes the
frame timer, whose own cost is the `floor` measure (`bench.frames`). Each figure is the
median of `--samples` runs.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import statistics
import time
from collections.abc import Callable, Hashable
from typing import Protocol

from textual.pilot import Pilot

from bench.fair_table import FairDataTableApp
from bench.floors import batch_events, watched_floor
from bench.frames import Frames, State
from engine.link.session import LinkSession
from engine.service import FloorService
from tui.app import FloorwatchApp
from tui.screens.main import MainScreen

SCREEN = (160, 50)
KINDS = ("ours", "datatable")
MEASURES = (
    "mount", "rss", "floor", "poll", "idle_cpu", "idle_lag",
    "tick", "cursor", "page", "sort", "reverse", "filter", "batch",
)  # fmt: skip
"""In the order taken; `rss` is bytes per conversation, `idle_cpu` a share of one core."""
TIMED = ("tick", "cursor", "page", "sort", "reverse", "filter", "batch")
CPU = {name: f"{name}_cpu" for name in TIMED}
"""Beside each timing, the process's CPU time over it: the work done, without the idle wait
for the frame timer, so a small figure is not noise over the floor."""
PARTS = {"keys": MEASURES[:-1], "feed": ("batch", CPU["batch"])}
"""Run as two processes, each with its own cap, so a slow filter does not hide the batch."""
FILTER_KEYS = ("a", "1", "2", "backspace", "backspace", "backspace")
TIMEOUT = 600.0
"""A frame not drawn by then is a failure (the parent's cap stops the probe sooner)."""


class BenchClock:
    """Wall time from 0 (the floor's start), which `skip` moves ahead: a countdown tick."""

    def __init__(self) -> None:
        self._start = time.perf_counter()

    def now(self) -> float:
        return time.perf_counter() - self._start

    def skip(self, seconds: float) -> None:
        self._start -= seconds


class Table(Protocol):
    """What the probe drives, the same for both tables."""

    clock: BenchClock

    def tick(self) -> None:
        """A second passes: the countdown's repaint."""

    def repaint(self) -> None:
        """The table asks for a repaint, nothing changed: the frame timer's floor."""

    def state(self) -> Hashable:
        """What the keys change: cursor, sort and filter."""

    def poll(self) -> None: ...
    def apply_feed(self) -> None: ...


class Ours:
    def __init__(self, app: FloorwatchApp, clock: BenchClock) -> None:
        screen = app.screen_stack[0]
        assert isinstance(screen, MainScreen)
        self.screen, self.clock = screen, clock

    def tick(self) -> None:
        self.clock.skip(1.0)
        self.screen.table.refresh()

    def repaint(self) -> None:
        self.screen.table.refresh()

    def state(self) -> Hashable:
        table = self.screen.table
        cursor = table.cursor
        return cursor.conv_id if cursor else None, table.sort, table.filter_text

    def poll(self) -> None:
        self.screen._poll()

    def apply_feed(self) -> None:
        self.screen.apply_feed()


class Theirs:
    def __init__(self, app: FairDataTableApp, clock: BenchClock) -> None:
        self.app, self.clock = app, clock

    def tick(self) -> None:
        self.clock.skip(1.0)
        self.app.tick()

    def repaint(self) -> None:
        self.app.table.refresh()

    def state(self) -> Hashable:
        app = self.app
        return app.table.cursor_coordinate.row, app.sort_column, app.reverse, app.filtered_by

    def poll(self) -> None:
        self.app.tick()

    def apply_feed(self) -> None:
        self.app.apply_feed()


def resident() -> int:
    """This process's resident memory, in bytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def say(measure: str, value: float, samples: int = 1) -> None:
    print(json.dumps({"measure": measure, "value": value, "samples": samples}), flush=True)


async def idle(seconds: float) -> tuple[float, float]:
    """Share of a core used, and the longest the loop was late, over `seconds` of idling."""
    step, late = 0.02, 0.0
    cpu, start = time.process_time(), time.perf_counter()
    while time.perf_counter() - start < seconds:
        before = time.perf_counter()
        await asyncio.sleep(step)
        late = max(late, time.perf_counter() - before - step)
    return (time.process_time() - cpu) / (time.perf_counter() - start), late


async def probe(kind: str, part: str, size: int, samples: int, idle_seconds: float) -> None:
    gc.collect()
    before = resident()
    clock = BenchClock()
    session = LinkSession(brand_id="12345678", request_timeout=math.inf)
    service = FloorService(watched_floor(size), session)
    app: FloorwatchApp | FairDataTableApp
    app = FloorwatchApp(service, clock) if kind == "ours" else FairDataTableApp(service, clock.now)
    start = time.perf_counter()
    async with app.run_test(size=SCREEN) as pilot:
        await pilot.pause()
        mount = time.perf_counter() - start
        table: Table = Ours(app, clock) if isinstance(app, FloorwatchApp) else Theirs(app, clock)
        frames = Frames(app)
        if part == "feed":
            await _batches(pilot, frames, table, service, size=size, samples=samples)
            return
        say("mount", mount)
        gc.collect()
        say("rss", (resident() - before) / size)
        await _keys(pilot, frames, table, samples=samples, idle_s=idle_seconds)


async def _keys(
    pilot: Pilot[None], frames: Frames, table: Table, *, samples: int, idle_s: float
) -> None:
    async def timed(
        name: str, act: Callable[[], None], state: State | None = table.state, runs: int = samples
    ) -> None:
        seconds, cpu = [], []
        for _ in range(runs):
            await pilot.pause()  # settled, untimed: no frame is due from before
            took, work = await frames.after(act, state, TIMEOUT)
            seconds.append(took)
            cpu.append(work)
        say(name, statistics.median(seconds), runs)
        if name in CPU:
            say(CPU[name], statistics.median(cpu), runs)

    await timed("floor", table.repaint, None)
    polls = []
    for _ in range(samples):
        start = time.perf_counter()
        table.poll()
        polls.append(time.perf_counter() - start)
        await pilot.pause()
    say("poll", statistics.median(polls), samples)
    cpu, late = await idle(idle_s)
    say("idle_cpu", cpu)
    say("idle_lag", late)

    await timed("tick", table.tick, None)
    await timed("cursor", frames.press("down"))
    await timed("page", frames.press("pagedown"))
    await timed("sort", frames.press("s"))
    await timed("reverse", frames.press("S"))
    await pilot.press("slash")
    keys = iter(FILTER_KEYS)  # "a", "a1", "a12", then back to "" (every row again)

    def type_on() -> None:
        frames.press(next(keys))()

    await timed("filter", type_on, runs=len(FILTER_KEYS))
    await pilot.press("escape")


async def _batches(
    pilot: Pilot[None],
    frames: Frames,
    table: Table,
    service: FloorService,
    *,
    size: int,
    samples: int,
) -> None:
    seconds, cpu = [], []
    for number in range(samples):  # the feed's changes applied first, untimed
        service.apply(batch_events(service.read, size, number), table.clock.now())
        await pilot.pause()
        took, work = await frames.after(table.apply_feed, None, TIMEOUT)
        seconds.append(took)
        cpu.append(work)
    say("batch", statistics.median(seconds), samples)
    say(CPU["batch"], statistics.median(cpu), samples)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.probe")
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("part", choices=tuple(PARTS))
    parser.add_argument("size", type=int)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--idle", type=float, default=3.0, help="seconds of idling measured")
    args = parser.parse_args()
    asyncio.run(probe(args.kind, args.part, args.size, args.samples, args.idle))


if __name__ == "__main__":
    main()
