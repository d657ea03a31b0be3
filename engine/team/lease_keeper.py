"""Keeping the floor's lease: take it when it is free, renew it a third into its time to
live, and say at any moment whether this engine acts or watches (and who acts).

Whether it acts is worked out from the last grant and the clock (`engine.core.lease_rule`),
never from whether the last renewal came back: an engine whose renewals stall (the
database out of reach, the process paused) stops acting when its lease surely ends, which
is before another engine can take it. A watching engine asks for the lease every third of
the time to live, so it takes over within the time to live plus one renewal after the
holder's last renewal. The store calls block: `keep_lease` runs them in a worker thread.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Protocol

from engine.core import lease_rule
from engine.core.lease_rule import FloorDashboard, Role
from engine.store.errors import StorageFaultError
from engine.store.pg import LeaseGrant, LeaseHolder


def engine_name(supervisor: str) -> str:
    """This engine's name on the floor: `<supervisor>@<host>:<pid>` (a restart is another
    engine: it takes the lease under a new epoch)."""
    return f"{supervisor}@{socket.gethostname()}:{os.getpid()}"


class LeaseStore(Protocol):
    """The lease calls of the shared store (engine.store.pg.PgStore)."""

    @property
    def grant(self) -> LeaseGrant | None: ...

    def acquire(self, ttl: float) -> LeaseGrant | None: ...

    def renew(self, ttl: float) -> LeaseGrant | None: ...

    def release(self) -> None: ...

    def holder(self) -> LeaseHolder | None: ...

    def seen(self) -> None: ...

    def leave(self) -> None: ...

    def dashboards(self, within: float) -> tuple[FloorDashboard, ...]: ...


class LeaseKeeper:
    def __init__(
        self,
        store: LeaseStore,
        ttl: float,
        *,
        action_timeout: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`action_timeout`: how long an unassign may take (its request's timeout)."""
        self._store = store
        self.ttl = ttl
        self.action_timeout = action_timeout
        self.clock = clock
        """The monotonic clock the lease is counted on."""
        self._holder: str | None = None
        self._error = ""
        self._dashboards: tuple[FloorDashboard, ...] = ()

    def step(self) -> float:
        """Acquire or renew the lease, as due (blocking); returns when to step again."""
        grant = self._store.grant
        now = self.clock()
        try:
            if grant is None or not lease_rule.may_act(grant.term, now):
                grant = self._store.acquire(self.ttl)
            elif lease_rule.renew_due(grant.term, now):
                grant = self._store.renew(self.ttl)
            holding = self._store.holder() if grant is None else None
            self._holder = holding.holder if holding is not None else None
            self._store.seen()
            self._dashboards = self._store.dashboards(self.ttl)
            self._error = ""
        except StorageFaultError as e:
            self._error = str(e)
        if grant is not None and lease_rule.may_act(grant.term, self.clock()):
            return lease_rule.renew_at(grant.term)
        return now + self.ttl / lease_rule.RENEWALS_PER_TTL

    def role(self) -> Role:
        grant = self._store.grant
        if grant is not None and lease_rule.may_act(grant.term, self.clock()):
            return Role(True, grant.holder)
        return Role(False, self._holder, self._error)

    def may_send(self) -> bool:
        """Whether an unassign may go out now (the lease outlasts its timeout)."""
        grant = self._store.grant
        term = grant.term if grant is not None else None
        return lease_rule.may_send(term, self.clock(), self.action_timeout)

    def dashboards(self) -> tuple[FloorDashboard, ...]:
        """The floor's dashboards as of the last step (no I/O)."""
        return self._dashboards

    def release(self) -> None:
        """Give the lease up and leave the floor (a clean stop), so another engine takes over
        at once."""
        with suppress(StorageFaultError):
            self._store.release()
        with suppress(StorageFaultError):
            self._store.leave()


async def keep_lease(keeper: LeaseKeeper, stop: asyncio.Event | None = None) -> None:
    """Keep the lease until `stop` is set (or the task is cancelled), then release it."""
    stop = stop or asyncio.Event()
    try:
        while not stop.is_set():
            wake = await asyncio.to_thread(keeper.step)
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, wake - keeper.clock()))
    finally:
        await asyncio.to_thread(keeper.release)
