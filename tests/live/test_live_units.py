"""The small pieces of the live link without sockets: barrier gate, backoff, clock."""

from __future__ import annotations

import random
from collections.abc import Sequence

from engine.core import AgentChanged, AgentState, FeedEvent, Unassign
from engine.link.backoff import Backoff
from engine.link.barrier import BarrierGate
from engine.link.clock import PlatformClock
from engine.link.session import LinkSession


class _Sink:
    def __init__(self) -> None:
        self.barriers: list[float] = []
        self.fresh: list[float] = []
        self.events: list[FeedEvent] = []

    def feed_events(self, events: Sequence[FeedEvent], now: float) -> None:
        self.events.extend(events)

    def feed_stale(self, now: float, detail: str) -> None:
        pass

    def feed_fresh(self, now: float, as_of: float, detail: str = "") -> None:
        self.fresh.append(as_of)

    def barrier_completed(self, started_at: float, now: float) -> None:
        self.barriers.append(started_at)

    def action_succeeded(self, action: Unassign, now: float) -> None:
        pass

    def action_failed(self, action: Unassign, error: str, now: float) -> None:
        pass


def _gate(polled: bool) -> tuple[BarrierGate, _Sink, list[int], LinkSession]:
    sink, asked = _Sink(), []
    session = LinkSession(brand_id="1", push_presence=not polled)
    gate = BarrierGate(sink, session, (lambda: asked.append(1)) if polled else None)
    session.bind(gate)
    session.connected(0.0)
    resync_id = session.take_outbox()[-1].split('"id":"')[1].split('"')[0]
    session.receive(f'{{"kind":"resp","reqId":"{resync_id}","code":200,"type":"x"}}', 1.0)
    return gate, sink, asked, session


def _answer_barrier(session: LinkSession, now: float) -> None:
    request = session.take_outbox()[-1]
    request_id = request.split('"id":"')[1].split('"')[0]
    session.receive(f'{{"kind":"resp","reqId":"{request_id}","code":200,"type":"x"}}', now)


def test_a_polled_barrier_needs_both_the_clock_and_a_later_presence_reading() -> None:
    gate, sink, asked, session = _gate(polled=True)
    assert sink.fresh == [0.0]  # no presence reading yet: nothing to clip against
    reading = [AgentChanged("a1", AgentState.ONLINE, 0.5)]
    gate.presence_read(reading, taken_at=2.0, now=2.1)
    assert sink.barriers == [0.0] and sink.events == reading

    gate.ensure(due=10.0, now=10.5)
    assert asked == [1]
    _answer_barrier(session, 10.6)
    assert sink.barriers[-1] == 2.0, "the presence proof (2.0) still holds the barrier back"
    gate.ensure(due=10.0, now=10.7)
    assert asked == [1], "a poll asked for after the due time is already under way"

    gate.presence_read([], taken_at=10.55, now=10.8)
    assert sink.barriers[-1] == 10.5
    assert gate.proof == 10.5

    gate.ensure(due=10.0, now=11.2)
    assert asked == [1, 1], "the engine wants a recent barrier: the reading is too old"


def test_a_pushed_barrier_is_the_clock_round_trip_alone() -> None:
    gate, sink, asked, session = _gate(polled=False)
    gate.ensure(due=5.0, now=5.0)
    _answer_barrier(session, 5.1)
    assert sink.barriers == [5.0] and asked == []


def test_a_resync_is_clipped_to_the_presence_proof() -> None:
    gate, sink, _, session = _gate(polled=True)
    gate.presence_read([], taken_at=3.0, now=3.0)
    session.disconnected(4.0, "drop")
    session.connected(5.0)
    _answer_barrier(session, 5.2)
    assert sink.fresh[-1] == 3.0


def test_backoff_grows_to_the_cap_with_jitter_and_resets() -> None:
    backoff = Backoff(base=0.5, factor=2.0, cap=30.0, rng=random.Random(7))
    delays = [backoff.next_delay() for _ in range(10)]
    for attempt, delay in enumerate(delays):
        ceiling = min(30.0, 0.5 * 2**attempt)
        assert ceiling / 2 <= delay <= ceiling
    assert max(delays) <= 30.0
    backoff.attempt = 10_000
    assert backoff.next_delay() <= 30.0
    backoff.reset()
    assert backoff.next_delay() <= 0.5


def test_the_clock_follows_the_platform_and_never_goes_back() -> None:
    wall = [100.0]
    clock = PlatformClock(lambda: wall[0])
    clock.set_platform_time(5000.0)
    assert clock.now() == 5000.0
    assert not clock.correct(0.005), "round-trip noise is ignored"
    assert clock.correct(-2.0)
    assert clock.now() == 5000.0, "a backwards correction holds the clock, never rewinds it"
    wall[0] = 103.0
    assert clock.now() == 5001.0
