"""A wait the feed could not date: the engine first saw the conversation with the consumer's
message newest (or after a gap), so the wait may have begun earlier. The messages read from
the platform date it from the first of the consumer's unbroken run, never later than the feed
did, and only when they reach the newest message the feed showed."""

from __future__ import annotations

from dataclasses import replace

from core_harness import Floor

from engine.core import AgentState, LastMessage, MessagesRead

AGENT_AT_5 = LastMessage(1, 5.0, from_consumer=False)
CONSUMER_AT_10 = LastMessage(2, 10.0, from_consumer=True)
CONSUMER_AT_30 = LastMessage(3, 30.0, from_consumer=True)


def seen(floor: Floor, message: LastMessage, now: float) -> None:
    """The feed shows c1 with `message` newest."""
    floor.send(replace(floor._last["c1"], last_message=message), now)


def started(messages: tuple[LastMessage, ...]) -> Floor:
    floor = Floor({"online": 60})
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.open("c1", 0.0, "a1")
    seen(floor, CONSUMER_AT_30, 31.0)
    assert floor.engine.take_unproven() == ["c1"]
    floor.engine.apply(MessagesRead("c1", messages), 32.0)
    floor.collect()
    return floor


def test_the_messages_read_date_the_wait_from_the_consumers_first_unanswered_message() -> None:
    floor = started((AGENT_AT_5, CONSUMER_AT_10, CONSUMER_AT_30))
    assert floor.view("c1").waiting_since == 10.0
    floor.advance(75.0)
    [decided] = floor.decided()
    assert decided.at == 70.0  # not 90: the wait began at 10 s


def test_a_gap_in_the_messages_read_dates_it_after_the_gap() -> None:
    floor = started((LastMessage(1, 8.0, from_consumer=True), CONSUMER_AT_30))
    assert floor.view("c1").waiting_since == 30.0


def test_messages_read_that_do_not_reach_the_newest_change_nothing() -> None:
    floor = started((AGENT_AT_5, CONSUMER_AT_10))
    assert floor.view("c1").waiting_since == 30.0


def test_an_answer_before_the_newest_message_keeps_the_start() -> None:
    floor = started((CONSUMER_AT_10, LastMessage(2, 20.0, from_consumer=False), CONSUMER_AT_30))
    assert floor.view("c1").waiting_since == 30.0


def test_a_conversation_first_seen_at_its_first_message_needs_no_reading() -> None:
    floor = Floor({"online": 60})
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.open("c1", 0.0, "a1")
    seen(floor, LastMessage(0, 1.0, from_consumer=True), 1.0)  # a new conversation's first
    assert floor.engine.take_unproven() == []


def test_each_unproven_wait_is_asked_for_once_and_one_decided_already_is_kept() -> None:
    floor = Floor({"online": 60})
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.open("c1", 0.0, "a1")
    seen(floor, CONSUMER_AT_30, 31.0)
    assert floor.engine.take_unproven() == ["c1"]
    assert floor.engine.take_unproven() == []
    floor.advance(90.0)  # decided by the feed's start: under way now
    floor.engine.apply(MessagesRead("c1", (AGENT_AT_5, CONSUMER_AT_10, CONSUMER_AT_30)), 91.0)
    assert floor.view("c1").waiting_since == 30.0
