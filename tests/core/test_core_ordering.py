"""Feed ordering: duplicates and out-of-order events are ignored by sequence/timestamp;
closed conversations are forgotten for good."""

from __future__ import annotations

import pytest
from core_harness import (
    Floor,
    agent_msg,
    assert_refused,
    changed,
    consumer_msg,
    conversation_commands,
    waiting_floor,
)

from engine.core import (
    ActionFailed,
    AgentChanged,
    AgentState,
    AuditType,
    Reason,
)


def test_older_metadata_is_ignored_but_a_newer_message_it_carries_applies() -> None:
    floor = Floor()
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.presence("a2", AgentState.ONLINE, 0.0)
    floor.send(changed("c1", 10.0, "a1"))
    floor.send(changed("c1", 5.0, "a2", skill="billing", message=consumer_msg(1, 12.0)), 13.0)
    view = floor.view("c1")
    assert (view.agent, view.skill, view.waiting_since, view.deadline) == (
        "a1",
        "sales",
        12.0,
        72.0,
    )


def test_a_message_with_an_older_or_equal_sequence_is_ignored() -> None:
    floor = Floor()
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.send(changed("c1", 0.0, "a1", message=consumer_msg(5, 10.0)))
    floor.send(changed("c1", 0.0, "a1", message=agent_msg(4, 8.0)), 11.0)
    floor.send(changed("c1", 0.0, "a1", message=agent_msg(5, 10.0)), 12.0)
    assert floor.view("c1").waiting_since == 10.0
    floor.advance(100.0)
    assert [(e.at, e.conv) for e in floor.decided()] == [(70.0, "c1")]


def test_a_newer_sequence_after_a_gap_applies() -> None:
    floor = waiting_floor()
    floor.send(changed("c1", 0.0, "a1", message=agent_msg(9, 20.0)))
    assert floor.engine.read.conversation("c1") is None
    floor.send(changed("c1", 0.0, "a1", message=consumer_msg(3, 5.0)), 21.0)
    assert floor.engine.read.conversation("c1") is None


def test_a_change_without_last_message_never_means_the_agent_answered() -> None:
    floor = waiting_floor()
    floor.send(changed("c1", 20.0, "a1", message=None))
    view = floor.view("c1")
    assert (view.waiting_since, view.deadline) == (0.0, 60.0)
    floor.advance(100.0)
    assert [e.at for e in floor.decided()] == [60.0]


def test_a_newer_change_overtaken_by_an_older_one_keeps_the_newer_metadata() -> None:
    floor = Floor()
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.presence("a2", AgentState.AWAY, 0.0)
    floor.send(changed("c1", 20.0, "a2", message=consumer_msg(2, 15.0)))
    floor.send(changed("c1", 10.0, "a1", message=consumer_msg(1, 0.0)), 21.0)
    view = floor.view("c1")
    assert (view.agent, view.waiting_since, view.reason, view.deadline) == (
        "a2",
        20.0,
        Reason.AWAY,
        50.0,
    )


def test_a_duplicate_change_is_a_no_op() -> None:
    floor = waiting_floor()
    floor.presence("a2", AgentState.ONLINE, 0.0)
    change = changed("c1", 30.0, "a2", message=consumer_msg(2, 30.0))
    floor.send(change)
    before = floor.view("c1")
    audit_before = len(floor.audit)
    floor.send(change, 40.0)
    floor.send(change, 50.0)
    assert floor.view("c1") == before
    assert before.waiting_since == 30.0
    assert len(floor.audit) == audit_before


def test_an_older_presence_reading_does_not_override_a_newer_one() -> None:
    floor = waiting_floor()
    floor.engine.apply(AgentChanged("a1", AgentState.OFFLINE, 20.0), 21.0)
    floor.engine.apply(AgentChanged("a1", AgentState.ONLINE, 19.0), 22.0)
    assert floor.view("c1").agent_state is AgentState.OFFLINE
    assert floor.view("c1").deadline == 10.0


def test_a_presence_reading_with_only_a_new_name_keeps_the_deadline() -> None:
    floor = waiting_floor()
    floor.engine.apply(AgentChanged("a1", AgentState.ONLINE, 5.0, name="Ana"), 5.0)
    assert floor.view("c1").deadline == 60.0
    assert [a.name for a in floor.engine.read.agents()] == ["Ana"]


# ---------------------------------------------------------------------- closing


def test_a_closed_conversation_is_forgotten_and_never_comes_back() -> None:
    floor = waiting_floor()
    floor.close("c1", 30.0)
    assert floor.engine.read.conversation("c1") is None
    assert "c1" in floor.engine.read.take_changed()
    floor.send(changed("c1", 40.0, "a1", message=consumer_msg(7, 40.0)))
    assert floor.engine.read.conversation("c1") is None
    floor.advance(1000.0)
    assert floor.decided() == []
    [agent] = floor.engine.read.agents()
    assert agent.open_conversations == 0


def test_a_change_showing_the_conversation_closed_forgets_it() -> None:
    floor = waiting_floor()
    floor.send(changed("c1", 30.0, "a1", open_=False))
    assert floor.engine.read.conversation("c1") is None
    floor.send(changed("c1", 40.0, "a1", message=consumer_msg(7, 40.0)))
    assert floor.engine.read.conversation("c1") is None
    floor.advance(1000.0)
    assert floor.decided() == []


def test_a_conversation_first_seen_closed_is_never_watched() -> None:
    floor = Floor()
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.send(changed("c1", 10.0, "a1", open_=False))
    floor.send(changed("c1", 20.0, "a1", message=consumer_msg(1, 20.0)))
    assert floor.engine.read.conversation("c1") is None
    floor.advance(1000.0)
    assert floor.decided() == []


def test_closing_an_unassigning_conversation_drops_its_retry() -> None:
    floor = waiting_floor()
    floor.advance(60.0)
    [action] = floor.actions
    floor.close("c1", 61.0)
    floor.engine.apply(ActionFailed(action, "gone"), 62.0)
    floor.collect()
    floor.advance(1000.0)
    assert floor.actions == [action]
    assert [e.type for e in floor.events(AuditType.UNASSIGN_FAILED)] == [AuditType.UNASSIGN_FAILED]


@pytest.mark.parametrize("command", ["hold", "release", "extend", "unassign_now"])
def test_commands_on_a_closed_conversation_are_refused(command: str) -> None:
    floor = waiting_floor()
    floor.close("c1", 10.0)
    engine = floor.engine
    commands = conversation_commands("c1")
    assert_refused(engine.execute(commands[command], 11.0), "not open")
