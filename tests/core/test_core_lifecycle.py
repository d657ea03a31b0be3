"""An unassign's life: decided -> action -> sent -> confirmed by the feed; failed -> retried
with backoff and the same key; the agent answering first -> raced, never retried."""

from __future__ import annotations

from dataclasses import replace

import pytest
from core_harness import Floor, assert_refused, waiting_floor

from engine.core import (
    ActionFailed,
    ActionSucceeded,
    AgentState,
    AuditType,
    Extend,
    Hold,
    Reason,
    Release,
    SetDryRun,
    SetPolicy,
    Status,
    Unassign,
    UnassignNow,
)
from engine.core.inflight import retry_delay


def decided_floor(*, dry_run: bool = False) -> tuple[Floor, Unassign]:
    """c1 decided at 60 (online) and its action handed out."""
    floor = waiting_floor(dry_run=dry_run)
    floor.advance(60.0)
    [action] = floor.actions
    return floor, action


def test_a_decision_hands_out_one_action_and_the_conversation_is_unassigning() -> None:
    floor, action = decided_floor()
    [decided] = floor.decided()
    assert (decided.conv, decided.agent, decided.reason, decided.key, decided.by) == (
        "c1",
        "a1",
        Reason.ONLINE,
        action.key,
        "engine",
    )
    view = floor.view("c1")
    assert (view.status, view.reason, view.deadline) == (Status.UNASSIGNING, Reason.ONLINE, 60.0)
    assert floor.engine.next_wake() is None


def test_sent_then_confirmed_when_the_feed_shows_the_agent_removed() -> None:
    floor, action = decided_floor()
    floor.engine.apply(ActionSucceeded(action), 61.0)
    floor.collect()
    [sent] = floor.events(AuditType.UNASSIGN_SENT)
    assert (sent.at, sent.conv, sent.agent, sent.key, sent.detail) == (
        61.0,
        "c1",
        "a1",
        action.key,
        "attempt 1",
    )
    assert floor.view("c1").status is Status.UNASSIGNING
    floor.assign("c1", 62.0, None)
    [confirmed] = floor.events(AuditType.UNASSIGN_CONFIRMED)
    assert (confirmed.at, confirmed.conv, confirmed.agent, confirmed.reason, confirmed.key) == (
        62.0,
        "c1",
        "a1",
        Reason.ONLINE,
        action.key,
    )
    assert floor.engine.read.conversation("c1") is None
    floor.advance(1000.0)
    assert floor.actions == [action]
    assert len(floor.decided()) == 1


def test_confirmed_when_routing_gives_the_conversation_to_another_agent() -> None:
    floor, action = decided_floor()
    floor.presence("a2", AgentState.ONLINE, 0.0)
    floor.engine.apply(ActionSucceeded(action), 61.0)
    floor.assign("c1", 63.0, "a2")
    assert [e.agent for e in floor.events(AuditType.UNASSIGN_CONFIRMED)] == ["a1"]
    view = floor.view("c1")
    assert (view.agent, view.waiting_since, view.deadline, view.status) == (
        "a2",
        63.0,
        123.0,
        Status.WATCHING,
    )
    floor.advance(200.0)
    assert [(e.at, e.agent) for e in floor.decided()] == [(60.0, "a1"), (123.0, "a2")]
    assert floor.actions[1].key != action.key


def test_a_failed_action_is_retried_with_backoff_and_the_same_key() -> None:
    floor, first = decided_floor()
    floor.engine.apply(ActionFailed(first, "timeout"), 61.0)
    floor.collect()
    [failed] = floor.events(AuditType.UNASSIGN_FAILED)
    assert (failed.at, failed.key, failed.detail) == (61.0, first.key, "timeout")
    view = floor.view("c1")
    assert (view.status, view.last_error) == (Status.FAILED, "timeout")
    assert floor.engine.next_wake() == 63.0
    floor.advance(62.9)
    assert floor.actions == [first]
    floor.advance(63.0)
    second = floor.actions[-1]
    assert second == replace(first, attempt=2, sent_at=63.0)
    assert second.attempt_at == 63.0  # its timeout runs from the retry, not the decision
    assert floor.view("c1").status is Status.UNASSIGNING
    floor.engine.apply(ActionFailed(second, "503"), 64.0)
    floor.advance(67.9)
    assert len(floor.actions) == 2
    floor.advance(68.0)
    assert floor.actions[-1] == replace(first, attempt=3, sent_at=68.0)
    assert len(floor.decided()) == 1


@pytest.mark.parametrize(
    ("attempt", "delay"), [(1, 2.0), (2, 4.0), (3, 8.0), (4, 16.0), (5, 32.0), (6, 60.0), (9, 60.0)]
)
def test_retry_delay_doubles_up_to_a_minute(attempt: int, delay: float) -> None:
    assert retry_delay(attempt) == delay


def test_the_agent_answering_before_the_action_lands_is_a_race_never_retried() -> None:
    floor, action = decided_floor()
    floor.agent_says("c1", 60.5)
    [raced] = floor.events(AuditType.UNASSIGN_RACED)
    assert (raced.at, raced.conv, raced.agent, raced.key, raced.detail) == (
        60.5,
        "c1",
        "a1",
        action.key,
        "the agent answered first",
    )
    assert floor.engine.read.conversation("c1") is None
    floor.engine.apply(ActionFailed(action, "conflict"), 61.0)
    floor.collect()
    floor.advance(1000.0)
    assert floor.actions == [action]
    assert len(floor.events(AuditType.UNASSIGN_FAILED)) == 1


def test_a_race_after_a_failure_cancels_the_retry() -> None:
    floor, action = decided_floor()
    floor.engine.apply(ActionFailed(action, "timeout"), 61.0)
    floor.agent_says("c1", 62.0)
    assert len(floor.events(AuditType.UNASSIGN_RACED)) == 1
    floor.advance(1000.0)
    assert floor.actions == [action]
    assert floor.engine.read.conversation("c1") is None


def test_a_race_after_the_platform_accepted_is_recorded_once() -> None:
    floor, action = decided_floor()
    floor.engine.apply(ActionSucceeded(action), 61.0)
    floor.agent_says("c1", 62.0)
    floor.agent_says("c1", 63.0)
    assert len(floor.events(AuditType.UNASSIGN_RACED)) == 1
    floor.assign("c1", 64.0, None)
    assert len(floor.events(AuditType.UNASSIGN_CONFIRMED)) == 1
    floor.advance(1000.0)
    assert floor.actions == [action]


def test_after_a_race_a_new_consumer_message_is_watched_again() -> None:
    floor, action = decided_floor()
    floor.agent_says("c1", 61.0)
    floor.consumer_says("c1", 70.0)
    assert (floor.view("c1").status, floor.view("c1").deadline) == (Status.WATCHING, 130.0)
    floor.advance(200.0)
    assert [e.at for e in floor.decided()] == [60.0, 130.0]
    assert floor.actions[-1].key != action.key


def test_a_hold_suspends_a_retry_until_released() -> None:
    floor, action = decided_floor()
    floor.engine.apply(ActionFailed(action, "timeout"), 61.0)
    floor.engine.execute(Hold(conv="c1", until=None, by="sup"), 62.0)
    assert floor.view("c1").status is Status.HELD
    floor.advance(100.0)
    assert floor.actions == [action]
    floor.engine.execute(Release(conv="c1", by="sup"), 100.0)
    floor.tick(100.0)
    assert floor.actions == [action, replace(action, attempt=2, sent_at=100.0)]


def test_a_timed_hold_on_a_failed_unassign_resumes_the_retry_when_it_ends() -> None:
    floor, action = decided_floor()
    floor.engine.apply(ActionFailed(action, "timeout"), 61.0)
    floor.engine.execute(Hold(conv="c1", until=100.0, by="sup"), 62.0)
    assert floor.view("c1").status is Status.HELD
    floor.advance(99.0)
    assert floor.actions == [action]
    floor.advance(300.0)
    ended = [e for e in floor.events(AuditType.OVERRIDE_RELEASE) if e.detail == "hold ended"]
    assert [e.at for e in ended] == [100.0]
    assert floor.actions == [action, replace(action, attempt=2, sent_at=100.0)]


def test_results_for_an_older_action_do_not_touch_the_current_one() -> None:
    floor, old = decided_floor()
    floor.presence("a2", AgentState.ONLINE, 0.0)
    floor.assign("c1", 62.0, "a2")
    floor.advance(122.0)
    current = floor.actions[-1]
    assert current.key != old.key
    floor.engine.apply(ActionFailed(old, "late"), 123.0)
    floor.engine.apply(ActionSucceeded(old), 123.0)
    floor.advance(200.0)
    assert floor.actions == [old, current]
    assert floor.view("c1").status is Status.UNASSIGNING


def test_results_for_a_conversation_the_engine_forgot_are_only_audited() -> None:
    floor, action = decided_floor()
    floor.close("c1", 61.0)
    floor.engine.apply(ActionSucceeded(action), 62.0)
    floor.collect()
    assert [e.type for e in floor.audit[-1:]] == [AuditType.UNASSIGN_SENT]
    assert floor.engine.read.conversation("c1") is None


def test_no_second_decision_while_an_unassign_is_under_way() -> None:
    floor, action = decided_floor()
    floor.engine.execute(SetPolicy(policy=floor.engine.read.policy, by="sup"), 61.0)
    floor.presence("a1", AgentState.OFFLINE, 62.0)
    floor.consumer_says("c1", 63.0)
    floor.engine.execute(Extend(conv="c1", seconds=10.0, by="sup"), 64.0)
    floor.advance(1000.0)
    assert floor.actions == [action]
    assert len(floor.decided()) == 1
    assert floor.view("c1").status is Status.UNASSIGNING


def test_a_manual_unassign_is_allowed_again_after_a_race() -> None:
    floor, _ = decided_floor()
    floor.agent_says("c1", 61.0)
    floor.engine.execute(UnassignNow(conv="c1", by="sup"), 62.0)
    floor.tick(62.0)
    assert [e.reason for e in floor.decided()] == [Reason.ONLINE, Reason.MANUAL]


def test_after_a_raced_manual_unassign_the_next_wait_is_watched_normally() -> None:
    """unassign_now -> decided -> the action fails -> the agent answers (raced) -> the consumer
    writes again: that new wait must get its own deadline and be decided at it."""
    floor = waiting_floor()
    floor.engine.execute(UnassignNow(conv="c1", by="sup"), 5.0)
    floor.tick(5.0)
    [manual] = floor.actions
    floor.engine.apply(ActionFailed(manual, "timeout"), 6.0)
    floor.agent_says("c1", 7.0)
    assert len(floor.events(AuditType.UNASSIGN_RACED)) == 1
    assert floor.engine.read.conversation("c1") is None
    floor.consumer_says("c1", 20.0)
    view = floor.view("c1")
    assert (view.status, view.reason, view.deadline) == (Status.WATCHING, Reason.ONLINE, 80.0)
    floor.advance(200.0)
    assert [(e.at, e.reason) for e in floor.decided()] == [
        (5.0, Reason.MANUAL),
        (80.0, Reason.ONLINE),
    ]


def test_an_agent_message_races_a_manual_unassign_under_way_even_after_a_release() -> None:
    """Nothing waits (the agent answered), the supervisor unassigns now, then releases the
    conversation; the agent writes while the action is under way: a race, no retry."""
    floor = waiting_floor()
    floor.agent_says("c1", 5.0)
    floor.engine.execute(UnassignNow(conv="c1", by="sup"), 10.0)
    floor.tick(10.0)
    [action] = floor.actions
    floor.engine.execute(Release(conv="c1", by="sup"), 11.0)
    floor.agent_says("c1", 12.0)
    assert [e.at for e in floor.events(AuditType.UNASSIGN_RACED)] == [12.0]
    floor.engine.apply(ActionFailed(action, "timeout"), 13.0)
    floor.advance(100.0)
    assert floor.actions == [action]


def test_a_retry_pending_when_dry_run_is_switched_on_is_not_sent() -> None:
    floor, action = decided_floor()
    floor.engine.apply(ActionFailed(action, "timeout"), 61.0)
    floor.engine.execute(SetDryRun(on=True, by="sup"), 62.0)
    floor.advance(200.0)
    assert floor.actions == [action]


def test_take_changed_reports_conversations_whose_view_changed() -> None:
    floor = waiting_floor()
    floor.open("c2", 0.0, "a1")
    assert floor.engine.read.take_changed() == {"c1", "c2"}
    assert floor.engine.read.take_changed() == set()
    floor.engine.execute(Hold(conv="c1", until=None, by="sup"), 1.0)
    assert floor.engine.read.take_changed() == {"c1"}


def test_an_unassign_needs_a_human_agent_even_a_known_bot_is_refused() -> None:
    floor = waiting_floor()
    floor.presence("a1", AgentState.ONLINE, 1.0, bot=True)
    assert_refused(floor.engine.execute(UnassignNow(conv="c1", by="sup"), 2.0), "no human agent")
