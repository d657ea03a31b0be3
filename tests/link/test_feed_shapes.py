"""One canonical conversation from every shape a notification comes in.

The socket delivers the raw v2 shape (participants as role -> legacy ids, with PIDs beside);
the official SDK hands its user a public shape (participants and dialogs carry PIDs only);
our fixture platform has served a hybrid of the two. Each must read the same: the same
conversation, skill and consumer, the agent by bare userId whenever the frame carries it,
and an unassign naming the agent's legacy id, never "account.<PID>". A transfer not yet
accepted (`SUGGESTED`) leaves the conversation without an agent.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from engine.core import ConversationChanged
from engine.link.translate import FeedTranslator
from engine.protocol import Notification, parse_frame

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
ACCOUNT = "12345678"
CONV = "b6a3f0d2-51c4-4e8f-9d27-3a1e6c0b7f45"
AGENT_PID = "4f1c2a7e-9b3d-5e6f-8a1b-2c3d4e5f6a7b"
CONSUMER = "7a3f9c1e5b2d8a4f6c0e9b7d3a1f5c8e2b6d4a0f9e7c3b1a5d8f2e6c4b0a9d7e"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / name).read_text())
    return data


def _read(translator: FeedTranslator, frame: dict[str, Any]) -> ConversationChanged:
    notification = parse_frame(json.dumps(frame))
    assert isinstance(notification, Notification)
    (event,) = translator.translate(notification, received_at=0.0)
    assert isinstance(event, ConversationChanged)
    return event


def _result(frame: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = frame["body"]["changes"][0]["result"]
    return result


@pytest.mark.parametrize(
    "name",
    [
        "ex_conversation_change.upsert.raw_v2.notification.json",
        "ex_conversation_change.upsert.notification.json",
    ],
)
def test_the_raw_and_the_hybrid_shape_name_the_agent_by_user_id(name: str) -> None:
    translator = FeedTranslator()
    event = _read(translator, _load(name))
    assert (event.conv_id, event.skill, event.agent, event.consumer, event.open) == (
        CONV,
        "1234567890",
        "987654321",
        CONSUMER,
        True,
    )
    assert translator.legacy_id("987654321", ACCOUNT) == "12345678.987654321"


def test_the_sdk_shape_without_a_legacy_id_names_the_agent_by_pid_and_no_unassign_id() -> None:
    """The SDK's own Transformer output of the raw sample: PIDs everywhere, unread counts gone."""
    translator = FeedTranslator()
    event = _read(translator, _load("sdk/upsert.sdk_transformed.json"))
    assert (event.conv_id, event.skill, event.consumer) == (CONV, "1234567890", CONSUMER)
    assert event.agent == AGENT_PID, "nothing in the frame says who the PID is"
    assert translator.legacy_id(AGENT_PID, ACCOUNT) is None, "never account.<PID>"


def test_the_sdk_shape_learns_the_legacy_id_from_the_agents_own_message() -> None:
    translator = FeedTranslator()
    frame = _load("sdk/upsert.sdk_transformed.json")
    last = _result(frame)["lastContentEventNotification"]
    last.update(
        originatorId="12345678.987654321",
        originatorPId=AGENT_PID,
        originatorMetadata={"id": AGENT_PID, "role": "ASSIGNED_AGENT"},
    )
    event = _read(translator, frame)
    assert event.agent == "987654321"
    assert translator.legacy_id(AGENT_PID, ACCOUNT) == "12345678.987654321"
    assert event.last_message is not None and not event.last_message.from_consumer


def test_the_sdk_readme_example_reads_with_the_agent_resolved_from_its_message() -> None:
    translator = FeedTranslator()
    event = _read(translator, _load("sdk/readme_example.json"))
    assert (event.conv_id, event.skill, event.open) == (
        "220d3639-ae23-4c90-83e8-455e3bb2cf13",
        None,
        True,
    ), "skill -1 is no skill"
    assert event.agent == "282467514", "originatorId 89476943.282467514 wrote as that PID"
    assert event.consumer == "d51ce914-97ad-4544-a686-8335b61dcdf3"


@pytest.mark.parametrize(
    "name", ["sdk/suggested.raw_v2.json", "sdk/suggested.sdk_transformed.json"]
)
def test_a_suggested_agent_is_not_the_assigned_agent(name: str) -> None:
    event = _read(FeedTranslator(), _load(name))
    assert event.agent is None and event.open


def test_a_suggested_agent_listed_as_assigned_too_is_not_assigned_until_active() -> None:
    """Whatever the platform puts in `participants`, the dialog's state has the last word."""
    frame = _load("ex_conversation_change.upsert.raw_v2.notification.json")
    details = _result(frame)["conversationDetails"]
    details["dialogs"][0]["participantsDetails"][1]["state"] = "SUGGESTED"
    translator = FeedTranslator()
    assert _read(translator, frame).agent is None
    accepted = copy.deepcopy(frame)
    _result(accepted)["conversationDetails"]["dialogs"][0]["participantsDetails"][1]["state"] = (
        "ACTIVE"
    )
    assert _read(translator, accepted).agent == "987654321"


def test_a_public_participant_marked_suggested_is_not_assigned() -> None:
    frame = _load("sdk/upsert.sdk_transformed.json")
    participants = _result(frame)["conversationDetails"]["participants"]
    participants[1]["state"] = "SUGGESTED"
    frame["body"]["changes"][0]["result"]["conversationDetails"]["dialogs"] = []
    assert _read(FeedTranslator(), frame).agent is None


def test_several_changes_in_one_notification_each_become_an_event() -> None:
    frame = _load("ex_conversation_change.upsert.raw_v2.notification.json")
    change = frame["body"]["changes"][0]
    changes = []
    for n in range(250):
        copied = copy.deepcopy(change)
        copied["result"]["convId"] = f"conv-{n}"
        changes.append(copied)
    frame["body"]["changes"] = changes
    notification = parse_frame(json.dumps(frame))
    assert isinstance(notification, Notification)
    events = FeedTranslator().translate(notification, received_at=0.0)
    assert [e.conv_id for e in events if isinstance(e, ConversationChanged)] == [
        f"conv-{n}" for n in range(250)
    ]
