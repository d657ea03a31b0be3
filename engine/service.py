"""The wiring: link -> engine -> action port -> store, and the one pump every input enters.

`FloorService` is synchronous and transport-agnostic: the replay driver calls its doors on a
virtual clock, the live client on the platform clock. Every door (a connection opened or
lost, a frame, a timer, a presence reading, a supervisor command) ends in the same pump:

1. apply the queued link events to the engine, then `engine.tick(now)`;
2. drain the effects: store the audit, then tell the listeners, in the order stored;
3. send the unassigns through the session; what that produced (an `ActionFailed` when the
   link is down) is queued and the loop goes round again until it is quiet;
4. if the engine waits for a freshness barrier, start it (a `GetClock`, and a presence poll
   when presence is polled).

When the data file is lost (deleted, replaced, its lock no longer ours) or the disk is full,
the store refuses the batch (`engine.store.StorageFaultError`) and the service stops acting at
once: the batch's unassigns are not sent (the engine hears `ActionFailed`, "not sent"), the
engine is told it may not act (through the same door as an untrusted clock: `MayAct`
with the problem as its detail, audited as `feed.stale`), and every audit event from then on
is kept in memory, in order (`unsaved_events()`); `storage_problem` says why. Listeners hear
nothing meanwhile. `save_to(path, now)` writes the old file's history, the kept events, the
policy and the overrides to a new data file (`retry_save(now)`: the same file again, e.g.
after space was freed); then the listeners hear every kept event in order and acting resumes
(after a fresh barrier, as always).

The frames to send wait in `take_writes()`; `on_ready()` says there is something to take.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from engine.core import (
    ActionFailed,
    AgentChanged,
    AuditEvent,
    Command,
    Engine,
    LinkEvent,
    MayAct,
    Policy,
    ReadModel,
    Refused,
    SetPolicy,
)
from engine.core.lease_rule import FloorDashboard, Role
from engine.core.overrides import Overrides
from engine.core.preview import Previews
from engine.link.barrier import BarrierGate
from engine.link.clock import SyncedClock
from engine.link.output import LinkStats, SessionOutput
from engine.link.session import LinkSession
from engine.store import Store, StoreError
from engine.store.contract import Seat
from engine.store.saver import AuditListener, AuditSaver, Opener, Persistence
from engine.team.floor import TeamFloor

__all__ = ["AuditListener", "FloorService", "Persistence", "Seat", "StoreError", "SyncedClock"]


class FloorService:
    def __init__(
        self,
        engine: Engine,
        session: LinkSession,
        *,
        store: Persistence | None = None,
        supervisor: str = "supervisor",
        polled_presence: bool = False,
        on_ready: Callable[[], None] | None = None,
        clock: SyncedClock | None = None,
        opener: Opener = Store.open,
        seat: Seat | None = None,
    ) -> None:
        """`on_ready()` hears that a door left frames to send or wants a presence reading.
        `clock`: engine time as learned from the platform; each GetClock answer corrects it
        before the frame's events are applied, and while it is not trusted the engine holds
        every decision. None: time is exact (the virtual replay). `opener` opens the data
        file `save_to` writes to. `seat` (team mode): the engine decides only while it acts,
        takes up the floor's shared overrides and decided waits when it begins to, and
        sends an unassign only while its lease outlasts the action."""
        self._engine = engine
        self._session = session
        self._gate = BarrierGate(polled=polled_presence)
        self._saver = AuditSaver(store, opener, shared=seat is not None)
        self._supervisor = supervisor
        self._on_ready = on_ready
        self._inbox: deque[LinkEvent] = deque()
        self._writes: list[str] = []
        self._presence_wanted = False
        self._clock = clock
        self._may_act: bool | None = None if clock is not None else True
        """What the engine was last told (`MayAct`): a trusted clock and a healthy store."""
        self._saved_to: str | None = None
        self._seat = seat
        self._team = TeamFloor(seat, engine, self._saver) if seat is not None else None
        self._wake = engine.next_wake()
        """The engine's as of the last pump (every call that changes the engine ends in it)."""

    @property
    def read(self) -> ReadModel:
        """The read model for the UI."""
        return self._engine.read

    @property
    def preview(self) -> Previews:
        """What a policy change or a release would do, for the UI to ask first."""
        return self._engine.preview

    @property
    def role(self) -> Role | None:
        """On a team floor: whether this engine acts, or watches and who acts (None: the
        floor is this engine's alone)."""
        return self._seat.role() if self._seat is not None else None

    @property
    def dashboards(self) -> tuple[FloorDashboard, ...]:
        """On a team floor: its dashboards as last read, this one among them (else none)."""
        return self._seat.dashboards() if self._seat is not None else ()

    @property
    def supervisor(self) -> str:
        """Who the commands given through this dashboard come from (audited as `by`)."""
        return self._supervisor

    @property
    def stats(self) -> LinkStats:
        return self._session.stats

    @property
    def synced(self) -> bool:
        """Connected, subscribed and past the snapshot."""
        return self._session.synced

    @property
    def proof(self) -> float | None:
        """Everything the platform knew before this time has been applied (both feeds)."""
        return self._gate.proof

    def subscribe(self, listener: AuditListener) -> None:
        """Hear every audit event after it is stored, in the order stored (while the data
        file cannot be written: nothing, then every kept event once it is saved)."""
        self._saver.listeners.append(listener)

    # ------------------------------------------------------------------ the data file

    @property
    def storage_problem(self) -> str | None:
        """Why the audit cannot be saved (the data file lost, the disk full): while it is
        not None, nothing is decided or sent. None while all is well."""
        return self._saver.problem

    def unsaved_events(self) -> list[AuditEvent]:
        """The audit events not yet written anywhere, in order (copies)."""
        return self._saver.unsaved()

    def audit_of(self, conv: str, limit: int = 500) -> list[AuditEvent]:
        """One conversation's newest audit events, stored and kept, in order (the detail
        view's; read from the data file when asked, not kept in memory)."""
        return self._saver.events_of(conv, limit)

    def save_to(self, path: Path, now: float) -> None:
        """Write the old file's history and every kept event to a new data file at `path`,
        which becomes the data file; acting resumes. Raises `StoreError` if it cannot (then
        nothing changed)."""
        engine = self._engine
        self._saver.save_to(path, engine.read.policy, engine.overrides())
        self._saved_to = f"the audit is saved to {path} again"
        self._pump(now)

    def retry_save(self, now: float) -> None:
        """Write the kept events to the same data file again (after space was freed); acting
        resumes. Raises `StoreError` if it still cannot."""
        try:
            self._saver.retry()
        finally:
            self._pump(now)
        self._saved_to = "the audit is saved again"

    def close(self) -> None:
        """Close a data file `save_to` opened (the first one is its opener's to close)."""
        self._saver.close()

    # ------------------------------------------------------------------ doors

    def connected(self, now: float) -> None:
        """A new connection is open: subscribe and resync."""
        self._writes.clear()
        self._run(self._session.connected(now), now)

    def disconnected(self, now: float, reason: str) -> None:
        """The connection is gone: frames not yet sent are dropped with it."""
        self._writes.clear()
        self._run(self._session.disconnected(now, reason), now)

    def receive(self, raw: str | bytes, now: float) -> None:
        """One frame from the platform. A GetClock answer corrects the clock first, so that
        what the frame completes is judged on the corrected time."""
        output = self._session.receive(raw, now)
        if output.clock is not None and self._clock is not None:
            self._clock.observe(output.clock)
            now = self._clock.now()
            output = output.then(self._session.resync_due(now))
        self._run(output, now)

    def timer(self, now: float) -> str | None:
        """Time passed: expire requests, keep the link alive, act on what is due. Returns why
        the connection must be reopened, if it must."""
        output = self._session.timer(now)
        team = self._team
        if team is not None and team.retry(now):
            self._saved_to = "the audit is saved again"
        if self._idle(output, now):
            return output.reconnect
        self._run(output, now)
        return output.reconnect or (team.take_reread() if team is not None else None)

    def apply(self, events: Iterable[LinkEvent], now: float) -> None:
        """Events that do not come from the socket."""
        self._queue(events)
        self._pump(now)

    def presence_read(self, agents: Sequence[AgentChanged], taken_at: float, now: float) -> None:
        """A presence reading requested at `taken_at` (platform time)."""
        self.apply(self._gate.presence_read(agents, taken_at), now)

    def execute(self, command: Command, now: float) -> Refused | None:
        """Carry out a supervisor command; a `Refused` says why it could not be."""
        if self._clock is not None and not self._clock.known:
            return Refused(command, "the platform's time is not known yet (not logged in)")
        refused = self._engine.execute(command, now)
        if isinstance(command, SetPolicy) and refused is None:
            self._saver.save_policy(command.policy)
        self._pump(now, overrides=True)
        return refused

    def floor_changed(
        self, overrides: Overrides | None, now: float, policy: Policy | None = None
    ) -> None:
        """A team floor's overrides or policy, changed by another dashboard: the engine takes
        them up in place of its own (holds released there are released here)."""
        if self._team is not None:
            self._team.changed(overrides, policy)
        self._pump(now)

    # ------------------------------------------------------------------ outward

    def take_writes(self) -> list[str]:
        """The frames to send, in order."""
        writes, self._writes = self._writes, []
        return writes

    def take_presence_request(self) -> bool:
        """Whether a barrier wants a presence reading now (asked once)."""
        wanted, self._presence_wanted = self._presence_wanted, False
        return wanted

    def next_wake(self, now: float) -> float | None:
        """The next time after `now` at which `timer()` has work: an engine deadline or hold
        end, a request's timeout, the keep-alive. (A deadline already passed waits for a
        barrier, which a frame brings.)"""
        times = (self._wake, self._session.next_timer())
        return min((t for t in times if t is not None and t > now), default=None)

    # ------------------------------------------------------------------ the pump

    def _run(self, output: SessionOutput, now: float) -> None:
        self._check_trust()
        self._queue(output.events)
        self._writes.extend(output.writes)
        self._pump(now)

    def _idle(self, output: SessionOutput, now: float) -> bool:
        """Whether the pump would find nothing to do after `output` (most timer calls): time
        is exact and the floor this engine's alone (else both move on their own), the trust
        unchanged, nothing queued, left to send or to save, and nothing due in the engine
        (a deadline waiting for a barrier is due)."""
        if output.events or output.writes or self._clock is not None or self._team is not None:
            return False
        self._check_trust()
        if self._inbox or self._writes or self._presence_wanted or not self._saver.idle:
            return False
        return self._wake is None or self._wake > now

    def _check_trust(self) -> None:
        """Tell the engine when it gains or loses the right to act (it decides nothing
        without): a trusted clock, and a data file that takes the audit."""
        clock, problem = self._clock, self._saver.problem
        clock_ok = clock is None or clock.trusted
        role = self._seat.role() if self._seat is not None else None
        may_act = clock_ok and problem is None and (role is None or role.acting)
        if may_act == self._may_act:
            return
        if may_act and self._team is not None and not self._team.take_up():
            return
        self._may_act = may_act
        if problem is not None:
            detail = f"the audit cannot be saved, nothing is decided: {problem}"
        elif clock is not None and not clock_ok:
            detail = clock.describe()
        elif role is not None and not role.acting and self._team is not None:
            detail = self._team.watching(role)
        elif role is not None and self._saved_to is None:
            detail = "ACTING (this engine holds the floor's lease)"
        elif self._saved_to is not None:
            detail, self._saved_to = self._saved_to, None
        else:
            detail = "the platform's clock is trusted"
        self._inbox.append(MayAct(may_act, detail))

    def _queue(self, events: Iterable[LinkEvent]) -> None:
        self._inbox.extend(self._gate.adjust(events))

    def _pump(self, now: float, *, overrides: bool = False) -> None:
        engine = self._engine
        self._check_trust()  # whatever the door: a lease lost since is heard before any tick
        while True:
            while self._inbox:
                engine.apply(self._inbox.popleft(), now)
            engine.tick(now)
            effects = engine.drain()
            saved = engine.overrides() if overrides else None
            overrides = False
            if self._saver.commit(effects.audit, saved, acting=bool(effects.actions)):
                for action in effects.actions:
                    if self._seat is not None and not self._seat.may_send():
                        self._inbox.append(ActionFailed(action, "not sent: the lease ends first"))
                        continue
                    sent = self._session.send_unassign(action)
                    self._queue(sent.events)
                    self._writes.extend(sent.writes)
            else:  # stop acting at once: nothing is sent on an audit not committed
                for conv, key in self._saver.take_unrecorded():
                    engine.withdraw(conv, key)  # decided again once this engine acts
                lost = self._team.lease_lost() if self._team is not None else None
                self._check_trust()
                why = lost or self._saver.problem
                for action in effects.actions:
                    self._inbox.append(ActionFailed(action, f"not sent: {why}"))
            self._check_trust()
            if not self._inbox:
                break
        self._wake = engine.next_wake()
        unproven = engine.take_unproven()
        if unproven:
            self._writes.extend(self._session.read_messages(unproven, now).writes)
        due = engine.barrier_wanted
        if self._clock is not None and self._clock.wants_probe():
            self._writes.extend(self._session.start_barrier(now).writes)
        if due is not None and self._may_act:
            self._writes.extend(self._session.start_barrier(now).writes)
            if self._gate.wants_presence(due, now):
                self._presence_wanted = True
        if (self._writes or self._presence_wanted) and self._on_ready is not None:
            self._on_ready()
