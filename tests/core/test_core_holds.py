"""Holds on one timer heap: conversation and agent holds, timed or not, each ending on time."""

from __future__ import annotations

from core_harness import waiting_floor

from engine.core import AuditType, Hold, HoldAgent, Reason, Release
from engine.core.holds import Ended, Holds, Target


def test_timed_holds_of_both_kinds_end_in_time_order_once() -> None:
    holds = Holds()
    holds.hold(Target.AGENT, "a1", 30.0)
    holds.hold(Target.CONVERSATION, "c1", 10.0)
    holds.hold(Target.CONVERSATION, "c2", None)
    assert holds.next_end() == 10.0
    assert holds.expire(20.0) == [Ended(Target.CONVERSATION, "c1")]
    assert holds.expire(40.0) == [Ended(Target.AGENT, "a1")]
    assert holds.expire(1e9) == []
    assert holds.next_end() is None
    assert holds.holding("c2", "a1") == (True, None)


def test_a_hold_replaced_or_released_before_its_end_does_not_end_again() -> None:
    holds = Holds()
    holds.hold(Target.CONVERSATION, "c1", 10.0)
    holds.hold(Target.CONVERSATION, "c1", 50.0)
    holds.hold(Target.AGENT, "a1", 20.0)
    assert holds.release(Target.AGENT, "a1")
    assert not holds.release(Target.AGENT, "a1")
    assert holds.next_end() == 50.0
    assert holds.expire(30.0) == []
    assert holds.expire(50.0) == [Ended(Target.CONVERSATION, "c1")]


def test_a_conversation_and_an_agent_hold_last_as_long_as_the_longer() -> None:
    holds = Holds()
    holds.hold(Target.CONVERSATION, "c1", 40.0)
    holds.hold(Target.AGENT, "a1", 100.0)
    assert holds.holding("c1", "a1") == (True, 100.0)
    assert holds.holding("c1", "a2") == (True, 40.0)
    assert holds.holding("c2", "a2") == (False, None)


def test_a_conversation_hold_ends_at_its_own_time_under_a_longer_agent_hold() -> None:
    floor = waiting_floor()
    floor.engine.execute(Hold(conv="c1", until=40.0, by="sup"), 5.0)
    floor.engine.execute(HoldAgent(agent="a1", until=100.0, by="sup"), 5.0)
    floor.advance(200.0)
    ended = [
        (e.at, e.conv, e.agent)
        for e in floor.events(AuditType.OVERRIDE_RELEASE)
        if e.detail == "hold ended"
    ]
    assert ended == [(40.0, "c1", "a1"), (100.0, None, "a1")]
    assert [(e.at, e.reason) for e in floor.decided()] == [(100.0, Reason.ONLINE)]


def test_a_released_conversation_hold_never_ends_later() -> None:
    floor = waiting_floor({"online": None})
    floor.engine.execute(Hold(conv="c1", until=40.0, by="sup"), 5.0)
    floor.engine.execute(Release(conv="c1", by="sup"), 10.0)
    floor.advance(200.0)
    assert [e.detail for e in floor.events(AuditType.OVERRIDE_RELEASE)] == [""]
