"""The two wire shapes: raw (the real wire, the default) and public (what the Node SDK's
Transformer makes of raw), in process and served over real sockets."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from served_support import StartServer, call, floor, open_feed, receive

from fixtures.platform import Platform
from fixtures.scenario import WireShape

PID_A1 = str(uuid.uuid5(uuid.NAMESPACE_URL, "floorwatch-agent:a1"))
Frame = dict[str, Any]
TIMELINE = [
    {"at": 1, "consumer_message": {"conv": "c1", "text": "Hi?"}},
    {"at": 2, "agent_message": {"conv": "c1", "text": "Hello"}},
]


def first_change(shape: WireShape, until: float = 3) -> Frame:
    """c1's newest change after `until` seconds on a platform of that shape."""
    platform = Platform(floor(TIMELINE), shape=shape)
    platform.connect()
    platform.handle_request({"kind": "req", "id": "1", "type": "cqm.SubscribeExConversations"})
    frames = platform.take_outgoing(0)
    platform.advance_to(until)
    frames += platform.take_outgoing(until)
    changes = [
        change["result"]
        for frame in frames
        if frame["kind"] == "notification"
        for change in frame["body"]["changes"]
        if change["result"]["convId"] == "c1"
    ]
    newest: Frame = changes[-1]
    return newest


def test_raw_is_the_real_wire() -> None:
    result = first_change("raw")
    details = result["conversationDetails"]
    assert details["convId"] == "c1" and details["brandId"] == "12345678"
    assert details["participants"] == {
        "CONSUMER": ["consumer-c1"],
        "ASSIGNED_AGENT": ["12345678.a1"],
    }
    assert details["participantsPId"] == {"CONSUMER": ["consumer-c1"], "ASSIGNED_AGENT": [PID_A1]}
    [dialog] = details["dialogs"]
    assert dialog["participantsDetails"] == [
        {"id": "consumer-c1", "role": "CONSUMER", "state": "ACTIVE"},
        {"id": "12345678.a1", "role": "ASSIGNED_AGENT", "state": "ACTIVE"},
    ]
    assert result["numberOfunreadMessages"] == {"consumer-c1": 1, "12345678.a1": 0}
    assert isinstance(result["lastUpdateTime"], int)
    event = result["lastContentEventNotification"]
    assert event["originatorId"] == "12345678.a1" and event["originatorPId"] == PID_A1


def test_public_is_what_the_sdk_hands_its_user() -> None:
    """As the SDK README's example payload: participants are PIDs, the dialog's participants
    are PIDs too, and the raw-only fields are gone."""
    result = first_change("public")
    assert "numberOfunreadMessages" not in result and "lastUpdateTime" not in result
    details = result["conversationDetails"]
    assert not {"convId", "brandId", "participantsPId"} & set(details)
    assert details["participants"] == [
        {"id": "consumer-c1", "role": "CONSUMER"},
        {"id": PID_A1, "role": "ASSIGNED_AGENT"},
    ]
    [dialog] = details["dialogs"]
    assert dialog["participantsDetails"] == [
        {"id": "consumer-c1", "role": "CONSUMER", "state": "ACTIVE"},
        {"id": PID_A1, "role": "ASSIGNED_AGENT", "state": "ACTIVE"},
    ]
    # The SDK keeps the last event as it came: the author's legacy id and PID.
    event = result["lastContentEventNotification"]
    assert event["originatorId"] == "12345678.a1" and event["originatorPId"] == PID_A1
    assert result["effectiveTTR"] == -1 and details["ttr"] == {"ttrType": "NORMAL", "value": 3600}


def test_the_shapes_differ_only_where_the_sdk_changes_them() -> None:
    raw, public = first_change("raw"), first_change("public")
    raw_details, public_details = raw.pop("conversationDetails"), public.pop("conversationDetails")
    for key in ("numberOfunreadMessages", "lastUpdateTime"):
        raw.pop(key)
    assert raw == public
    for key in ("convId", "brandId", "participants", "participantsPId", "dialogs"):
        raw_details.pop(key)
    for key in ("participants", "dialogs"):
        public_details.pop(key)
    assert raw_details == public_details


@pytest.mark.parametrize(
    ("shape", "notification", "participants"),
    [
        ("raw", ".ams.aam.ExConversationChangeNotification", dict),
        ("public", "cqm.ExConversationChangeNotification", list),
        (None, ".ams.aam.ExConversationChangeNotification", dict),  # the scenario's: raw
    ],
)
async def test_serve_takes_the_shape(
    start_server: StartServer, shape: WireShape | None, notification: str, participants: type
) -> None:
    server = await start_server(floor(), shape=shape)
    async with await open_feed(server) as ws:
        await call(ws, "1", ".ams.aam.SubscribeExConversations", {"convState": ["OPEN"]})
        frame = await receive(ws)
    assert frame["type"] == notification
    details = frame["body"]["changes"][0]["result"]["conversationDetails"]
    assert isinstance(details["participants"], participants)
