"""The feed's one-pass decoder: envelope and body together, keyed by `kind` and `type`."""

import json
from pathlib import Path
from typing import Any

import pytest

from engine.protocol import (
    AGENT_STATE_NOTIFICATION,
    EX_CONVERSATION_CHANGE_NOTIFICATION,
    AgentStateBody,
    AgentStateNotification,
    BodyError,
    ClockResponseBody,
    ConversationNotification,
    ExConversationChangeBody,
    FrameError,
    Notification,
    Request,
    Response,
    decode_frame,
    normalize_type,
    parse_frame,
    read_notification,
    spellings,
)

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CHANGE = {"type": "DELETE", "result": {"convId": "c1"}}
STATE = {"type": "UPSERT", "result": {"agentUserId": "12345678.a1", "availability": "AWAY"}}


def notification(type_: str, body: object) -> str:
    return json.dumps({"kind": "notification", "type": type_, "body": body})


@pytest.mark.parametrize("name", [EX_CONVERSATION_CHANGE_NOTIFICATION, AGENT_STATE_NOTIFICATION])
def test_every_spelling_normalize_type_reads_is_a_spelling_of_its_name(name: str) -> None:
    assert len(spellings(name)) == 4
    assert {normalize_type(spelling) for spelling in spellings(name)} == {name}


@pytest.mark.parametrize("spelling", spellings(EX_CONVERSATION_CHANGE_NOTIFICATION))
def test_a_conversation_notification_is_decoded_with_its_body(spelling: str) -> None:
    frame = decode_frame(notification(spelling, {"subscriptionId": "s", "changes": [CHANGE]}))
    assert isinstance(frame, ConversationNotification)
    assert frame.type == spelling
    assert frame.body == ExConversationChangeBody.model_validate(
        {"subscriptionId": "s", "changes": [CHANGE]}
    )


@pytest.mark.parametrize("spelling", spellings(AGENT_STATE_NOTIFICATION))
def test_an_agent_state_notification_is_decoded_with_its_body(spelling: str) -> None:
    frame = decode_frame(notification(spelling, {"changes": [STATE]}))
    assert isinstance(frame, AgentStateNotification)
    assert frame.body == AgentStateBody.model_validate({"changes": [STATE]})


def test_a_notification_the_feed_does_not_read_keeps_its_body_as_an_object() -> None:
    frame = decode_frame(notification(".ams.ms.OnlineEventDistribution", {"a": [1]}))
    assert frame == Notification(type=".ams.ms.OnlineEventDistribution", body={"a": [1]})


@pytest.mark.parametrize(
    ("body", "decoded"),
    [
        ({"currentTime": 1732500061250}, ClockResponseBody(current_time=1732500061250)),
        ({"subscriptionId": "s"}, {"subscriptionId": "s"}),
        ({"currentTime": 1.5}, {"currentTime": 1.5}),
        ("OK Agent removed successfully", "OK Agent removed successfully"),
        (None, None),
    ],
)
def test_a_response_body_is_read_by_its_shape(body: object, decoded: object) -> None:
    raw = json.dumps({"kind": "resp", "reqId": 4, "code": 200, "type": "x", "body": body})
    frame = decode_frame(raw)
    assert isinstance(frame, Response)
    assert (frame.req_id, frame.body) == ("4", decoded)


def test_a_request_decodes_as_parse_frame_reads_it() -> None:
    raw = (SAMPLES / "get_clock.req.json").read_bytes()
    assert decode_frame(raw) == parse_frame(raw) == Request(id="1", type="GetClock", body={})


@pytest.mark.parametrize(
    "name",
    [
        "ex_conversation_change.upsert.notification.json",
        "ex_conversation_change.upsert.raw_v2.notification.json",
        "ex_conversation_change.back_to_queue.notification.json",
        "agent_state.notification.json",
    ],
)
def test_samples_decode_as_the_two_pass_path_read_them(name: str) -> None:
    raw = (SAMPLES / name).read_bytes()
    generic = parse_frame(raw)
    assert isinstance(generic, Notification)
    decoded = decode_frame(raw)
    assert decoded == read_notification(generic)
    assert isinstance(decoded, ConversationNotification | AgentStateNotification)
    assert decoded.body == type(decoded.body).model_validate(generic.body)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"changes": []}, "missing field 'subscriptionId'"),
        (
            {"subscriptionId": "s", "changes": [{"type": "UPSERT"}]},
            "missing field 'changes.0.result'",
        ),
        (
            {"subscriptionId": "s", "changes": [{"type": "UPSERT", "result": {"convId": 5}}]},
            "field 'changes.0.result.convId': Input should be a valid string",
        ),
        ({"subscriptionId": "s", "changes": "x"}, "field 'changes': Input should be a valid"),
    ],
)
def test_a_body_not_as_modelled_is_a_body_error_naming_type_and_field(
    body: dict[str, Any], reason: str
) -> None:
    with pytest.raises(BodyError) as decoding:
        decode_frame(notification(".ams.aam.ExConversationChangeNotification", body))
    assert decoding.value.reason.startswith(f"{EX_CONVERSATION_CHANGE_NOTIFICATION}: {reason}")
    with pytest.raises(BodyError) as reading:
        read_notification(Notification(type="cqm.ExConversationChangeNotification", body=body))
    assert reading.value.reason.startswith(f"{EX_CONVERSATION_CHANGE_NOTIFICATION}: {reason}")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (notification("cqm.ExConversationChangeNotification", 5), "bad notification: field 'body'"),
        (notification("x.Y", [1]), "bad notification: field 'body': Input should be an object"),
        ('{"kind": "notification", "type": "x.Y"}', "bad notification: missing field 'body'"),
    ],
)
def test_an_envelope_not_as_modelled_is_a_frame_error_not_a_body_error(
    raw: str, reason: str
) -> None:
    with pytest.raises(FrameError) as caught:
        decode_frame(raw)
    assert not isinstance(caught.value, BodyError)
    assert caught.value.reason.startswith(reason)


def test_nesting_within_the_parser_limit_is_read_and_beyond_it_refused() -> None:
    deep = {"subscriptionId": "s", "changes": [], "extra": json.loads("[" * 150 + "]" * 150)}
    assert isinstance(decode_frame(notification("cqm.X", deep)), Notification)
    deeper = {**deep, "extra": json.loads("[" * 400 + "]" * 400)}
    with pytest.raises(FrameError, match=r"^not JSON: nested too deeply$"):
        decode_frame(notification("cqm.X", deeper))
