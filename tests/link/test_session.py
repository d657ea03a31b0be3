"""The link session as a sans-IO protocol: what goes in is a call, what comes out is returned
(events for the engine, frames to send, a clock sample); it holds nothing of its caller."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.core import (
    ActionFailed,
    ActionSucceeded,
    BarrierCompleted,
    ConversationChanged,
    ConversationGone,
    FeedFresh,
    FeedStale,
    Reason,
    Unassign,
)
from engine.link.clock import ClockSample
from engine.link.output import SessionOutput
from engine.link.session import LinkSession
from engine.protocol import Spelling

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
T0 = 1_732_500_000.0


def _request(write: str) -> dict[str, object]:
    frame = json.loads(write)
    assert isinstance(frame, dict)
    return frame


def _answer(write: str, *, code: int = 200, current_time: float | None = None) -> str:
    answer: dict[str, object] = {"kind": "resp", "reqId": _request(write)["id"], "code": code}
    answer["type"] = "x"
    if current_time is not None:
        answer["body"] = {"currentTime": round(current_time * 1000)}
    return json.dumps(answer)


def _synced(session: LinkSession, at: float = T0) -> None:
    for write in session.connected(at).writes:
        session.receive(_answer(write), at)
    assert session.synced


def _unassign(conv: str = "c1", at: float = T0) -> Unassign:
    return Unassign(conv, "a1", Reason.ONLINE, at - 1, at, key=f"{conv}:a1:1")


def test_connecting_returns_the_subscriptions_and_the_resync_to_send() -> None:
    session = LinkSession(brand_id="1234")
    out = session.connected(T0)
    assert [_request(w)["type"] for w in out.writes] == [
        ".ams.aam.SubscribeExConversations",
        ".ams.routing.SubscribeAgentsState",
        ".GetClock",
    ], "the raw names, as the official SDK sends them"
    assert out.events == () and out.clock is None and out.reconnect is None


def test_the_documented_spelling_is_one_setting_away() -> None:
    session = LinkSession(brand_id="1234", spelling=Spelling.DOCUMENTED)
    out = session.connected(T0)
    assert [_request(w)["type"] for w in out.writes] == [
        "cqm.SubscribeExConversations",
        "routing.SubscribeAgentsState",
        "GetClock",
    ]
    _synced(session)
    (write,) = session.send_unassign(_unassign()).writes
    assert _request(write)["type"] == "cm.UpdateConversationField"


def test_the_resync_answer_returns_fresh_and_the_clock_sample() -> None:
    session = LinkSession(brand_id="1234", push_presence=False)
    resync = session.connected(T0).writes[-1]
    out = session.receive(_answer(resync, current_time=T0 + 3.5), T0 + 0.5)
    assert out.events == (FeedFresh(T0, "resynced"),)
    assert out.writes == ()
    assert out.clock == ClockSample(error=3.25, round_trip=0.5)
    assert session.synced


def test_a_notification_returns_its_events_and_nothing_to_send() -> None:
    session = LinkSession(brand_id="1234", push_presence=False)
    _synced(session)
    raw = (SAMPLES / "ex_conversation_change.upsert.notification.json").read_bytes()
    out = session.receive(raw, T0 + 1)
    assert out.writes == () and out.clock is None
    assert [type(e) for e in out.events] == [ConversationChanged]
    assert session.stats.notifications == 1


def test_a_barrier_is_one_getclock_and_its_answer_completes_it() -> None:
    session = LinkSession(brand_id="1234")
    assert session.start_barrier(T0) == SessionOutput(), "not synced: no barrier"
    _synced(session)
    (write,) = session.start_barrier(T0 + 10).writes
    assert _request(write)["type"] == ".GetClock"
    assert session.start_barrier(T0 + 10.1) == SessionOutput(), "one is under way"
    out = session.receive(_answer(write, current_time=T0 + 10.2), T0 + 10.2)
    assert out.events == (BarrierCompleted(T0 + 10),)
    assert out.clock is not None and out.clock.round_trip == pytest.approx(0.2)


def test_an_unassign_is_a_write_and_its_answer_an_event() -> None:
    session = LinkSession(brand_id="1234")
    action = _unassign()
    assert session.send_unassign(action).events == (ActionFailed(action, "not connected"),)
    _synced(session)
    (write,) = session.send_unassign(action).writes
    assert _request(write)["type"] == ".ams.cm.UpdateConversationField"
    assert session.receive(_answer(write), T0 + 0.1).events == (ActionSucceeded(action),)
    (again,) = session.send_unassign(action).writes
    failed = session.receive(_answer(again, code=500), T0 + 0.2).events
    assert [type(e) for e in failed] == [ActionFailed]


def test_losing_the_connection_returns_stale_and_fails_what_was_unanswered() -> None:
    session = LinkSession(brand_id="1234")
    _synced(session)
    action = _unassign()
    session.send_unassign(action)
    out = session.disconnected(T0 + 1, "socket closed")
    assert out.events == (
        FeedStale("socket closed"),
        ActionFailed(action, "connection lost: socket closed"),
    )
    assert session.disconnected(T0 + 2, "again").events == (), "already down"


def test_the_timer_expires_requests_and_sends_the_keepalive() -> None:
    session = LinkSession(brand_id="1234", request_timeout=5.0, keepalive_interval=20.0)
    _synced(session)
    action = _unassign()
    session.send_unassign(action)
    out = session.timer(T0 + 5)
    assert out.events == (ActionFailed(action, "timeout: no response in 5 s"),)
    assert out.reconnect is None and out.writes == ()
    assert session.next_timer() == T0 + 20
    (keepalive,) = session.timer(T0 + 20).writes
    assert _request(keepalive)["type"] == ".GetClock"
    assert session.timer(T0 + 25).reconnect is not None, "the keep-alive went unanswered"


def test_a_resync_closes_what_the_snapshot_left_out() -> None:
    session = LinkSession(brand_id="1234", push_presence=False)
    _synced(session)
    raw = (SAMPLES / "ex_conversation_change.upsert.notification.json").read_bytes()
    (changed,) = session.receive(raw, T0 + 1).events
    assert isinstance(changed, ConversationChanged)
    session.disconnected(T0 + 2, "drop")
    resync = session.connected(T0 + 3).writes[-1]
    out = session.receive(_answer(resync), T0 + 3)
    assert out.events == (ConversationGone(changed.conv_id), FeedFresh(T0 + 3, "resynced"))
