"""Key to frame, timed by the frames themselves, the same for both tables.

A key (or a step) starts the clock; the first frame the app draws once its state shows the
key's effect stops it. The app's own frame timer is the floor under every such timing (a
repaint waits for the next frame); `floor` measures it alone. No harness wait is inside a
timing: Textual's `Pilot` waits for the process to idle (twice per key and once per pause,
at least 20 ms each) and posts a callback to every widget of the screen, a cost that grows
with the screen's widgets, not with the table.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Hashable
from typing import Any

from rich.console import RenderableType
from textual import events
from textual.app import App
from textual.screen import Screen

State = Callable[[], Hashable]
"""What a key changes (cursor, sort, filter): the frame that counts is the first drawn after
it changed."""
Stamp = tuple[float, float]
"""When a frame was drawn: `time.perf_counter()` and `time.process_time()`."""


class Frames:
    """Hooks the app's display: each frame drawn is checked against the state awaited."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._display = app._display
        app._display = self._drawn  # type: ignore[method-assign]
        self._awaited: tuple[State | None, Hashable, asyncio.Future[Stamp]] | None = None

    def _drawn(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        self._display(screen, renderable)
        if renderable is None or self._awaited is None:
            return
        state, before, drawn = self._awaited
        if (state is None or state() != before) and not drawn.done():
            drawn.set_result((time.perf_counter(), time.process_time()))
            self._awaited = None

    async def after(
        self, act: Callable[[], None], state: State | None, timeout: float
    ) -> tuple[float, float]:
        """Seconds and CPU seconds from `act` to the first frame drawn once `state` changed
        (None: the first frame drawn after `act`)."""
        drawn: asyncio.Future[Stamp] = asyncio.get_running_loop().create_future()
        start, work = time.perf_counter(), time.process_time()
        self._awaited = (state, state() if state is not None else None, drawn)
        act()
        end, worked = await asyncio.wait_for(drawn, timeout)
        return end - start, worked - work

    def press(self, key: str) -> Callable[[], None]:
        """An act: the key as the terminal's driver delivers it."""
        driver = self._app._driver
        assert driver is not None
        char = key if len(key) == 1 else None
        return lambda: driver.send_message(events.Key(key, char))
