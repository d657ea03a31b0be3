"""The dashboard beside a running platform link (`floorwatch demo` and `floorwatch watch`).

`dashboard(floor)` runs the app and `floor.run()` together on one event loop: quitting the
app stops the link, and a link that gives up closes the app (exit code 1, with the reason).
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from engine.config import FloorwatchConfig
from engine.config_file import ConfigError
from engine.core.ports import Clock
from engine.link.errors import LinkError, LoginRefused
from engine.runner import LiveFloor
from engine.service import FloorService
from engine.status import FeedStatus
from tui.app import FloorwatchApp
from tui.keymap import keymap_problems

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
    keymap: Mapping[str, str] | None = None,
) -> BaseException | None:
    """Run the app until the user quits while `link` runs as a task on the same loop.

    On quitting, `stop_link()` is called and the link awaited. Returns what ended the link
    early (its exception, or `LinkEnded`), or None after a normal quit.
    """
    app = FloorwatchApp(service, clock, feed_status=feed_status, keymap=keymap)
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


def link_feed_status(floor: LiveFloor) -> Callable[[], FeedStatus]:
    """The header's feed status, from what the link knows."""
    return lambda: floor.status


def describe_link_failure(exc: BaseException) -> str:
    if isinstance(exc, LoginRefused):
        text = str(exc)
        return text if text.startswith("login refused") else f"login refused: {text}"
    if isinstance(exc, LinkError):
        return f"the platform link failed: {exc}"
    if isinstance(exc, LinkEnded):
        return str(exc)
    return f"the platform link failed: {type(exc).__name__}: {exc}"


def check_keymap(config: FloorwatchConfig) -> None:
    """Raise `ConfigError` naming every id of the `keymap` setting that no binding has."""
    problems = keymap_problems(config.keymap)
    if problems:
        raise ConfigError(problems)


def print_config_error(exc: ConfigError) -> None:
    print("invalid configuration:", file=sys.stderr)
    for line in exc.lines:
        print(f"  {line}", file=sys.stderr)


async def dashboard(floor: LiveFloor, keymap: Mapping[str, str] | None = None) -> int:
    """The TUI on `floor` until the user quits; 1 when the link gives up first."""
    failure = await run_dashboard(
        floor.service,
        floor.clock,
        feed_status=link_feed_status(floor),
        link=floor.run(),
        stop_link=floor.stop,
        keymap=keymap,
    )
    print_unsaved(floor.service)
    if failure is not None:
        print(describe_link_failure(failure), file=sys.stderr)
        return 1
    return 0


def print_unsaved(service: FloorService) -> None:
    """Audit events never saved (the data file was lost, the disk full) go to stderr, one JSON
    line each, so that nothing is lost when Floorwatch stops."""
    unsaved = service.unsaved_events()
    if unsaved:
        print(f"floorwatch: {len(unsaved)} audit events not saved:", file=sys.stderr)
        for event in unsaved:
            print(json.dumps(event.to_record()), file=sys.stderr)
