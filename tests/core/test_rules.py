"""The engine's rules (DESIGN.md, "The engine's rules"): what is watched and when it is due."""

from __future__ import annotations

import json

import pytest
from core_harness import (
    Floor,
    agent_msg,
    assert_refused,
    changed,
    consumer_msg,
    make_policy,
    waiting_floor,
)

from engine.core import (
    AgentChanged,
    AgentState,
    AuditType,
    Policy,
    Reason,
    SetPolicy,
    Status,
    Unassign,
    UnassignNow,
)
from engine.core.views import ConversationView

BILLING_POLICY = {
    "online": 60,
    "away": 30,
    "offline": 10,
    "skills": {"billing": {"online": 120, "away": None}},
}


def decisions(floor: Floor) -> list[tuple[float, str | None, str | None, Reason | None]]:
    return [(e.at, e.conv, e.agent, e.reason) for e in floor.decided()]


# ---------------------------------------------------------------------- the DESIGN example


def test_design_example_agent_steps_away_is_unassigned_at_30() -> None:
    floor = waiting_floor()
    assert floor.view("c1").deadline == 60
    floor.presence("a1", AgentState.AWAY, 10.0)
    view = floor.view("c1")
    assert (view.agent_state, view.reason, view.threshold, view.deadline) == (
        AgentState.AWAY,
        Reason.AWAY,
        30.0,
        30.0,
    )
    floor.advance(120.0)
    assert decisions(floor) == [(30.0, "c1", "a1", Reason.AWAY)]
    [decided] = floor.decided()
    assert decided.key is not None
    assert floor.actions == [
        Unassign("c1", "a1", Reason.AWAY, due_at=30.0, decided_at=30.0, key=decided.key)
    ]


def test_online_but_unresponsive_agent_is_unassigned_at_the_online_threshold() -> None:
    floor = waiting_floor()
    floor.advance(59.5)
    assert floor.decided() == []
    floor.advance(120.0)
    assert decisions(floor) == [(60.0, "c1", "a1", Reason.ONLINE)]
    assert floor.actions[0].due_at == 60.0
    assert floor.actions[0].attempt == 1


def test_back_soon_counts_as_away() -> None:
    floor = waiting_floor(state=AgentState.BACK_SOON)
    view = floor.view("c1")
    assert (view.agent_state, view.reason, view.deadline) == (
        AgentState.BACK_SOON,
        Reason.AWAY,
        30.0,
    )
    floor.advance(100.0)
    assert decisions(floor) == [(30.0, "c1", "a1", Reason.AWAY)]


def test_going_offline_after_a_long_wait_makes_it_due_at_once() -> None:
    floor = waiting_floor({"online": 600, "away": 300, "offline": 10})
    floor.advance(200.0)
    assert floor.decided() == []
    floor.presence("a1", AgentState.OFFLINE, 200.0)
    assert floor.view("c1").deadline == 10.0
    floor.tick(200.0)
    assert decisions(floor) == [(200.0, "c1", "a1", Reason.OFFLINE)]
    assert (floor.actions[0].due_at, floor.actions[0].decided_at) == (10.0, 200.0)


def test_presence_change_moves_the_deadline_both_ways() -> None:
    floor = waiting_floor()
    floor.presence("a1", AgentState.AWAY, 10.0)
    assert floor.view("c1").deadline == 30.0
    floor.presence("a1", AgentState.ONLINE, 20.0)
    assert floor.view("c1").deadline == 60.0
    floor.advance(59.0)
    assert floor.decided() == []
    floor.advance(100.0)
    assert decisions(floor) == [(60.0, "c1", "a1", Reason.ONLINE)]


# ---------------------------------------------------------------------- waiting_since


def test_watched_conversation_view_fields() -> None:
    floor = waiting_floor()
    assert floor.view("c1") == ConversationView(
        conv_id="c1",
        consumer="Carla",
        skill="sales",
        agent="a1",
        agent_state=AgentState.ONLINE,
        waiting_since=0.0,
        reason=Reason.ONLINE,
        threshold=60.0,
        deadline=60.0,
        status=Status.WATCHING,
        hold_until=None,
        extension=0.0,
        last_error=None,
        due_at=60.0,
    )
    assert floor.view("c1").wait_key == "c1|a1|0.000"
    assert list(floor.engine.read.watched_ids()) == ["c1"]
    assert floor.engine.read.watched_count() == 1


def test_wait_starts_when_the_agent_is_assigned_if_the_consumer_wrote_before() -> None:
    floor = Floor()
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.open("c1", 0.0, None, consumer_at=0.0)
    floor.assign("c1", 50.0, "a1")
    view = floor.view("c1")
    assert (view.waiting_since, view.deadline) == (50.0, 110.0)
    floor.advance(200.0)
    assert decisions(floor) == [(110.0, "c1", "a1", Reason.ONLINE)]


def test_wait_starts_at_the_consumer_message_if_it_came_after_the_assignment() -> None:
    floor = Floor()
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.open("c1", 0.0, "a1")
    assert floor.engine.read.conversation("c1") is None
    floor.consumer_says("c1", 25.0)
    assert floor.view("c1").waiting_since == 25.0
    floor.advance(200.0)
    assert decisions(floor) == [(85.0, "c1", "a1", Reason.ONLINE)]


def test_a_later_consumer_message_does_not_restart_the_wait() -> None:
    floor = waiting_floor()
    floor.consumer_says("c1", 40.0)
    assert (floor.view("c1").waiting_since, floor.view("c1").deadline) == (0.0, 60.0)
    floor.advance(100.0)
    assert decisions(floor) == [(60.0, "c1", "a1", Reason.ONLINE)]


def test_an_agent_message_ends_the_wait() -> None:
    floor = waiting_floor()
    floor.agent_says("c1", 30.0)
    assert floor.engine.read.conversation("c1") is None
    floor.advance(1000.0)
    assert floor.decided() == []


def test_a_consumer_message_after_the_agent_answered_starts_a_new_wait() -> None:
    floor = waiting_floor()
    floor.agent_says("c1", 30.0)
    floor.consumer_says("c1", 70.0)
    assert (floor.view("c1").waiting_since, floor.view("c1").deadline) == (70.0, 130.0)
    floor.advance(300.0)
    assert decisions(floor) == [(130.0, "c1", "a1", Reason.ONLINE)]


def test_a_new_agent_starts_afresh() -> None:
    floor = waiting_floor()
    floor.presence("a2", AgentState.ONLINE, 0.0)
    floor.assign("c1", 40.0, "a2")
    view = floor.view("c1")
    assert (view.agent, view.waiting_since, view.deadline) == ("a2", 40.0, 100.0)
    floor.advance(300.0)
    assert decisions(floor) == [(100.0, "c1", "a2", Reason.ONLINE)]


def test_the_agent_state_used_is_the_new_agents() -> None:
    floor = waiting_floor()
    floor.presence("a2", AgentState.OFFLINE, 0.0)
    floor.assign("c1", 40.0, "a2")
    assert (floor.view("c1").reason, floor.view("c1").deadline) == (Reason.OFFLINE, 50.0)


def test_an_agents_message_alone_is_not_watched() -> None:
    floor = Floor()
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.send(changed("c1", 0.0, "a1", message=agent_msg(1, 0.0)))
    assert floor.engine.read.conversation("c1") is None
    assert list(floor.engine.read.watched_ids()) == []
    floor.advance(1000.0)
    assert floor.decided() == []


def test_zero_threshold_is_due_at_the_consumer_message() -> None:
    floor = waiting_floor({"online": 0})
    floor.advance(0.0)
    assert decisions(floor) == [(0.0, "c1", "a1", Reason.ONLINE)]


# ---------------------------------------------------------------------- presence


def test_an_agent_without_presence_has_no_deadline_until_its_state_is_known() -> None:
    floor = Floor()
    floor.open("c1", 0.0, "a9", consumer_at=0.0)
    view = floor.view("c1")
    assert (view.status, view.agent_state, view.reason, view.deadline) == (
        Status.NO_PRESENCE,
        None,
        None,
        None,
    )
    assert view.waiting_since == 0.0
    floor.advance(500.0)
    assert floor.decided() == []
    floor.presence("a9", AgentState.ONLINE, 500.0)
    assert floor.view("c1").deadline == 60.0
    floor.tick(500.0)
    assert decisions(floor) == [(500.0, "c1", "a9", Reason.ONLINE)]


def test_an_older_presence_reading_is_ignored() -> None:
    floor = waiting_floor()
    floor.presence("a1", AgentState.AWAY, 20.0)
    floor.presence("a1", AgentState.OFFLINE, 5.0)
    assert floor.view("c1").agent_state is AgentState.AWAY
    assert floor.view("c1").deadline == 30.0
    [agent] = floor.engine.read.agents()
    assert (agent.state, agent.since) == (AgentState.AWAY, 20.0)


def test_agent_view_counts_open_and_waiting_conversations() -> None:
    floor = waiting_floor()
    floor.engine.apply(AgentChanged("a1", AgentState.ONLINE, 1.0, name="Ana"), 1.0)
    floor.open("c2", 0.0, "a1")
    [agent] = floor.engine.read.agents()
    assert (agent.agent_id, agent.name, agent.open_conversations) == ("a1", "Ana", 2)
    assert (agent.waiting_conversations, agent.held, agent.bot) == (1, False, False)


# ---------------------------------------------------------------------- off, skills


def test_a_threshold_that_is_off_never_unassigns() -> None:
    floor = waiting_floor({"online": 60, "away": None, "offline": 10}, state=AgentState.AWAY)
    view = floor.view("c1")
    assert (view.status, view.reason, view.threshold, view.deadline) == (
        Status.OFF,
        Reason.AWAY,
        None,
        None,
    )
    floor.advance(10_000.0)
    assert floor.decided() == []
    floor.presence("a1", AgentState.ONLINE, 10_000.0)
    floor.tick(10_000.0)
    assert decisions(floor) == [(10_000.0, "c1", "a1", Reason.ONLINE)]


@pytest.mark.parametrize(
    ("skill", "state", "threshold"),
    [
        ("billing", AgentState.ONLINE, 120.0),
        ("billing", AgentState.AWAY, None),
        ("billing", AgentState.BACK_SOON, None),
        ("billing", AgentState.OFFLINE, 10.0),
        ("sales", AgentState.ONLINE, 60.0),
        ("sales", AgentState.AWAY, 30.0),
        (None, AgentState.OFFLINE, 10.0),
    ],
)
def test_per_skill_override_replaces_only_the_fields_it_names(
    skill: str | None, state: AgentState, threshold: float | None
) -> None:
    floor = Floor(BILLING_POLICY)
    floor.presence("a1", state, 0.0)
    floor.open("c1", 0.0, "a1", skill=skill, consumer_at=0.0)
    view = floor.view("c1")
    assert view.threshold == threshold
    assert view.status is (Status.OFF if threshold is None else Status.WATCHING)
    assert view.deadline == threshold


def test_a_skill_change_re_derives_the_threshold() -> None:
    floor = waiting_floor(BILLING_POLICY)
    floor.assign("c1", 5.0, "a1", skill="billing")
    assert floor.view("c1").deadline == 120.0
    assert floor.view("c1").waiting_since == 0.0


# ---------------------------------------------------------------------- bots and the queue


def test_bot_agents_are_never_watched() -> None:
    floor = Floor()
    floor.presence("b1", AgentState.ONLINE, 0.0, bot=True)
    floor.open("c1", 0.0, "b1", consumer_at=0.0)
    assert floor.engine.read.conversation("c1") is None
    floor.advance(1000.0)
    assert floor.decided() == []
    assert_refused(floor.engine.execute(UnassignNow(conv="c1", by="sup"), 1000.0), "no human agent")


def test_an_agent_turning_bot_stops_the_watch_and_back_resumes_it() -> None:
    floor = waiting_floor()
    floor.presence("a1", AgentState.ONLINE, 10.0, bot=True)
    assert floor.engine.read.conversation("c1") is None
    floor.presence("a1", AgentState.ONLINE, 20.0, bot=False)
    assert floor.view("c1").deadline == 60.0


def test_queued_conversations_are_never_watched() -> None:
    floor = Floor()
    floor.open("c1", 0.0, None, consumer_at=0.0)
    assert floor.engine.read.conversation("c1") is None
    floor.advance(1000.0)
    assert floor.decided() == []
    assert_refused(floor.engine.execute(UnassignNow(conv="c1", by="sup"), 1000.0), "no human agent")


def test_back_to_the_queue_stops_the_watch() -> None:
    floor = waiting_floor()
    floor.assign("c1", 30.0, None)
    assert floor.engine.read.conversation("c1") is None
    floor.advance(1000.0)
    assert floor.decided() == []


# ---------------------------------------------------------------------- live threshold changes


def test_a_longer_threshold_applies_live() -> None:
    floor = waiting_floor()
    floor.engine.execute(SetPolicy(policy=make_policy({"online": 120}), by="sup"), 30.0)
    floor.collect()
    assert floor.view("c1").deadline == 120.0
    floor.advance(119.0)
    assert floor.decided() == []
    floor.advance(300.0)
    assert decisions(floor) == [(120.0, "c1", "a1", Reason.ONLINE)]


def test_a_shorter_threshold_applies_live_and_can_make_it_due_at_once() -> None:
    floor = waiting_floor()
    floor.advance(30.0)
    floor.engine.execute(SetPolicy(policy=make_policy({"online": 20}), by="sup"), 30.0)
    floor.collect()
    assert floor.view("c1").deadline == 20.0
    floor.tick(30.0)
    assert decisions(floor) == [(30.0, "c1", "a1", Reason.ONLINE)]
    assert floor.actions[0].due_at == 20.0


def test_a_threshold_change_applies_to_every_watched_conversation() -> None:
    floor = waiting_floor()
    floor.open("c2", 10.0, "a1", consumer_at=10.0)
    floor.presence("a2", AgentState.AWAY, 0.0)
    floor.open("c3", 5.0, "a2", consumer_at=5.0)
    floor.engine.execute(SetPolicy(policy=make_policy({"online": 100, "away": 50}), by="sup"), 20.0)
    assert [floor.view(c).deadline for c in ("c1", "c2", "c3")] == [100.0, 110.0, 55.0]
    floor.advance(500.0)
    assert decisions(floor) == [
        (55.0, "c3", "a2", Reason.AWAY),
        (100.0, "c1", "a1", Reason.ONLINE),
        (110.0, "c2", "a1", Reason.ONLINE),
    ]


def test_turning_a_threshold_off_live_stops_the_countdown() -> None:
    floor = waiting_floor()
    floor.engine.execute(SetPolicy(policy=make_policy({"online": None}), by="sup"), 30.0)
    assert floor.view("c1").status is Status.OFF
    floor.advance(1000.0)
    assert floor.decided() == []


def test_a_policy_change_is_audited_with_who_and_the_whole_policy() -> None:
    floor = Floor()
    policy = make_policy(BILLING_POLICY)
    floor.engine.execute(SetPolicy(policy=policy, by="sup"), 7.0)
    floor.collect()
    [event] = floor.events(AuditType.POLICY_CHANGED)
    assert (event.at, event.by, event.conv, event.agent) == (7.0, "sup", None, None)
    assert json.loads(event.detail) == policy.to_mapping()
    assert floor.engine.read.policy == policy


def test_policy_default_is_all_off() -> None:
    floor = Floor(Policy())
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.send(changed("c1", 0.0, "a1", message=consumer_msg(1, 0.0)))
    assert floor.view("c1").status is Status.OFF


def test_the_read_model_names_agents_and_counts_their_overdue_conversations() -> None:
    floor = waiting_floor()
    read = floor.engine.read
    assert read.agent_name("a1") is None, "the feed gave no name: the id alone"
    assert floor.view("c1").agent_name is None
    floor.engine.apply(AgentChanged("a1", AgentState.ONLINE, 0.0, name="Ana"), 1.0)
    assert (read.agent_name("a1"), read.agent_name("a9"), read.agent_name(None)) == (
        "Ana",
        None,
        None,
    )
    assert floor.view("c1").agent_name == "Ana"
    deadline = floor.view("c1").deadline
    assert deadline is not None
    assert read.overdue_by_agent(deadline - 1) == {}
    assert read.overdue_by_agent(deadline + 1) == {"a1": 1}
