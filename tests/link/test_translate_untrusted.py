"""Untrusted text at the edge: every id, name, skill and consumer the translator hands on has
its control characters replaced (`engine.core.text.clean`); ordinary Unicode is kept."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.core import Reason, Unassign
from engine.core.events import AgentChanged, ConversationChanged, ConversationGone
from engine.core.text import CONTROL_PICTURES, REPLACEMENT, cap, clean, has_control, shown
from engine.link.session import LinkSession
from engine.link.translate import FeedTranslator, TranslationError, presence_from_agent_view
from engine.protocol import AgentViewStatusResponse, Notification

OSC52 = "\x1b]52;c;ZXZpbA==\x07"
HOSTILE = f"c{OSC52}\x1b[31m\x9b2J\x7f\x00[bold red]EVIL[/]"
KEPT = "שלום 👋🏽 مرحبا é"
EPOCH_MS = 1_732_500_000_000


def conversation(conv: str, agent: str, skill: str, consumer: str) -> Notification:
    result = {
        "convId": conv,
        "conversationDetails": {
            "skillId": skill,
            "participants": [
                {"id": consumer, "role": "CONSUMER"},
                {"id": agent, "role": "ASSIGNED_AGENT"},
            ],
            "dialogs": [],
            "state": "OPEN",
            "startTs": EPOCH_MS,
        },
    }
    body = {"subscriptionId": "s", "changes": [{"type": "UPSERT", "result": result}]}
    return Notification(type="cqm.ExConversationChangeNotification", body=body)


def assert_clean(*texts: str | None) -> None:
    for text in texts:
        assert text is not None
        assert not has_control(text), repr(text)


def test_the_rule() -> None:
    assert clean("\x1b") == "␛" and clean("\x00") == "␀" and clean("\x07") == "␇"
    assert clean("\n\t\r") == "␊␉␍"
    assert clean("\x7f") == "␡"
    assert clean("\x9b") == REPLACEMENT and clean("\x80\x9f") == REPLACEMENT * 2
    assert clean(KEPT) == KEPT
    assert clean("[bold red]EVIL[/]") == "[bold red]EVIL[/]", "markup is left to the drawing"
    assert clean(OSC52) == "␛]52;c;ZXZpbA==␇"
    assert cap("x" * 500, 10) == "x" * 9 + "…" and cap("short", 10) == "short"
    assert shown("\x1b" * 500, 5) == "␛␛␛␛…"
    with pytest.raises(ValueError, match="limit"):
        cap("x", 0)


@given(st.text())
def test_clean_leaves_no_control_and_keeps_length(text: str) -> None:
    cleaned = clean(text)
    assert not has_control(cleaned)
    assert len(cleaned) == len(text)
    assert clean(cleaned) == cleaned
    for before, after in zip(text, cleaned, strict=True):
        if not has_control(before):
            assert before == after
        elif ord(before) < 0x20:
            assert ord(after) == CONTROL_PICTURES + ord(before)


def test_a_conversation_change_is_cleaned() -> None:
    frame = conversation(HOSTILE, f"agent{OSC52}", f"skill\x9b{KEPT}", f"consumer\x1b[2J{KEPT}")
    [event] = FeedTranslator().translate(frame, received_at=1.0)
    assert isinstance(event, ConversationChanged)
    assert_clean(event.conv_id, event.agent, event.skill, event.consumer)
    assert event.conv_id == clean(HOSTILE)
    assert event.skill == f"skill{REPLACEMENT}{KEPT}"
    assert event.consumer == f"consumer␛[2J{KEPT}"


def test_a_closed_conversation_names_the_same_cleaned_id() -> None:
    body: dict[str, Any] = {
        "subscriptionId": "s",
        "changes": [{"type": "DELETE", "result": {"convId": HOSTILE}}],
    }
    frame = Notification(type="cqm.ExConversationChangeNotification", body=body)
    assert FeedTranslator().translate(frame, 1.0) == [ConversationGone(clean(HOSTILE))]


def test_a_translation_error_names_the_id_cleaned() -> None:
    body: dict[str, Any] = {
        "subscriptionId": "s",
        "changes": [{"type": "UPSERT", "result": {"convId": HOSTILE}}],
    }
    frame = Notification(type="cqm.ExConversationChangeNotification", body=body)
    with pytest.raises(TranslationError) as raised:
        FeedTranslator().translate(frame, 1.0)
    assert_clean(raised.value.reason, str(raised.value))


def test_agent_state_names_are_cleaned() -> None:
    result = {
        "agentUserId": f"12345678.a{OSC52}",
        "availability": "ONLINE",
        "agentName": f"Ana {KEPT}\x1b]0;title\x07",
    }
    body = {"subscriptionId": "s", "changes": [{"type": "UPSERT", "result": result}]}
    frame = Notification(type="routing.AgentStateNotification", body=body)
    [event] = FeedTranslator().translate(frame, received_at=1.0)
    assert isinstance(event, AgentChanged)
    assert_clean(event.agent_id, event.name)
    assert event.name == f"Ana {KEPT}␛]0;title␇"


def test_agent_view_readings_are_cleaned() -> None:
    response = AgentViewStatusResponse.model_validate(
        {
            "agentStatusRecords": [
                {
                    "agentId": "a\x9b1",
                    "agentName": f"[link=http://x]{OSC52}",
                    "currentStatus": "AWAY",
                },
            ]
        }
    )
    [reading] = presence_from_agent_view(response, taken_at=1.0)
    assert_clean(reading.agent_id, reading.name)
    assert reading.name == f"[link=http://x]{clean(OSC52)}"


def test_an_action_names_a_cleaned_id_as_the_platform_spelled_it() -> None:
    """The engine knows a hostile id cleaned; an unassign of it must still name the
    conversation and the agent the platform named, or it could never act on them."""
    session = LinkSession(brand_id="1234")
    for write in session.connected(0.0).writes:
        answer = {"kind": "resp", "reqId": json.loads(write)["id"], "code": 200, "type": "x"}
        session.receive(json.dumps(answer), 0.0)
    raw_conv, raw_agent = f"c{OSC52}", f"a{OSC52}"
    frame = conversation(raw_conv, f"1234.{raw_agent}", "sales", "consumer")
    [event] = session.receive(frame.model_dump_json(by_alias=True), 1.0).events
    assert isinstance(event, ConversationChanged)
    assert (event.conv_id, event.agent) == (clean(raw_conv), clean(raw_agent))
    action = Unassign(event.conv_id, clean(raw_agent), Reason.ONLINE, 1.0, 1.0, "k")
    (write,) = session.send_unassign(action).writes
    sent = json.dumps(json.loads(write))
    assert json.dumps(raw_conv)[1:-1] in sent
    assert json.dumps(f"1234.{raw_agent}")[1:-1] in sent
