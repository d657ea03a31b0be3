"""Presence by polling: every agent's state from `agent-view/status`, on a timer or on demand."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from engine.core import AgentChanged
from engine.link.errors import LinkError
from engine.link.redact import redacting_logger
from engine.link.translate import presence_from_agent_view
from engine.protocol import AgentViewStatusResponse

log = redacting_logger("floorwatch.link.presence")

Fetch = Callable[[], Awaitable[AgentViewStatusResponse]]
OnReading = Callable[[list[AgentChanged], float], None]


class PresencePoller:
    """Polls every `interval` seconds, and at once after `request()`.

    `on_reading(agents, taken_at)` hears each reading with the platform time its request was
    sent: the reading reflects every state change before that time.
    """

    def __init__(
        self, fetch: Fetch, now: Callable[[], float], on_reading: OnReading, interval: float
    ) -> None:
        self._fetch = fetch
        self._now = now
        self._on_reading = on_reading
        self._interval = interval
        self._wanted = asyncio.Event()
        self.last_error: str | None = None

    def request(self) -> None:
        """Poll as soon as possible (after the poll under way, if any)."""
        self._wanted.set()

    async def run(self) -> None:
        while True:
            self._wanted.clear()
            await self._poll()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wanted.wait(), self._interval)

    async def _poll(self) -> None:
        """One reading; a failure is logged once per distinct error and retried later."""
        taken_at = self._now()
        try:
            response = await self._fetch()
        except LinkError as exc:
            if not exc.retryable:
                raise
            if str(exc) != self.last_error:
                log.warning("presence poll failed: %s", exc)
            self.last_error = str(exc)
            return
        if self.last_error is not None:
            log.info("presence poll recovered")
        self.last_error = None
        self._on_reading(presence_from_agent_view(response, taken_at), taken_at)
