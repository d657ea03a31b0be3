"""The live client against the loopback platform: watching, unassigning, retries, stalls."""

from __future__ import annotations

import asyncio

from live_harness import StartLive, until
from live_platform import FakePlatform

from engine.core import AuditType, Status
from engine.protocol import UPDATE_CONVERSATION_FIELD

DECIDED = AuditType.UNASSIGN_DECIDED
CONFIRMED = AuditType.UNASSIGN_CONFIRMED


def _floor_with(platform: FakePlatform, *convs: str) -> None:
    for number, conv in enumerate(convs, start=1):
        platform.add_agent(f"a{number}")
        platform.open_conversation(conv, f"a{number}")


async def test_a_consumer_message_makes_a_watched_conversation(
    platform: FakePlatform, start_live: StartLive
) -> None:
    _floor_with(platform, "c1")
    live = await start_live(policy={"online": 60})
    read = live.floor.service.read
    assert read.conversation("c1") is None

    platform.consumer_message("c1")
    await until(lambda: read.conversation("c1") is not None, what="c1 watched")

    view = read.conversation("c1")
    assert view is not None and view.agent == "a1" and view.status is Status.WATCHING
    assert view.deadline is not None and view.waiting_since is not None
    assert view.deadline - view.waiting_since == 60
    assert abs(live.floor.clock.now() - platform.now_ms() / 1000) < 0.1
    assert live.floor.status.state == "live"


async def test_unassign_goes_out_and_the_feed_confirms_it(
    platform: FakePlatform, start_live: StartLive
) -> None:
    _floor_with(platform, "c1")
    live = await start_live()
    platform.consumer_message("c1")

    await until(lambda: CONFIRMED in live.types("c1"), what="unassign confirmed")

    assert live.types("c1") == ["unassign.decided", "unassign.sent", "unassign.confirmed"]
    decided = live.first(DECIDED, "c1")
    assert decided.agent == "a1" and decided.reason == "online"
    assert platform.convs["c1"].agent is None
    assert live.floor.service.read.conversation("c1") is None


async def test_a_refused_action_is_retried_and_later_confirmed(
    platform: FakePlatform, start_live: StartLive
) -> None:
    _floor_with(platform, "c1")
    platform.faults.fail_actions = 1
    live = await start_live()
    platform.consumer_message("c1")

    await until(lambda: AuditType.UNASSIGN_FAILED in live.types("c1"), what="first failure")
    view = live.floor.service.read.conversation("c1")
    assert view is not None and view.status is Status.FAILED
    assert view.last_error is not None and "fault: action refused" in view.last_error

    await until(lambda: CONFIRMED in live.types("c1"), timeout=4.0, what="retry confirmed")
    assert live.types("c1") == [
        "unassign.decided",
        "unassign.failed",
        "unassign.sent",
        "unassign.confirmed",
    ]


async def test_an_unanswered_action_times_out_and_is_retried(
    platform: FakePlatform, start_live: StartLive
) -> None:
    _floor_with(platform, "c1")
    platform.faults.ignore_actions = 1
    live = await start_live(request_timeout=0.4, keepalive_interval=0.1)
    platform.consumer_message("c1")

    await until(lambda: CONFIRMED in live.types("c1"), timeout=4.5, what="retry confirmed")

    failed = live.first(AuditType.UNASSIGN_FAILED, "c1")
    assert failed.detail.startswith("timeout")
    assert live.types("c1") == [
        "unassign.decided",
        "unassign.failed",
        "unassign.sent",
        "unassign.confirmed",
    ]
    assert live.floor.session.synced, "a timed-out action must not cost the connection"
    unassigns = platform.requests_of(UPDATE_CONVERSATION_FIELD)
    assert len(unassigns) == 2


async def test_a_stall_across_the_deadline_while_the_agent_answers_unassigns_nothing(
    platform: FakePlatform, start_live: StartLive
) -> None:
    _floor_with(platform, "c1")
    live = await start_live(policy={"online": 0.6}, keepalive_interval=0.1)
    platform.consumer_message("c1")
    await until(lambda: live.floor.service.read.conversation("c1") is not None)

    platform.stall()
    await asyncio.sleep(0.2)
    platform.agent_message("c1")  # before the deadline, but held by the stall
    await asyncio.sleep(0.9)  # the deadline passes while the feed is stalled
    assert live.types("c1") == []
    assert live.floor.status.state == "stale"

    platform.resume()
    await until(lambda: live.floor.service.read.conversation("c1") is None, what="answer seen")
    await asyncio.sleep(0.2)
    assert DECIDED not in live.types()
    assert not platform.requests_of(UPDATE_CONVERSATION_FIELD)
    drift = live.floor.clock.now() - platform.now_ms() / 1000
    assert abs(drift) < 0.1, "answers delayed by the stall must not skew the clock"


async def test_the_barrier_waits_for_a_presence_reading_taken_after_the_deadline(
    platform: FakePlatform, start_live: StartLive
) -> None:
    _floor_with(platform, "c1")
    live = await start_live(policy={"online": 0.5, "away": None}, poll_interval=30.0)
    read = live.floor.service.read
    platform.consumer_message("c1")
    await until(lambda: read.conversation("c1") is not None)
    polls = platform.agent_view_calls

    platform.set_agent_state("a1", "AWAY")  # not pushed: only a poll can tell
    await until(lambda: platform.agent_view_calls > polls, what="the barrier's own poll")
    await until(lambda: (v := read.conversation("c1")) is not None and v.status is Status.OFF)
    assert DECIDED not in live.types(), "decided on a presence reading older than the deadline"
