"""The shared protocol samples parse, validate into the body models, and match the builders."""

import json
from pathlib import Path
from typing import Any

import pytest

from engine.protocol import (
    AgentStateBody,
    Availability,
    ClockResponseBody,
    ExConversationChangeBody,
    Notification,
    ParticipantsChange,
    Request,
    Response,
    Role,
    Spelling,
    SubscribeExConversationsBody,
    UpdateConversationFieldBody,
    get_clock,
    normalize_type,
    parse_frame,
    subscribe_conversations,
    unassign,
)

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"protocol samples not found at {SAMPLES}"
)
SAMPLE_NAMES = sorted(p.name for p in SAMPLES.glob("*.json")) if SAMPLES.is_dir() else []
CONSUMER = "7a3f9c1e5b2d8a4f6c0e9b7d3a1f5c8e2b6d4a0f9e7c3b1a5d8f2e6c4b0a9d7e"
AGENT_PID = "4f1c2a7e-9b3d-5e6f-8a1b-2c3d4e5f6a7b"
AGENT_LEGACY = "12345678.987654321"


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / name).read_text())
    return data


def frame(name: str) -> Request | Response | Notification:
    return parse_frame((SAMPLES / name).read_bytes())


@needs_samples
def test_there_are_samples() -> None:
    assert len(SAMPLE_NAMES) >= 10


@needs_samples
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_sample_parses_and_round_trips(name: str) -> None:
    parsed = frame(name)
    assert parsed.kind == sample(name)["kind"]
    assert parse_frame(parsed.to_wire()) == parsed


@needs_samples
@pytest.mark.parametrize(
    "name",
    [
        "ex_conversation_change.upsert.notification.json",
        "ex_conversation_change.upsert.raw_v2.notification.json",
        "ex_conversation_change.back_to_queue.notification.json",
    ],
)
def test_conversation_change_samples_validate(name: str) -> None:
    parsed = frame(name)
    assert isinstance(parsed, Notification)
    assert normalize_type(parsed.type) == "cqm.ExConversationChangeNotification"
    body = ExConversationChangeBody.model_validate(parsed.body)
    [change] = body.changes
    assert change.type == "UPSERT"
    result = change.result
    assert result.conv_id == "b6a3f0d2-51c4-4e8f-9d27-3a1e6c0b7f45"
    assert result.effective_ttr == 1732503660000
    details = result.conversation_details
    assert details is not None
    assert (details.skill_id, details.state, details.start_ts) == (
        "1234567890",
        "OPEN",
        1732499700000,
    )
    assert details.ids_with_role(Role.CONSUMER) == [CONSUMER]
    last = result.last_content_event_notification
    assert last is not None
    assert (last.sequence, last.server_timestamp, last.event.type) == (
        7,
        1732500060000,
        "ContentEvent",
    )
    assert last.originator_metadata is not None
    assert last.originator_metadata.role == "CONSUMER"


@needs_samples
def test_public_and_raw_participants_shapes() -> None:
    public = ExConversationChangeBody.model_validate(
        sample("ex_conversation_change.upsert.notification.json")["body"]
    )
    raw = ExConversationChangeBody.model_validate(
        sample("ex_conversation_change.upsert.raw_v2.notification.json")["body"]
    )
    public_details = public.changes[0].result.conversation_details
    raw_details = raw.changes[0].result.conversation_details
    assert public_details is not None
    assert raw_details is not None
    assert public_details.ids_with_role(Role.ASSIGNED_AGENT) == [AGENT_PID]
    assert raw_details.ids_with_role(Role.ASSIGNED_AGENT) == [AGENT_LEGACY]
    assert raw_details.participants_p_id == {
        "CONSUMER": [CONSUMER],
        "ASSIGNED_AGENT": [AGENT_PID],
        "MANAGER": [],
        "READER": [],
    }
    assert (
        sorted(public_details.roles())
        == sorted(raw_details.roles())
        == [
            "ASSIGNED_AGENT",
            "CONSUMER",
        ]
    )
    assert public.changes[0].result.number_of_unread_messages == {CONSUMER: 0, AGENT_LEGACY: 2}


@needs_samples
def test_agent_state_sample() -> None:
    parsed = frame("agent_state.notification.json")
    assert isinstance(parsed, Notification)
    [change] = AgentStateBody.model_validate(parsed.body).changes
    assert change.result.agent_user_id == AGENT_LEGACY
    assert change.result.availability is Availability.AWAY
    assert change.result.state_changed_ts is None


@needs_samples
def test_responses() -> None:
    clock = frame("get_clock.resp.json")
    assert isinstance(clock, Response)
    assert clock.body == ClockResponseBody(current_time=1732500061250), "read by its shape"
    ok, error = frame("response.ok.json"), frame("response.error.json")
    assert isinstance(ok, Response)
    assert isinstance(error, Response)
    assert (ok.ok, ok.body) == (True, "OK Agent removed successfully")
    assert not error.ok
    assert isinstance(error.body, str)


@needs_samples
def test_get_clock_builder_matches_sample() -> None:
    documented = json.loads(get_clock("1", Spelling.DOCUMENTED).to_wire())
    assert documented == sample("get_clock.req.json")
    assert json.loads(get_clock("1").to_wire()) == {**documented, "type": ".GetClock"}


@needs_samples
def test_subscribe_builder_matches_sample() -> None:
    built = subscribe_conversations("2", "12345678", Spelling.DOCUMENTED)
    assert json.loads(built.to_wire()) == sample("subscribe_ex_conversations.req.json")
    assert subscribe_conversations("2", "12345678").type == ".ams.aam.SubscribeExConversations"
    body = SubscribeExConversationsBody.model_validate(built.body)
    assert body.agent_ids is None
    assert (body.brand_id, body.conv_state, body.min_last_updated_time) == ("12345678", ["OPEN"], 0)


@needs_samples
def test_unassign_builder_matches_sample() -> None:
    conv = "b6a3f0d2-51c4-4e8f-9d27-3a1e6c0b7f45"
    built = unassign("7", conv, AGENT_LEGACY, Spelling.DOCUMENTED)
    expected = sample("update_conversation_field.back_to_queue.req.json")
    assert json.loads(built.to_wire()) == expected
    assert unassign("7", conv, AGENT_LEGACY).type == ".ams.cm.UpdateConversationField"
    body = UpdateConversationFieldBody.model_validate(expected["body"])
    assert body.conversation_field == [
        ParticipantsChange(
            field="ParticipantsChange", type="REMOVE", role="ASSIGNED_AGENT", user_id=AGENT_LEGACY
        )
    ]


def test_unassign_to_a_skill_adds_the_skill_update_to_the_remove() -> None:
    built = unassign("7", "c1", AGENT_LEGACY, skill="overflow")
    assert built.body["conversationField"] == [
        {
            "field": "ParticipantsChange",
            "type": "REMOVE",
            "role": "ASSIGNED_AGENT",
            "userId": AGENT_LEGACY,
        },
        {"field": "Skill", "type": "UPDATE", "skill": "overflow"},
    ]
