"""The service's part on a team floor, beside its pump (`engine.service.FloorService`).

Before the engine acts it takes up the floor's shared overrides and decided waits (a takeover
then reads the floor afresh, so that the waits another engine decided resume under their
keys). While it watches, the other dashboards' commands reach it as they commit: holds and
releases, extensions, agent holds, dry run and the policy, each in place of what it had. A
decision the database refused because the lease was lost turns it to WATCHING with the
reason. And when the database was out of reach, the audit it kept is written once the lease
keeper reaches the database again, so that it may act again without a person at the keyboard.
"""

from __future__ import annotations

from engine.core import Engine
from engine.core.lease_rule import Role, watching
from engine.core.overrides import Overrides
from engine.core.policy import Policy
from engine.store import StoreError
from engine.store.contract import Seat
from engine.store.errors import StorageFaultError
from engine.store.saver import AuditSaver

RETRY_SECONDS = 2.0
"""How often the audit kept while the database was out of reach is written again (each try
may wait for the database's connect timeout)."""
TAKEN_OVER = "took the floor over: reading it afresh to resume its decided waits"


class TeamFloor:
    def __init__(self, seat: Seat, engine: Engine, saver: AuditSaver) -> None:
        self.seat = seat
        self._engine = engine
        self._saver = saver
        self._watched = False
        """This engine watched another act since it last took the floor's state up."""
        self._reread: str | None = None
        """Why the floor is to be read afresh (after a takeover)."""
        self._lease_lost: str | None = None
        """Why the last decisions were refused: the lease was lost before they were recorded."""
        self._retry_at = 0.0

    def take_up(self) -> bool:
        """Before acting: the floor's overrides and decided waits (decided waits still open
        are resumed under their keys) and its unassigns of the last hour (moves count against
        the hourly limit whichever engine made them). False while the shared store cannot be
        read."""
        try:
            shared = self.seat.shared()
        except StorageFaultError:
            return False
        self._engine.restore(shared.overrides, shared.decided)
        self._engine.recall(shared.recent)
        self._saver.took_up(self._engine.overrides())
        if self._watched:
            self._watched = False
            self._reread = TAKEN_OVER
        return True

    def take_reread(self) -> str | None:
        """Why the floor is to be read afresh, once (None: it is not)."""
        reread, self._reread = self._reread, None
        return reread

    def watching(self, role: Role) -> str:
        """What the engine is told as it begins to watch (and why, when its lease was lost
        under a decision)."""
        self._watched = True
        detail = watching(role)
        if self._lease_lost is not None:
            detail, self._lease_lost = f"{detail}: {self._lease_lost}", None
        return detail

    def lease_lost(self) -> str | None:
        """Why the batch just refused was refused for the lease (None: not for the lease)."""
        self._lease_lost = self._saver.take_lease_lost()
        return self._lease_lost

    def changed(self, overrides: Overrides | None, policy: Policy | None) -> None:
        """Another dashboard changed the floor: its overrides and policy, in place of ours."""
        engine = self._engine
        engine.restore(overrides if overrides is not None else engine.overrides(), policy=policy)
        self._saver.took_up(engine.overrides())

    def retry(self, now: float) -> bool:
        """Write the audit kept while the database was out of reach, if the lease keeper
        reached it since (at most every `RETRY_SECONDS`); True when it is written."""
        if self._saver.problem is None or now < self._retry_at:
            return False
        self._retry_at = now + RETRY_SECONDS
        if self.seat.role().detail:  # the keeper's last call did not reach the database
            return False
        try:
            self._saver.retry()
        except StoreError:
            return False
        return True
