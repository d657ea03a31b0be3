"""The wiring: feed -> engine -> action port -> store, and the commands the UI sends.

`FloorService` is synchronous and transport-agnostic: the replay driver calls it on a virtual
clock, the live link on the wall clock. It owns the audit trail: every effect the engine
produces is written to the store before anyone else hears of it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from engine.core import (
    AuditEvent,
    Command,
    Engine,
    FeedEvent,
    Overrides,
    Policy,
    Refused,
    SetPolicy,
    Unassign,
)
from engine.core.model import AgentId, ConvId
from engine.core.ports import ActionPort, FloorReadModel

AuditListener = Callable[[AuditEvent], None]


class Persistence(Protocol):
    """What the service needs from the store (engine.store.Store provides it)."""

    def append(self, events: Sequence[AuditEvent]) -> None: ...

    def save_policy(self, policy: Policy) -> None: ...

    def save_overrides(self, overrides: Overrides) -> None: ...


class FloorService:
    def __init__(
        self,
        engine: Engine,
        actions: ActionPort,
        *,
        store: Persistence | None = None,
        supervisor: str = "supervisor",
    ) -> None:
        self._engine = engine
        self._actions = actions
        self._store = store
        self._supervisor = supervisor
        self._listeners: list[AuditListener] = []

    @property
    def read(self) -> FloorReadModel:
        """The read model for the UI."""
        return self._engine

    @property
    def supervisor(self) -> str:
        """Who the commands given through this dashboard come from (audited as `by`)."""
        return self._supervisor

    @property
    def engine(self) -> Engine:
        return self._engine

    def subscribe(self, listener: AuditListener) -> None:
        """Hear every audit event after it is stored."""
        self._listeners.append(listener)

    # ------------------------------------------------------------------ from the link

    def feed_events(self, events: Sequence[FeedEvent], now: float) -> None:
        for event in events:
            self._engine.apply(event, now)
        self._flush()

    def feed_stale(self, now: float, detail: str) -> None:
        self._engine.feed_stale(now, detail)
        self._flush()

    def feed_fresh(self, now: float, as_of: float, detail: str = "") -> None:
        self._engine.feed_fresh(now, as_of, detail)
        self.tick(now)

    def barrier_completed(self, started_at: float, now: float) -> None:
        self._engine.barrier_completed(started_at)
        self.tick(now)

    def action_succeeded(self, action: Unassign, now: float) -> None:
        self._engine.action_succeeded(action, now)
        self._flush()

    def action_failed(self, action: Unassign, error: str, now: float) -> None:
        self._engine.action_failed(action, error, now)
        self._flush()

    def tick(self, now: float) -> None:
        self._engine.tick(now)
        self._flush()

    # ------------------------------------------------------------------ supervisor commands

    def execute(self, command: Command, now: float) -> Refused | None:
        """Carry out a supervisor command; a `Refused` says why it could not be."""
        refused = self._engine.execute(command, now)
        if self._store is not None and isinstance(command, SetPolicy) and refused is None:
            self._store.save_policy(command.policy)
        self._engine.tick(now)
        self._flush(overrides=True)
        return refused

    def hold(self, conv_id: ConvId, until: float | None, now: float) -> None:
        self._engine.hold(conv_id, until, by=self._supervisor, now=now)
        self._flush(overrides=True)

    def release(self, conv_id: ConvId, now: float) -> None:
        self._engine.release(conv_id, by=self._supervisor, now=now)
        self._flush(overrides=True)

    def extend(self, conv_id: ConvId, seconds: float, now: float) -> None:
        self._engine.extend(conv_id, seconds, by=self._supervisor, now=now)
        self._flush(overrides=True)

    def unassign_now(self, conv_id: ConvId, now: float) -> None:
        self._engine.unassign_now(conv_id, by=self._supervisor, now=now)
        self.tick(now)

    def hold_agent(self, agent_id: AgentId, until: float | None, now: float) -> None:
        self._engine.hold_agent(agent_id, until, by=self._supervisor, now=now)
        self._flush(overrides=True)

    def release_agent(self, agent_id: AgentId, now: float) -> None:
        self._engine.release_agent(agent_id, by=self._supervisor, now=now)
        self._flush(overrides=True)

    def set_policy(self, policy: Policy, now: float) -> None:
        self._engine.set_policy(policy, by=self._supervisor, now=now)
        if self._store is not None:
            self._store.save_policy(policy)
        self.tick(now)

    def set_dry_run(self, on: bool, now: float) -> None:
        self._engine.set_dry_run(on, by=self._supervisor, now=now)
        self._flush(overrides=True)

    # ------------------------------------------------------------------ internals

    def _flush(self, *, overrides: bool = False) -> None:
        """Store the audit first, then act, then tell listeners."""
        effects = self._engine.drain()
        if self._store is not None:
            if effects.audit:
                self._store.append(effects.audit)
            if overrides:
                self._store.save_overrides(self._engine.overrides())
        for action in effects.actions:
            self._actions.send_unassign(action)
        for event in effects.audit:
            for listener in self._listeners:
                listener(event)
