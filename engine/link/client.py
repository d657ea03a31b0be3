"""The websocket transport: a thin asyncio loop around the floor's doors (sans-IO style).

It connects (with backoff), tells the driver (`engine.service.FloorService`) `connected`,
hands it every frame (`receive`, stamped with engine time; the driver corrects the clock from
GetClock answers), and one writer task sends `take_writes()` in order whenever it is woken
(`wake()`, which the driver's `on_ready` port calls). The driver's timer (the runner's
ticker) may ask for the connection to be reopened: `drop(reason)`. The brand URL carries the
bearer: it only ever appears redacted, in logs and in errors. Every failure to connect (bad
host or port, DNS, TLS, refused, reset) is a readable line and a retry with backoff; a URL
that would leave TLS (`UrlRefused`) ends `run()`.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
from websockets.frames import Close

from engine.core.ports import Clock
from engine.link.backoff import Backoff
from engine.link.errors import LinkError
from engine.link.output import LinkStats
from engine.link.redact import redact, redacting_logger
from engine.link.urls import service_root
from engine.protocol import MAX_FRAME_BYTES
from engine.protocol.errors import excerpt

log = redacting_logger("floorwatch.link.client")
_WS_LOG = redacting_logger("floorwatch.link.websocket")

API_VERSION = "2.1"
"""The socket's protocol version, as the official SDK (1.2.0) connects: 2.1 shows transfers to
an agent (a `SUGGESTED` participant state) that 2 does not."""
AUTH_CLOSE_CODES = frozenset({4401, 4407, 1008})
"""Close codes taken as "the bearer was refused": log in again before reconnecting. The SDK
1.2.0 treats no close code specially (it leaves reconnecting to its user); these come from a
later version of its repository and from what our fixture platform sends (4401)."""
MESSAGE_TOO_BIG = 1009
SOCKET_SIZE_FACTOR = 4
"""The socket accepts frames up to this many times the session's limit, so the session sees
(and counts) an oversized frame; beyond that the socket closes with 1009 and reconnects."""


class FeedDriver(Protocol):
    """What the client drives: the floor's link doors (engine.service.FloorService)."""

    @property
    def synced(self) -> bool: ...

    @property
    def stats(self) -> LinkStats: ...

    def connected(self, now: float) -> None: ...

    def disconnected(self, now: float, reason: str) -> None: ...

    def receive(self, raw: str | bytes, now: float) -> None: ...

    def take_writes(self) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class FeedSettings:
    max_frame_bytes: int = MAX_FRAME_BYTES
    open_timeout: float = 10.0
    insecure: bool = False
    """ws:// instead of wss:// (allowed for a loopback host only)."""
    tls: ssl.SSLContext | None = None
    """The authorities a wss:// connection trusts (None: the system's)."""


def brand_url(host: str, account: str, bearer: str, *, insecure: bool) -> str:
    """The agent ("brand") websocket URL. It contains the bearer: pass it through `redact`.
    Raises `UrlRefused` when it would leave TLS, `LinkError` when `host` is malformed."""
    root = service_root(
        host,
        source="the domain lookup",
        purpose="for asyncMessagingEnt",
        insecure=insecure,
        websocket=True,
    )
    account_part, bearer_part = quote(account, safe=""), quote(bearer, safe="")
    return f"{root}/ws_api/account/{account_part}/messaging/brand/{bearer_part}?v={API_VERSION}"


class FeedClient:
    """Keeps one connection open for `driver`: connect, serve, and on loss reconnect with
    backoff. `bearer()` gives the current bearer; `relogin(refused_bearer)` logs in again
    (after a 401/403 handshake or an authentication close code)."""

    def __init__(
        self,
        driver: FeedDriver,
        *,
        host: str,
        account: str,
        bearer: Callable[[], str],
        relogin: Callable[[str], Awaitable[object]],
        clock: Clock,
        settings: FeedSettings,
        backoff: Backoff | None = None,
    ) -> None:
        self._driver = driver
        self._host = host
        self._account = account
        self._bearer = bearer
        self._relogin = relogin
        self._clock = clock
        self._settings = settings
        self._backoff = backoff or Backoff()
        self._wake = asyncio.Event()
        self._drop_reason: str | None = None
        self._needs_login = False
        self._used_bearer = ""
        self._synced = False
        self.connected = False
        self.synced_once = False
        self.last_error: str | None = None
        self.retry_at: float | None = None
        """When the next connection attempt starts (engine time), while one is awaited."""

    # ------------------------------------------------------------------ driven by the runner

    def wake(self) -> None:
        """There are frames to send (the driver's `on_ready` port)."""
        self._wake.set()

    def drop(self, reason: str) -> None:
        """Close the connection (it will be reopened): the driver said it must be."""
        if self.connected and self._drop_reason is None:
            self._drop_reason = reason
            self._wake.set()

    async def run(self) -> None:
        """Connect and reconnect until cancelled; raises only what retrying cannot fix."""
        while True:
            if self._needs_login:
                try:
                    await self._relogin(self._used_bearer)
                except LinkError as exc:
                    if not exc.retryable:
                        raise
                    self.last_error = str(exc)
                    await self._pause(str(exc))
                    continue
                self._needs_login = False
            try:
                self.last_error = await self._connect_and_serve()
            except LinkError as exc:  # the URL: malformed (retried) or leaving TLS (not)
                if not exc.retryable:
                    raise
                self.last_error = str(exc)
            await self._pause(self.last_error)

    # ------------------------------------------------------------------ one connection

    async def _pause(self, reason: str) -> None:
        delay = self._backoff.next_delay()
        log.warning("feed down: %s; reconnecting in %.2f s", reason, delay)
        self.retry_at = self._clock.now() + delay
        try:
            await asyncio.sleep(delay)
        finally:
            self.retry_at = None

    async def _connect_and_serve(self) -> str:
        self._used_bearer = self._bearer()
        url = brand_url(
            self._host, self._account, self._used_bearer, insecure=self._settings.insecure
        )
        try:
            ws = await connect(
                url,
                max_size=self._settings.max_frame_bytes * SOCKET_SIZE_FACTOR,
                ping_interval=None,
                open_timeout=self._settings.open_timeout,
                close_timeout=1.0,
                proxy=None if self._settings.insecure else True,
                logger=_WS_LOG,
                ssl=None if self._settings.insecure else self._settings.tls,
            )
        except InvalidStatus as exc:
            status = exc.response.status_code
            self._needs_login = status in (401, 403)
            return f"connection refused: HTTP {status}"
        except (OSError, TimeoutError, ValueError, WebSocketException) as exc:
            return f"cannot reach {excerpt(self._host)} ({_describe(exc)})"
        log.info("feed connected to %s", redact(url))
        reason = "client stopped"
        self._start()
        try:
            reason = await self._serve(ws)
            return reason
        finally:
            self.connected, self._drop_reason = False, None
            await ws.close()
            self._driver.disconnected(self._clock.now(), reason)

    def _start(self) -> None:
        self.connected, self._synced, self._drop_reason = True, False, None
        self._wake.clear()
        self._driver.connected(self._clock.now())
        self._wake.set()

    async def _serve(self, ws: ClientConnection) -> str:
        """Read and write until the connection ends; returns why it ended."""
        reader = asyncio.create_task(self._read(ws))
        writer = asyncio.create_task(self._write(ws))
        try:
            done, _ = await asyncio.wait({reader, writer}, return_when=asyncio.FIRST_COMPLETED)
            if reader in done:
                return reader.result()
            reason = writer.result()
            return reason if reason is not None else await reader
        finally:
            for task in (reader, writer):
                task.cancel()
            await asyncio.gather(reader, writer, return_exceptions=True)

    async def _read(self, ws: ClientConnection) -> str:
        try:
            async for raw in ws:
                self._on_frame(raw)
        except ConnectionClosed:
            pass
        return self._closed(ws.protocol.close_rcvd, ws.protocol.close_sent)

    async def _write(self, ws: ClientConnection) -> str | None:
        """Flush the outbox on every wake; returns a reason to drop, or None once closed."""
        try:
            while True:
                await self._wake.wait()
                self._wake.clear()
                if self._drop_reason is not None:
                    return self._drop_reason
                for frame in self._driver.take_writes():
                    await ws.send(frame)
        except ConnectionClosed:
            return None

    def _on_frame(self, raw: str | bytes) -> None:
        driver = self._driver
        driver.receive(raw, self._clock.now())
        if driver.synced and not self._synced:
            self._synced = self.synced_once = True
            self._backoff.reset()
        self._wake.set()

    def _closed(self, received: Close | None, sent: Close | None) -> str:
        if received is not None and received.code in AUTH_CLOSE_CODES:
            self._needs_login = True
            return f"the platform refused the login (close code {received.code})"
        if sent is not None and sent.code == MESSAGE_TOO_BIG:
            self._driver.stats.dropped["oversized"] += 1
            return "a frame exceeded the size limit"
        if received is None:
            return "connection lost (no close frame)"
        text = f"closed by the platform (code {received.code}"
        return text + (f": {excerpt(redact(received.reason))})" if received.reason else ")")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    text = redact(str(exc))
    return f"{type(exc).__name__}: {excerpt(text)}" if text else type(exc).__name__
