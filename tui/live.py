"""The dashboard beside a running platform link (`floorwatch demo` and `floorwatch watch`).

The CLI builds the live floor; this module only runs the app and the link together on one
event loop: quitting the app stops the link, and a link that gives up closes the app.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from engine.core.ports import Clock
from engine.core.summary import FeedStatus
from engine.service import FloorService
from tui.app import FloorwatchApp

APP_START_POLL = 0.05
"""Seconds between checks that the app runs, before a failed link may close it."""


class LinkEnded(Exception):  # noqa: N818 (an outcome the CLI reports, not a bug)
    """The link returned on its own while the app still ran."""


async def run_dashboard(
    service: FloorService,
    clock: Clock,
    *,
    feed_status: Callable[[], FeedStatus],
    link: Coroutine[Any, Any, None],
    stop_link: Callable[[], None],
) -> BaseException | None:
    """Run the app until the user quits while `link` runs as a task on the same loop.

    On quitting, `stop_link()` is called and the link awaited. Returns what ended the link
    early (its exception, or `LinkEnded`), or None after a normal quit.
    """
    app = FloorwatchApp(service, clock, feed_status=feed_status)
    link_task = asyncio.create_task(link)

    async def close_app_when_link_ends() -> None:
        await asyncio.gather(link_task, return_exceptions=True)
        while not app.is_running:
            await asyncio.sleep(APP_START_POLL)
        app.exit(return_code=1)

    watcher = asyncio.create_task(close_app_when_link_ends())
    try:
        await app.run_async()
    finally:
        ended_early = link_task.done()
        watcher.cancel()
        stop_link()
        link_result, _ = await asyncio.gather(link_task, watcher, return_exceptions=True)
    if isinstance(link_result, Exception):
        return link_result
    return LinkEnded("the platform link stopped") if ended_early else None
