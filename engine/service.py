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

The frames to send wait in `take_writes()`; `on_ready()` says there is something to take.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from engine.core import (
    AgentChanged,
    AuditEvent,
    ClockTrust,
    Command,
    Engine,
    LinkEvent,
    Overrides,
    Policy,
    ReadModel,
    Refused,
    SetPolicy,
)
from engine.link.barrier import BarrierGate
from engine.link.clock import ClockSample
from engine.link.output import LinkStats, SessionOutput
from engine.link.session import LinkSession

AuditListener = Callable[[AuditEvent], None]


class Persistence(Protocol):
    """What the service needs from the store (engine.store.Store provides it)."""

    def append(self, events: Sequence[AuditEvent]) -> None: ...

    def save_policy(self, policy: Policy) -> None: ...

    def save_overrides(self, overrides: Overrides) -> None: ...


class SyncedClock(Protocol):
    """Engine time learned from the platform (engine.link.clock.PlatformClock)."""

    @property
    def known(self) -> bool: ...

    @property
    def trusted(self) -> bool: ...

    def wants_probe(self) -> bool: ...

    def now(self) -> float: ...

    def observe(self, sample: ClockSample) -> None: ...

    def describe(self) -> str: ...


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
    ) -> None:
        """`on_ready()` hears that a door left frames to send or wants a presence reading.
        `clock`: engine time as learned from the platform; each GetClock answer corrects it
        before the frame's events are applied, and while it is not trusted the engine holds
        every decision. None: time is exact (the virtual replay)."""
        self._engine = engine
        self._session = session
        self._gate = BarrierGate(polled=polled_presence)
        self._store = store
        self._supervisor = supervisor
        self._on_ready = on_ready
        self._listeners: list[AuditListener] = []
        self._inbox: deque[LinkEvent] = deque()
        self._writes: list[str] = []
        self._presence_wanted = False
        self._clock = clock
        self._clock_trusted: bool | None = None

    @property
    def read(self) -> ReadModel:
        """The read model for the UI."""
        return self._engine.read

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
        """Hear every audit event after it is stored, in the order stored."""
        self._listeners.append(listener)

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
        self._run(output, now)
        return output.reconnect

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
        if self._store is not None and isinstance(command, SetPolicy) and refused is None:
            self._store.save_policy(command.policy)
        self._pump(now, overrides=True)
        return refused

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
        times = (self._engine.next_wake(), self._session.next_timer())
        return min((t for t in times if t is not None and t > now), default=None)

    # ------------------------------------------------------------------ the pump

    def _run(self, output: SessionOutput, now: float) -> None:
        self._check_clock()
        self._queue(output.events)
        self._writes.extend(output.writes)
        self._pump(now)

    def _check_clock(self) -> None:
        """Tell the engine when the clock gains or loses trust (it decides nothing without)."""
        if self._clock is None:
            return
        trusted = self._clock.trusted
        if trusted != self._clock_trusted:
            self._clock_trusted = trusted
            detail = "the platform's clock is trusted" if trusted else self._clock.describe()
            self._inbox.append(ClockTrust(trusted, detail))

    def _queue(self, events: Iterable[LinkEvent]) -> None:
        self._inbox.extend(self._gate.adjust(events))

    def _pump(self, now: float, *, overrides: bool = False) -> None:
        engine = self._engine
        while True:
            while self._inbox:
                engine.apply(self._inbox.popleft(), now)
            engine.tick(now)
            effects = engine.drain()
            if self._store is not None:
                if effects.audit:
                    self._store.append(effects.audit)
                if overrides:
                    self._store.save_overrides(engine.overrides())
                    overrides = False
            for event in effects.audit:
                for listener in self._listeners:
                    listener(event)
            for action in effects.actions:
                sent = self._session.send_unassign(action)
                self._queue(sent.events)
                self._writes.extend(sent.writes)
            if not self._inbox:
                break
        due = engine.barrier_wanted
        if self._clock is not None and self._clock.wants_probe():
            self._writes.extend(self._session.start_barrier(now).writes)
        if due is not None and (self._clock is None or self._clock_trusted):
            self._writes.extend(self._session.start_barrier(now).writes)
            if self._gate.wants_presence(due, now):
                self._presence_wanted = True
        if (self._writes or self._presence_wanted) and self._on_ready is not None:
            self._on_ready()
