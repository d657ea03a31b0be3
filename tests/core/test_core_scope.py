"""An engine that watches some skills only (a shard of a floor): conversations on other
skills are not watched; one moved out of its skills is confirmed, then left to the shard it
went to, and watched again, its moves still counted, if it comes back."""

from __future__ import annotations

from core_harness import Floor

from engine.core import ActionSucceeded, AgentState, AuditType

PING_PONG = {
    "online": 60,
    "moves_per_hour": 1,
    "skills": {
        "sales": {"on_unassign": "skill:billing"},
        "billing": {"on_unassign": "skill:sales"},
    },
}


def sales_shard() -> Floor:
    floor = Floor(PING_PONG, skills=("sales",))
    floor.presence("a1", AgentState.ONLINE, 0.0)
    return floor


def test_only_conversations_on_its_skills_are_watched_and_decided() -> None:
    floor = sales_shard()
    floor.open("c1", 0.0, "a1", skill="sales", consumer_at=0.0)
    floor.open("c2", 0.0, "a1", skill="billing", consumer_at=0.0)
    floor.open("c3", 0.0, "a1", skill=None, consumer_at=0.0)
    assert floor.engine.read.conversation("c2") is None
    assert floor.engine.read.conversation("c3") is None
    floor.advance(60.0)
    assert [e.conv for e in floor.decided()] == ["c1"]


def test_no_skill_is_named_minus_one() -> None:
    floor = Floor({"online": 60}, skills=("-1",))
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.open("c1", 0.0, "a1", skill=None, consumer_at=0.0)
    floor.open("c2", 0.0, "a1", skill="sales", consumer_at=0.0)
    floor.advance(60.0)
    assert [e.conv for e in floor.decided()] == ["c1"]


def test_a_move_out_of_its_skills_is_confirmed_then_left_and_counted_when_it_comes_back() -> None:
    floor = sales_shard()
    floor.open("c1", 0.0, "a1", skill="sales", consumer_at=0.0)
    floor.advance(60.0)
    [action] = floor.actions
    assert action.to_skill == "billing"
    floor.engine.apply(ActionSucceeded(action), 60.5)
    floor.assign("c1", 61.0, None, skill="billing")  # the billing shard's now
    assert [e.conv for e in floor.events(AuditType.UNASSIGN_CONFIRMED)] == ["c1"]
    assert floor.engine.read.conversation("c1") is None
    floor.assign("c1", 200.0, "a1", skill="sales")  # moved back by the billing shard
    floor.consumer_says("c1", 200.0)
    assert floor.engine.read.conversation("c1") is not None
    floor.advance(260.0)
    assert [a.to_skill for a in floor.actions] == ["billing", None]  # the hour's one move made
    assert "moved 1 time in the last hour" in floor.decided()[-1].detail


def test_one_that_comes_back_is_decided_by_its_new_deadline_never_its_old_one() -> None:
    floor = sales_shard()
    floor.open("c1", 0.0, "a1", skill="sales", consumer_at=0.0)  # due at 60
    floor.assign("c1", 10.0, "a1", skill="billing")  # left to the billing shard
    floor.assign("c1", 20.0, "a1", skill="sales")  # back
    floor.consumer_says("c1", 20.0)  # its wait counts from 20: due at 80
    assert floor.view("c1").deadline == 80.0
    floor.advance(79.0)
    assert floor.decided() == [], "the deadline of its earlier time here is not its own"
    floor.advance(80.0)
    assert [e.conv for e in floor.decided()] == ["c1"]
