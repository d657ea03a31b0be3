"""Take the README's screenshots from the showcase demo, mid-run (`.venv/bin/python
docs/screenshots.py`): the same fixture platform and live client as `floorwatch demo`, the
app driven by keys in a headless terminal, each view saved as SVG under docs/."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

from fixtures.console import load_or_report
from fixtures.platform.server import serve
from fixtures.wire import scaled_clock
from engine.core.timeline import Moment
from engine.runner import LiveFloor
from tui.app import FloorwatchApp
from tui.demo import demo_config
from tui.live import link_feed_status
from tui.screens.main import MainScreen

DOCS = Path(__file__).parent
SIZE = (160, 45)
SPEED = 2.0
WARM_UP = 25.0
"""Wall seconds of the showcase (at `SPEED`) before the first screenshot."""
VIEWS = (
    ("main-screen", ()),
    ("queue-view", ("6",)),
    ("skills-view", ("7",)),
    ("agents-view", ("tab",)),
    ("detail-view", ("enter",)),
    ("thresholds-preview", ("t", "down", "right", "backspace", "backspace", "backspace", "9",
                            "0", "ctrl+s")),
)


def _returned_and_routed(floor: LiveFloor) -> str:
    """A watched conversation Floorwatch returned to the queue and routing gave to another
    agent: the detail with the most to show."""
    read = floor.service.read
    watched = list(read.watched_ids())
    for conv_id in watched:
        detail = read.detail(conv_id)
        if detail is not None and any(s.moment is Moment.QUEUED for s in detail.history.steps):
            return conv_id
    with_audit = (conv_id for conv_id in watched if floor.service.audit_of(conv_id))
    return next(with_audit, watched[0])


async def main() -> None:
    scenario = load_or_report("showcase")
    assert scenario is not None
    server = await serve(scenario, speed=SPEED)
    data_dir = Path(tempfile.mkdtemp(prefix="floorwatch-shots-"))
    try:
        config = demo_config(server, scenario, data_dir / "floor.sqlite3")
        floor = LiveFloor.open(config, clock=scaled_clock(server.speed))
        app = FloorwatchApp(floor.service, floor.clock, feed_status=link_feed_status(floor))
        link = asyncio.create_task(floor.run())
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(WARM_UP)
            main = app.screen_stack[0]
            assert isinstance(main, MainScreen)
            for name, keys in VIEWS:
                if name == "detail-view":
                    main.table.select(_returned_and_routed(floor))
                await pilot.press(*keys)
                await pilot.pause(1.2)
                app.save_screenshot(f"{name}.svg", path=str(DOCS))
                print(f"docs/{name}.svg")
                while len(app.screen_stack) > 1:
                    await pilot.press("escape")
                    await pilot.pause(0.3)
                main.table.focus()
        floor.stop()
        await asyncio.gather(link, return_exceptions=True)
        floor.close()
    finally:
        await server.close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
