"""The link on the one-pass decoder: a frame's body is read with its envelope (and translates
as the plain notification does), and each kind of failure keeps its own consequence
(malformed or invalid: lost; unknown: counted)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from engine.core import ConversationChanged, FeedFresh, FeedStale
from engine.link.session import LinkSession
from engine.link.translate import FeedTranslator
from engine.protocol import (
    AgentStateNotification,
    ConversationNotification,
    Notification,
    decode_frame,
    parse_frame,
)

T0 = 1_732_500_000.0
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CONV_TYPE = ".ams.aam.ExConversationChangeNotification"


def _answer(write: str, body: object) -> str:
    request = json.loads(write)
    answer = {"kind": "resp", "reqId": request["id"], "code": 200, "type": "x", "body": body}
    return json.dumps(answer)


def _notification(body: dict[str, Any], type_: str = CONV_TYPE) -> str:
    return json.dumps({"kind": "notification", "type": type_, "body": body})


def _conversation(conv: str) -> dict[str, Any]:
    details = {
        "skillId": "s1",
        "participants": {"CONSUMER": [f"consumer-{conv}"], "ASSIGNED_AGENT": ["12345678.a1"]},
        "state": "OPEN",
        "startTs": round(T0 * 1000) - 60_000,
    }
    change = {"type": "UPSERT", "result": {"convId": conv, "conversationDetails": details}}
    return {"subscriptionId": "sub", "changes": [change]}


def _synced() -> LinkSession:
    session = LinkSession(brand_id="12345678", push_presence=False)
    *subscriptions, resync = session.connected(T0).writes
    for write in subscriptions:
        session.receive(_answer(write, {"subscriptionId": "sub"}), T0)
    session.receive(_answer(resync, {"currentTime": round(T0 * 1000)}), T0)
    assert session.synced
    return session


@pytest.mark.parametrize(
    "name",
    [
        "ex_conversation_change.upsert.notification.json",
        "ex_conversation_change.upsert.raw_v2.notification.json",
        "ex_conversation_change.back_to_queue.notification.json",
        "agent_state.notification.json",
    ],
)
def test_a_decoded_sample_translates_as_its_plain_notification_does(name: str) -> None:
    raw = (SAMPLES / name).read_bytes()
    decoded, plain = decode_frame(raw), parse_frame(raw)
    assert isinstance(decoded, ConversationNotification | AgentStateNotification)
    assert isinstance(plain, Notification)
    events = FeedTranslator().translate(decoded, received_at=99.0)
    assert events and events == FeedTranslator().translate(plain, received_at=99.0)


def test_a_decoded_notification_becomes_its_events() -> None:
    out = _synced().receive(_notification(_conversation("c1")), T0 + 1)
    assert [type(e) for e in out.events] == [ConversationChanged]


def test_a_body_not_as_modelled_loses_the_frame_naming_its_type_and_field(
    caplog: pytest.LogCaptureFixture,
) -> None:
    session = _synced()
    with caplog.at_level(logging.WARNING, logger="floorwatch.link"):
        out = session.receive(_notification({"subscriptionId": "s", "changes": "x"}), T0 + 1)
    (stale,) = out.events
    assert isinstance(stale, FeedStale) and "lost (invalid)" in stale.detail
    assert dict(session.stats.dropped) == {"invalid": 1}
    assert session.stats.notifications == 1
    assert "cqm.ExConversationChangeNotification: field 'changes'" in caplog.text
    assert session.timer(T0 + 1).reconnect == stale.detail


def test_a_broken_envelope_of_a_read_type_is_malformed_not_invalid() -> None:
    session = _synced()
    out = session.receive(json.dumps({"kind": "notification", "type": CONV_TYPE}), T0 + 1)
    (stale,) = out.events
    assert isinstance(stale, FeedStale) and "lost (malformed)" in stale.detail


def test_an_invalid_body_while_disconnected_is_ignored_like_any_notification() -> None:
    session = _synced()
    session.disconnected(T0 + 1, "dropped")
    out = session.receive(_notification({"changes": []}), T0 + 2)
    assert out.events == () and session.stats.notifications == 1
    assert not session.stats.dropped


def test_a_getclock_answer_without_a_current_time_is_dropped_as_invalid() -> None:
    session = LinkSession(brand_id="12345678", push_presence=False)
    *subscriptions, resync = session.connected(T0).writes
    for write in subscriptions:
        session.receive(_answer(write, {"subscriptionId": "sub"}), T0)
    out = session.receive(_answer(resync, {"currentTime": "soon"}), T0)
    assert out.clock is None
    assert dict(session.stats.dropped) == {"invalid": 1}
    assert any(isinstance(e, FeedFresh) for e in out.events), "its order still proves the resync"


def test_a_getclock_answer_with_its_time_as_text_still_dates_the_round_trip() -> None:
    session = LinkSession(brand_id="12345678", push_presence=False)
    *_, resync = session.connected(T0).writes
    out = session.receive(_answer(resync, {"currentTime": str(round(T0 * 1000) + 500)}), T0)
    assert out.clock is not None and out.clock.error == pytest.approx(0.5)
