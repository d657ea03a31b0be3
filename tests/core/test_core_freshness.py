"""No unassign on stale data: decisions wait for a fresh feed and a barrier covering the due
time; one barrier serves everything due by then."""

from __future__ import annotations

from core_harness import Floor, waiting_floor

from engine.core import (
    ActionFailed,
    AgentState,
    AuditType,
    BarrierCompleted,
    FeedFresh,
    FeedStale,
    Hold,
    Reason,
    UnassignNow,
)
from engine.core.freshness import MAX_BARRIER_AGE
from engine.core.views import FeedView


def test_the_engine_starts_stale_and_decides_nothing_before_the_first_resync() -> None:
    floor = Floor(fresh=False)
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.open("c1", 0.0, "a1", consumer_at=0.0)
    assert floor.engine.read.feed() == FeedView(fresh=False, barrier_at=None)
    floor.tick(100.0)
    assert floor.decided() == []
    assert floor.engine.barrier_wanted == 60.0
    floor.engine.apply(FeedFresh(100.0, "resync"), 100.0)
    floor.collect()
    floor.tick(100.0, barrier=False)
    assert [(e.at, e.conv) for e in floor.decided()] == [(100.0, "c1")]
    assert floor.actions[0].due_at == 60.0


def test_no_decision_before_a_barrier_that_started_at_or_after_the_due_time() -> None:
    floor = waiting_floor()
    floor.tick(70.0, barrier=False)
    assert floor.decided() == []
    assert floor.engine.barrier_wanted == 60.0
    floor.engine.apply(BarrierCompleted(59.9), 59.9)
    floor.tick(70.0, barrier=False)
    assert floor.decided() == []
    assert floor.engine.barrier_wanted == 60.0
    floor.engine.apply(BarrierCompleted(70.0), 70.0)
    floor.tick(71.0, barrier=False)
    assert [(e.at, e.reason) for e in floor.decided()] == [(71.0, Reason.ONLINE)]
    assert (floor.actions[0].due_at, floor.actions[0].decided_at) == (60.0, 71.0)
    assert floor.engine.barrier_wanted is None


def test_a_barrier_that_began_long_before_the_decision_proves_nothing() -> None:
    """A barrier older than MAX_BARRIER_AGE (a stalled round trip) does not let a decision
    through, even though it began after the deadline."""
    floor = waiting_floor()
    floor.engine.apply(BarrierCompleted(60.0), 60.0)
    floor.tick(60.0 + MAX_BARRIER_AGE + 0.5, barrier=False)
    assert floor.decided() == []
    assert floor.engine.barrier_wanted == 60.0
    floor.tick(63.0)
    assert [e.at for e in floor.decided()] == [63.0]


def test_a_barrier_at_most_max_barrier_age_old_is_enough() -> None:
    floor = waiting_floor()
    floor.engine.apply(BarrierCompleted(60.0), 60.0)
    floor.tick(60.0 + MAX_BARRIER_AGE, barrier=False)
    assert [e.at for e in floor.decided()] == [60.0 + MAX_BARRIER_AGE]


def test_a_resync_as_of_the_due_time_serves_as_the_barrier() -> None:
    floor = waiting_floor()
    floor.engine.apply(FeedStale(), 50.0)
    floor.engine.apply(FeedFresh(69.0), 70.0)
    floor.tick(70.0, barrier=False)
    assert [e.at for e in floor.decided()] == [70.0]


def test_a_resync_as_of_before_the_due_time_is_not_enough() -> None:
    floor = waiting_floor()
    floor.engine.apply(FeedStale(), 50.0)
    floor.engine.apply(FeedFresh(55.0), 70.0)
    floor.tick(70.0, barrier=False)
    assert floor.decided() == []
    assert floor.engine.barrier_wanted == 60.0
    floor.tick(72.0)
    assert [e.at for e in floor.decided()] == [72.0]


def test_a_stale_feed_holds_decisions_until_fresh_again_and_a_barrier() -> None:
    floor = waiting_floor()
    floor.engine.apply(FeedStale("socket closed"), 50.0)
    floor.tick(70.0)
    floor.tick(80.0)
    assert floor.decided() == []
    assert floor.engine.barrier_wanted == 60.0
    assert floor.engine.read.feed().fresh is False
    floor.engine.apply(FeedFresh(90.0, "resynced"), 90.0)
    floor.tick(90.0, barrier=False)
    assert [e.at for e in floor.decided()] == [90.0]
    stale, fresh = floor.events(AuditType.FEED_STALE, AuditType.FEED_FRESH)[1:]
    assert (stale.type, stale.at, stale.detail) == (AuditType.FEED_STALE, 50.0, "socket closed")
    assert (fresh.type, fresh.at, fresh.detail) == (AuditType.FEED_FRESH, 90.0, "resynced")


def test_a_barrier_before_the_feed_went_stale_does_not_let_a_decision_through() -> None:
    floor = waiting_floor()
    floor.engine.apply(BarrierCompleted(61.0), 61.0)
    floor.engine.apply(FeedStale(), 62.0)
    floor.tick(63.0, barrier=False)
    assert floor.decided() == []


def test_stale_and_fresh_are_audited_only_when_the_state_changes() -> None:
    floor = Floor(fresh=False)
    floor.engine.apply(FeedStale(), 1.0)
    floor.engine.apply(FeedFresh(2.0), 2.0)
    floor.engine.apply(FeedFresh(3.0), 3.0)
    floor.engine.apply(FeedStale(), 4.0)
    floor.engine.apply(FeedStale(), 5.0)
    floor.collect()
    assert [(e.type, e.at) for e in floor.audit] == [
        (AuditType.FEED_FRESH, 2.0),
        (AuditType.FEED_STALE, 4.0),
    ]
    assert floor.engine.read.feed() == FeedView(fresh=False, barrier_at=3.0)


def test_one_barrier_serves_every_conversation_due_by_then() -> None:
    floor = waiting_floor()
    floor.open("c2", 10.0, "a1", consumer_at=10.0)
    floor.open("c3", 40.0, "a1", consumer_at=40.0)
    floor.engine.apply(BarrierCompleted(80.0), 80.0)
    floor.tick(81.0, barrier=False)
    assert [(e.at, e.conv) for e in floor.decided()] == [(81.0, "c1"), (81.0, "c2")]
    assert floor.engine.barrier_wanted is None
    floor.tick(100.0, barrier=False)
    assert floor.engine.barrier_wanted == 100.0
    assert len(floor.decided()) == 2


def test_barrier_wanted_is_the_earliest_due_time_still_waiting() -> None:
    floor = waiting_floor()
    floor.open("c2", 10.0, "a1", consumer_at=10.0)
    floor.tick(75.0, barrier=False)
    assert floor.engine.barrier_wanted == 60.0
    floor.engine.apply(BarrierCompleted(69.0), 69.0)
    floor.tick(70.5, barrier=False)
    assert [e.conv for e in floor.decided()] == ["c1"]
    assert floor.engine.barrier_wanted == 70.0


def test_barrier_wanted_is_none_when_nothing_is_due() -> None:
    floor = waiting_floor()
    floor.tick(30.0, barrier=False)
    assert floor.engine.barrier_wanted is None
    assert floor.engine.next_wake() == 60.0


def test_an_older_barrier_does_not_move_the_barrier_back() -> None:
    floor = Floor()
    floor.engine.apply(BarrierCompleted(80.0), 80.0)
    floor.engine.apply(BarrierCompleted(50.0), 50.0)
    floor.engine.apply(FeedFresh(40.0), 90.0)
    assert floor.engine.read.feed() == FeedView(fresh=True, barrier_at=80.0)


def test_a_manual_unassign_waits_for_a_barrier_too() -> None:
    floor = waiting_floor()
    floor.engine.execute(UnassignNow(conv="c1", by="sup"), 10.0)
    floor.tick(10.0, barrier=False)
    assert floor.decided() == []
    assert floor.engine.barrier_wanted == 10.0
    floor.tick(11.0)
    assert [(e.at, e.reason) for e in floor.decided()] == [(11.0, Reason.MANUAL)]


def test_a_retry_waits_for_a_barrier_too() -> None:
    floor = waiting_floor()
    floor.advance(60.0)
    floor.engine.apply(ActionFailed(floor.actions[0], "timeout"), 61.0)
    floor.tick(70.0, barrier=False)
    assert len(floor.actions) == 1
    assert floor.engine.barrier_wanted == 63.0
    floor.tick(71.0)
    assert [a.attempt for a in floor.actions] == [1, 2]


def test_a_timed_hold_ends_on_time_while_another_decision_waits_for_a_barrier() -> None:
    """The hold's end is not a decision: it needs no barrier, and a stale feed must not keep
    the conversation shown as held after its hold ended."""
    floor = waiting_floor()
    floor.open("c2", 0.0, "a1", consumer_at=0.0)
    floor.engine.execute(Hold(conv="c2", until=80.0, by="sup"), 1.0)
    floor.engine.apply(FeedStale(), 50.0)
    floor.tick(90.0, barrier=False)
    ended = [e for e in floor.events(AuditType.OVERRIDE_RELEASE) if e.detail == "hold ended"]
    assert [(e.conv, e.at) for e in ended] == [("c2", 90.0)]
    assert floor.view("c2").hold_until is None
