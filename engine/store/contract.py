"""The store as the engine and the service use it, whichever database holds it.

Two implementations: `engine.store.Store` (one SQLite file, the embedded default: its
writer's lock makes its one engine the floor's only actor) and `engine.store.pg.PgStore`
(PostgreSQL, shared by every engine of a floor: a decision is recorded only while the
store's client holds the floor's lease). `engine.team.opening` picks one by the `store`
setting: a `postgresql://` URL, else the data file. On a team floor the service
also asks the engine's `Seat` whether it acts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TextIO

from engine.core.audit import AuditEvent, AuditType
from engine.core.lease_rule import FloorDashboard, Role
from engine.core.overrides import Overrides
from engine.core.policy import Policy
from engine.store.changes import OverridesChange


class FloorStore(Protocol):
    """The audit log, the decided waits, the policy and the overrides of one floor."""

    @property
    def location(self) -> str:
        """Where the store is (a file's path, a database's URL without its password)."""
        ...

    def verify(self) -> None:
        """Raise `StorageFaultError` unless a write made now could be committed (before an
        action that follows no write)."""

    def close(self) -> None: ...

    def append(self, events: Sequence[AuditEvent]) -> None:
        """Commit `events` in one transaction, all or none; an `unassign.decided` whose key
        was already recorded refuses the whole batch with `StoreError`."""

    def commit_command(self, events: Sequence[AuditEvent], change: OverridesChange) -> None:
        """Commit a supervisor command once: its override rows and its audit events in one
        transaction."""

    def history(self) -> list[AuditEvent]: ...

    def audit(
        self, limit: int | None = None, since_id: int = 0
    ) -> list[tuple[int, AuditEvent]]: ...

    def recent(self, types: Sequence[AuditType], seconds: float) -> list[AuditEvent]:
        """Events of `types` in the `seconds` before the floor's newest event (of any type),
        in the order appended: what an engine recalls when it starts or takes over."""
        ...

    def audit_of(self, conv: str, limit: int) -> list[AuditEvent]:
        """The newest `limit` events of one conversation, in the order appended."""
        ...

    def audit_count(self) -> int: ...

    def was_decided(self, key: str) -> bool: ...

    def decided_keys(self) -> frozenset[str]: ...

    def save_policy(self, policy: Policy) -> None: ...

    def load_policy(self) -> Policy | None: ...

    def save_overrides(self, overrides: Overrides) -> None: ...

    def load_overrides(self) -> Overrides: ...

    def export_csv(self, fp: TextIO) -> int: ...

    def export_jsonl(self, fp: TextIO) -> int: ...


@dataclass(frozen=True, slots=True)
class TakenUp:
    """What an engine reads from the shared store before it acts."""

    overrides: Overrides
    decided: frozenset[str]
    """Every wait decided on the floor."""
    recent: Sequence[AuditEvent]
    """The floor's unassigns of the last hour (`engine.core.recall`)."""


class Seat(Protocol):
    """This engine's seat on a team floor (engine.team.seat.TeamSeat)."""

    def role(self) -> Role:
        """Whether this engine acts now (no I/O)."""
        ...

    def may_send(self) -> bool:
        """Whether an unassign may go out now: the lease outlasts the action's timeout."""
        ...

    def dashboards(self) -> tuple[FloorDashboard, ...]:
        """The floor's dashboards as last read (no I/O), the acting one among them."""
        ...

    def shared(self) -> TakenUp:
        """The floor's overrides, decided waits and recent unassigns, from the shared store
        (blocking)."""
        ...

    async def keep(self, on_change: Callable[[Overrides | None, Policy | None], None]) -> None:
        """Keep the lease beside the floor until cancelled (then release it), and hear the
        floor's overrides and policy (None: unchanged) each time another dashboard changes
        them."""
