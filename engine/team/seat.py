"""This engine's seat on a team floor: whether it acts, and the shared state it takes up
when it begins to act (`engine.service.FloorService` asks through `Seat`)."""

from __future__ import annotations

from engine.core.lease_rule import Role
from engine.core.overrides import Overrides
from engine.store.pg import PgStore
from engine.team.lease_keeper import LeaseKeeper, keep_lease


class TeamSeat:
    def __init__(self, keeper: LeaseKeeper, store: PgStore) -> None:
        self.keeper = keeper
        self._store = store

    def role(self) -> Role:
        return self.keeper.role()

    def may_send(self) -> bool:
        return self.keeper.may_send()

    def shared(self) -> tuple[Overrides, frozenset[str]]:
        """The floor's overrides and every wait decided on it (blocking; raises
        `StorageFaultError` when the database cannot answer)."""
        return self._store.load_overrides(), self._store.decided_keys()

    async def keep(self) -> None:
        await keep_lease(self.keeper)
