"""Why not yet: the engine says, for any conversation, why it has not been unassigned."""

from __future__ import annotations

from core_harness import Floor, waiting_floor

from engine.core import (
    ActionFailed,
    AgentState,
    FeedStale,
    Hold,
    HoldAgent,
    Reason,
    SetDryRun,
)
from engine.core.detail import Source
from engine.core.grace import Standing
from engine.core.why import HeldBy, Unwatched, Why, WhyNot


def why(floor: Floor, conv: str = "c1") -> WhyNot:
    return floor.engine.read.why_not(conv, floor.now)


def test_counting_down_names_the_threshold_and_where_it_comes_from() -> None:
    floor = waiting_floor({"online": 60, "away": 30, "skills": {"sales": {"away": 90}}})
    floor.presence("a1", AgentState.AWAY, 10.0)
    answer = why(floor)
    assert (answer.why, answer.reason, answer.threshold) == (Why.COUNTING, Reason.AWAY, 90.0)
    assert (answer.source, answer.skill, answer.due_at) == (Source.SKILL, "sales", 90.0)


def test_within_a_grace_it_says_which_state_is_pending() -> None:
    floor = waiting_floor({"online": 60, "offline": 10, "grace": {"offline": 5}})
    floor.presence("a1", AgentState.OFFLINE, 20.0)
    answer = why(floor)
    assert answer.why is Why.COUNTING and answer.due_at == 25.0
    assert answer.grace == Standing(Reason.ONLINE, Reason.OFFLINE, 25.0, 20.0)


def test_held_names_who_and_until_when_the_longer_hold() -> None:
    floor = waiting_floor()
    assert floor.engine.execute(Hold(conv="c1", until=500.0, by="Sam"), 0.0) is None
    floor.collect()
    assert why(floor).hold == HeldBy("Sam", 500.0)
    assert floor.engine.execute(HoldAgent(agent="a1", until=None, by="Kim"), 0.0) is None
    assert (why(floor).why, why(floor).hold) == (Why.HELD, HeldBy("Kim", None, "a1"))


def test_due_on_a_stale_feed_says_why_the_feed_is_stale() -> None:
    floor = waiting_floor()
    floor.engine.apply(FeedStale("reconnecting"), 30.0)
    floor.advance(70.0)
    assert floor.decided() == []
    answer = why(floor)
    assert (answer.why, answer.stale) == (Why.STALE, "reconnecting")


def test_due_on_a_fresh_feed_waits_for_a_barrier() -> None:
    floor = waiting_floor()
    floor.tick(70.0, barrier=False)
    assert floor.decided() == []
    assert why(floor).why is Why.BARRIER


def test_under_way_then_retrying_with_the_error() -> None:
    floor = waiting_floor()
    floor.advance(60.0)
    assert why(floor).why is Why.UNDER_WAY
    [action] = floor.actions
    floor.engine.apply(ActionFailed(action, "refused: 403"), 60.5)
    answer = why(floor)
    assert (answer.why, answer.error, answer.retry_at) == (Why.RETRYING, "refused: 403", 62.5)


def test_decided_in_dry_run() -> None:
    floor = waiting_floor(dry_run=True)
    floor.advance(61.0)
    answer = why(floor)
    assert (answer.why, answer.dry_run) == (Why.DECIDED, True)
    assert floor.engine.execute(SetDryRun(on=False, by="Sam"), 61.0) is None
    assert (why(floor).why, why(floor).dry_run) == (Why.DECIDED, False)


def test_off_and_no_presence() -> None:
    floor = waiting_floor({"online": None})
    answer = why(floor)
    assert (answer.why, answer.reason, answer.threshold) == (Why.OFF, Reason.ONLINE, None)
    floor = Floor()
    floor.open("c1", 0.0, "a9", consumer_at=0.0)
    assert why(floor).why is Why.NO_PRESENCE


def test_unwatched_conversations_say_why() -> None:
    floor = waiting_floor()
    floor.open("c2", 1.0, None, consumer_at=1.0)
    floor.presence("b1", AgentState.ONLINE, 1.0, bot=True)
    floor.open("c3", 1.0, "b1", consumer_at=1.0)
    floor.agent_says("c1", 2.0)
    assert [why(floor, c).unwatched for c in ("c1", "c2", "c3", "c9")] == [
        Unwatched.NOT_WAITING,
        Unwatched.QUEUED,
        Unwatched.BOT,
        Unwatched.CLOSED,
    ]
