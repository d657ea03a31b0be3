"""The small pieces of the live link without sockets: barrier gate, backoff, clock."""

from __future__ import annotations

import json
import random

from engine.core import AgentChanged, AgentState, BarrierCompleted, FeedFresh, LinkEvent
from engine.link.backoff import Backoff
from engine.link.barrier import BarrierGate
from engine.link.session import LinkSession


def _answer_clock(session: LinkSession, request: str, now: float) -> tuple[LinkEvent, ...]:
    request_id = json.loads(request)["id"]
    answer = f'{{"kind":"resp","reqId":"{request_id}","code":200,"type":"x"}}'
    return session.receive(answer, now).events


def _resynced(gate: BarrierGate, at: float, now: float) -> list[LinkEvent]:
    """A connection opened at `at` and its resync answered at `now`, through the gate."""
    session = LinkSession(brand_id="1", push_presence=False)
    resync = session.connected(at).writes[-1]
    return gate.adjust(_answer_clock(session, resync, now))


def test_a_polled_barrier_needs_both_the_clock_and_a_later_presence_reading() -> None:
    gate = BarrierGate(polled=True)
    fresh = _resynced(gate, 0.0, 1.0)
    assert fresh == [FeedFresh(0.0, "resynced")]  # no presence reading yet: nothing to clip
    reading = [AgentChanged("a1", AgentState.ONLINE, 0.5)]
    assert gate.presence_read(reading, taken_at=2.0) == [*reading, BarrierCompleted(0.0)]

    assert gate.wants_presence(due=10.0, now=10.5)
    barrier = gate.adjust([BarrierCompleted(10.5)])
    assert barrier == [BarrierCompleted(2.0)], "the presence proof (2.0) still holds it back"
    assert not gate.wants_presence(due=10.0, now=10.7), (
        "a poll asked for after the due time is already under way"
    )

    assert gate.presence_read([], taken_at=10.55) == [BarrierCompleted(10.5)]
    assert gate.proof == 10.5

    assert gate.wants_presence(due=10.0, now=11.2), (
        "the engine wants a recent barrier: the reading is too old"
    )


def test_a_pushed_barrier_is_the_clock_round_trip_alone() -> None:
    gate = BarrierGate(polled=False)
    assert not gate.wants_presence(due=5.0, now=5.0)
    assert gate.adjust([BarrierCompleted(5.0)]) == [BarrierCompleted(5.0)]
    assert gate.proof == 5.0


def test_a_resync_is_clipped_to_the_presence_proof() -> None:
    gate = BarrierGate(polled=True)
    gate.presence_read([], taken_at=3.0)
    assert _resynced(gate, 5.0, 5.2) == [FeedFresh(3.0, "resynced")]


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
