"""Live mode: the service wired to the real platform over websocket and REST.

`LiveFloor.open(config)` opens the data file and builds engine, session and service (the
TUI reads `floor.service` at once); `await floor.run()` looks up the domains, logs in, and
runs the feed (reconnecting), presence polling, the tick loop and the login refresh until
`floor.stop()`. `run_live(config)` does both and closes the data file at the end.
Engine time is platform time: `floor.clock.now()`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from engine.config import FloorwatchConfig
from engine.core import AgentChanged, AuditEvent
from engine.feed_health import LinkFacts, feed_status
from engine.link.auth import AgentLogin
from engine.link.backoff import Backoff
from engine.link.client import FeedClient, FeedSettings
from engine.link.clock import PlatformClock
from engine.link.errors import LinkError
from engine.link.output import LinkStats
from engine.link.presence import PresencePoller
from engine.link.redact import redacting_logger
from engine.link.rest import AGENT_VEP, MESSAGING, MSG_HIST, REQUIRED_SERVICES, RestClient
from engine.link.session import LinkSession
from engine.link.tls import trust
from engine.restored import restored_engine
from engine.service import FloorService, Seat
from engine.status import FeedStatus
from engine.store.contract import FloorStore
from engine.team.opening import open_floor_store

log = redacting_logger("floorwatch.runner")

_T = TypeVar("_T")


class LiveFloor:
    """One live dashboard's engine, service and platform link."""

    def __init__(
        self,
        config: FloorwatchConfig,
        store: FloorStore,
        *,
        on_audit: Callable[[AuditEvent], None] | None = None,
        clock: PlatformClock | None = None,
        seat: Seat | None = None,
    ) -> None:
        """`clock`: engine time (default: learned from the platform over the monotonic clock;
        the loopback fixtures pass one that runs at their speed)."""
        self._config = config
        self._store = store
        self.seat = seat
        self.clock = clock or PlatformClock()
        self.session = LinkSession(
            brand_id=config.account,
            push_presence=config.presence == "push",
            request_timeout=config.request_timeout,
            keepalive_interval=config.keepalive_interval,
            max_frame_bytes=config.max_frame_bytes,
            spelling=config.spelling,
        )
        self._tls = trust(config.ca_file)
        self.service = FloorService(
            restored_engine(config, store),
            self.session,
            store=store,
            supervisor=config.supervisor or config.username,
            polled_presence=config.presence == "poll",
            on_ready=self._ready,
            clock=self.clock,
            seat=seat,
        )
        if on_audit is not None:
            self.service.subscribe(on_audit)
        self._stop = asyncio.Event()
        self._time_known = asyncio.Event()
        self._stopped = False
        self._detail = ""
        self._retry_at: float | None = None
        """When the next start-up attempt (domain lookup, login) begins, while one is awaited."""
        self._client: FeedClient | None = None
        self._poller: PresencePoller | None = None

    @classmethod
    def open(
        cls,
        config: FloorwatchConfig,
        *,
        on_audit: Callable[[AuditEvent], None] | None = None,
        clock: PlatformClock | None = None,
    ) -> LiveFloor:
        """Open the data file (policy and overrides restored from it) and build the floor."""
        store, seat = open_floor_store(config)
        try:
            return cls(config, store, on_audit=on_audit, clock=clock, seat=seat)
        except BaseException:
            store.close()
            raise

    @property
    def stats(self) -> LinkStats:
        return self.session.stats

    @property
    def status(self) -> FeedStatus:
        client, poller = self._client, self._poller
        facts = LinkFacts(
            now=self.clock.now(),
            proof=self.service.proof,
            stopped=self._stopped,
            synced_once=client is not None and client.synced_once,
            synced=self.service.synced,
            oldest_request=self.session.oldest_request(),
            detail=self._detail,
            link_error=client.last_error if client is not None else None,
            poll_error=poller.last_error if poller is not None else None,
            storage_problem=self.service.storage_problem,
            clock_problem=self.clock.describe(),
            retry_at=client.retry_at if client is not None else self._retry_at,
        )
        config = self._config
        polled = config.poll_interval if config.presence == "poll" else 0.0
        expected = max(config.keepalive_interval, polled)
        return feed_status(facts, expected_lag=expected, request_timeout=config.request_timeout)

    def stop(self) -> None:
        """Ask `run()` to disconnect and return."""
        self._stop.set()

    def close(self) -> None:
        """Close the data file (after `run()` has returned), and one `save_to` opened."""
        self.service.close()
        self._store.close()

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Connect and keep the floor live until `stop()` (or `stop` is set).

        Raises `LoginRefused`, or a `LinkError` that retrying cannot fix.
        """
        body = asyncio.create_task(self._run())
        waiters = [asyncio.create_task(event.wait()) for event in (self._stop, stop) if event]
        try:
            done, _ = await asyncio.wait([body, *waiters], return_when=asyncio.FIRST_COMPLETED)
            if body in done:
                body.result()
        except Exception as exc:
            self._detail = str(exc)
            raise
        finally:
            for task in (body, *waiters):
                task.cancel()
            await asyncio.gather(body, *waiters, return_exceptions=True)
            self._stopped = True

    # ------------------------------------------------------------------ internals

    async def _run(self) -> None:
        config = self._config
        async with RestClient(
            insecure_http=config.insecure_http, timeout=config.request_timeout, tls=self._tls
        ) as rest:
            polled = config.presence == "poll"
            used = (*REQUIRED_SERVICES, MSG_HIST) if polled else REQUIRED_SERVICES
            domains = await self._retry(
                "domain lookup", lambda: rest.lookup_domains(config.csds_url, config.account, used)
            )
            msg_hist = self._presence_host(domains)
            auth = AgentLogin(
                rest,
                agent_vep=domains[AGENT_VEP],
                account=config.account,
                username=config.username,
                password=config.password,
            )
            await self._retry("login", auth.login)
            if auth.server_time is not None:
                self.clock.hint(auth.server_time)
                self._time_known.set()
            client = self._client = self._feed_client(domains[MESSAGING], auth)
            lookup = lambda: rest.lookup_domains(config.csds_url, config.account)  # noqa: E731
            refresher = auth.keep_refreshed(config.refresh_interval, lookup)
            workers = [client.run(), self._ticker(client), refresher, *self._seat_keeper()]
            if msg_hist is not None:
                self._poller = self._presence_poller(rest, msg_hist, auth)
                workers.append(self._poller.run())
            await _run_all(workers)

    def _seat_keeper(self) -> list[Coroutine[Any, Any, None]]:
        if self.seat is None:
            return []
        return [
            self.seat.keep(
                lambda saved, policy: self.service.floor_changed(saved, self.clock.now(), policy)
            )
        ]

    def _feed_client(self, host: str, auth: AgentLogin) -> FeedClient:
        config = self._config
        return FeedClient(
            self.service,
            host=host,
            account=config.account,
            bearer=lambda: auth.bearer,
            relogin=auth.renew,
            clock=self.clock,
            settings=FeedSettings(
                max_frame_bytes=config.max_frame_bytes,
                open_timeout=config.request_timeout,
                insecure=config.insecure_http,
                tls=self._tls,
            ),
            backoff=self._backoff(),
        )

    def _presence_poller(self, rest: RestClient, host: str, auth: AgentLogin) -> PresencePoller:
        account = self._config.account
        return PresencePoller(
            lambda: auth.with_bearer(lambda bearer: rest.agent_view(host, account, bearer)),
            self.clock.now,
            self._on_presence,
            self._config.poll_interval,
        )

    def _presence_host(self, domains: dict[str, str]) -> str | None:
        """The Agent Metrics host when presence is polled (None when pushed)."""
        if self._config.presence == "push":
            return None
        host = domains.get(MSG_HIST)
        if host is None:
            raise LinkError(
                f"domain lookup: account {self._config.account} has no {MSG_HIST} service, "
                "needed to poll presence (set presence: push)",
                retryable=False,
            )
        return host

    async def time_known(self) -> None:
        """Wait until the platform has said what time it is (the login, else a GetClock)."""
        await self._time_known.wait()

    def _ready(self) -> None:
        """The service's outward port: frames to send, or a presence reading wanted."""
        if self.clock.known:
            self._time_known.set()
        if self._client is not None:
            self._client.wake()
        if self.service.take_presence_request() and self._poller is not None:
            self._poller.request()

    def _on_presence(self, agents: list[AgentChanged], taken_at: float) -> None:
        self.service.presence_read(agents, taken_at, self.clock.now())

    def _backoff(self) -> Backoff:
        settings = self._config.reconnect
        return Backoff(base=settings.base, factor=settings.factor, cap=settings.cap)

    async def _retry(self, what: str, call: Callable[[], Awaitable[_T]]) -> _T:
        backoff = self._backoff()
        while True:
            try:
                result = await call()
            except LinkError as exc:
                if not exc.retryable:
                    raise
                self._detail = str(exc)
                delay = backoff.next_delay()
                log.warning("%s failed: %s; retrying in %.2f s", what, exc, delay)
                self._retry_at = self.clock.now() + delay
                await asyncio.sleep(delay)
                self._retry_at = None
            else:
                self._detail = ""
                return result

    async def _ticker(self, client: FeedClient) -> None:
        while True:
            await asyncio.sleep(self._config.tick_interval)
            reconnect = self.service.timer(self.clock.now())
            if reconnect is not None:
                client.drop(reconnect)


async def _run_all(workers: list[Coroutine[Any, Any, None]]) -> None:
    """Run `workers` together until one fails (they run forever otherwise)."""
    tasks = [asyncio.create_task(worker) for worker in workers]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            task.result()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def run_live(
    config: FloorwatchConfig,
    *,
    on_audit: Callable[[AuditEvent], None] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run a live floor headless until `stop` is set; closes the data file at the end."""
    floor = LiveFloor.open(config, on_audit=on_audit)
    try:
        await floor.run(stop)
    finally:
        floor.close()
