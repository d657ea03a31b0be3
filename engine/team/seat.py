"""This engine's seat on a team floor: whether it acts, the shared state it takes up when it
begins to act, and the other dashboards' commands as they commit (`engine.service.Seat`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from engine.core.lease_rule import FloorDashboard, Role
from engine.core.overrides import Overrides
from engine.core.policy import Policy
from engine.core.recall import RECALL_SECONDS, RECALLED_TYPES
from engine.store.contract import TakenUp
from engine.store.errors import StorageFaultError
from engine.store.pg import PgStore
from engine.store.pg.listen import FloorListener
from engine.team.lease_keeper import LeaseKeeper, keep_lease

LISTEN_SECONDS = 1.0
"""How long one wait for news lasts (a stop is heard within it)."""


class TeamSeat:
    def __init__(self, keeper: LeaseKeeper, store: PgStore, url: str) -> None:
        self.keeper = keeper
        self._store = store
        self._url = url

    def role(self) -> Role:
        return self.keeper.role()

    def may_send(self) -> bool:
        return self.keeper.may_send()

    def dashboards(self) -> tuple[FloorDashboard, ...]:
        return self.keeper.dashboards()

    def shared(self) -> TakenUp:
        """The floor's overrides, every wait decided on it and its unassigns of the last hour
        (blocking; raises `StorageFaultError` when the database cannot answer)."""
        store = self._store
        recent = store.recent(RECALLED_TYPES, RECALL_SECONDS)
        return TakenUp(store.load_overrides(), store.decided_keys(), recent)

    async def keep(self, on_change: Callable[[Overrides | None, Policy | None], None]) -> None:
        """Keep the lease and follow the floor until cancelled."""
        await asyncio.gather(keep_lease(self.keeper), self.follow(on_change))

    async def follow(self, on_change: Callable[[Overrides | None, Policy | None], None]) -> None:
        """Hear every change of the floor's overrides and policy after now (each None when
        unchanged), by version (a change made while the connection was down is read once it
        is back), until cancelled."""
        listener = FloorListener(self._url, self._store.floor)
        version: int | None = None
        try:
            while True:
                woke = await asyncio.to_thread(listener.wait, LISTEN_SECONDS)
                try:
                    if version is None:
                        version = await asyncio.to_thread(self._store.version)
                    elif woke:
                        changes = await asyncio.to_thread(self._store.changes_since, version)
                        version = changes.version
                        if changes.overrides is not None or changes.policy is not None:
                            on_change(changes.overrides, changes.policy)
                except StorageFaultError:
                    continue  # read again once the database answers: the version is kept
        finally:
            listener.close()
