"""`floorwatch demo`: the fixture platform on loopback and the dashboard connected to it
through the live client, as to the real platform (domain lookup, login, websocket).

The dashboard learns the platform's time from its GetClock answers, as in live mode, over a
local clock running at the demo's speed (`fixtures.wire.scaled_clock`), so at `--speed X` the
floor runs X times real time. The data file is a fresh temporary one, removed at the end: the demo
never touches the user's data. The scenario's own supervisor steps are applied as they come due.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

from engine.config import FloorwatchConfig
from engine.config_file import ConfigError
from engine.runner import LiveFloor
from engine.store import StoreError
from fixtures.platform.server import FixtureServer, serve
from fixtures.scenario import Scenario
from fixtures.supervise import steps_due, supervise
from fixtures.wire import loopback_config, scaled_clock
from tui.live import dashboard, print_config_error

DEMO_TICK = 0.25
"""Platform seconds between the demo floor's engine ticks."""
DEMO_RECONNECT = 1.0
"""Platform seconds before the demo floor reconnects after a drop."""


def demo_config(server: FixtureServer, scenario: Scenario, data_path: Path) -> FloorwatchConfig:
    """The live settings for the loopback platform (wall-clock periods scaled by its speed)."""
    return loopback_config(
        server, scenario, data_path, tick=DEMO_TICK, reconnect_delay=DEMO_RECONNECT
    )


async def _apply_supervisor_steps(server: FixtureServer, floor: LiveFloor) -> None:
    """The scenario's own supervisor steps, applied as they come due (refusals are ignored:
    the person at the keyboard may have acted first)."""
    async for _, step in steps_due(server, floor):
        supervise(floor.service, step, floor.clock.now(), server.origin)


async def _demo_floor(server: FixtureServer, scenario: Scenario, data_dir: Path) -> int:
    try:
        config = demo_config(server, scenario, data_dir / "floor.sqlite3")
        floor = LiveFloor.open(config, clock=scaled_clock(server.speed))
    except ConfigError as exc:
        print_config_error(exc)
        return 1
    except StoreError as exc:
        print(f"demo: cannot open the data file: {exc}", file=sys.stderr)
        return 1
    supervisor = asyncio.create_task(_apply_supervisor_steps(server, floor))
    try:
        return await dashboard(floor)
    finally:
        supervisor.cancel()
        await asyncio.gather(supervisor, return_exceptions=True)
        floor.close()


async def run_demo(scenario: Scenario, speed: float) -> int:
    try:
        server = await serve(scenario, speed=speed)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"demo: cannot start the fixture platform on loopback: {reason}", file=sys.stderr)
        return 1
    data_dir = Path(tempfile.mkdtemp(prefix="floorwatch-demo-"))
    try:
        return await _demo_floor(server, scenario, data_dir)
    finally:
        await server.close()
        shutil.rmtree(data_dir, ignore_errors=True)
