"""Scenario faults on the fixture platform's feed and actions."""

from __future__ import annotations

from typing import Any

from fixtures.platform import Platform, RecordKind
from fixtures.scenario import parse_scenario

Frame = dict[str, Any]
SUBSCRIBE: Frame = {"kind": "req", "id": "s", "type": "cqm.SubscribeExConversations", "body": {}}


def platform_with(timeline: list[dict[str, Any]]) -> Platform:
    s = parse_scenario(
        {
            "name": "faults",
            "agents": [
                {"id": "a1", "name": "Ana", "skills": ["sales"], "state": "ONLINE"},
                {"id": "a2", "name": "Bo", "skills": ["sales"], "state": "ONLINE"},
            ],
            "conversations": [
                {"id": "c1", "skill": "sales", "agent": "a1"},
                {"id": "c2", "skill": "sales", "agent": "a2"},
            ],
            "timeline": timeline,
            "until": 600,
        }
    )
    platform = Platform(s)
    platform.connect()
    platform.handle_request(SUBSCRIBE)
    platform.take_outgoing(0)  # response and snapshot
    return platform


def message(at: float, conv: str, text: str) -> dict[str, Any]:
    return {"at": at, "consumer_message": {"conv": conv, "text": text}}


def texts(frames: list[Frame]) -> list[str]:
    out = []
    for frame in frames:
        result = frame["body"]["changes"][0]["result"]
        out.append(result["lastContentEventNotification"]["event"]["message"])
    return out


def clock(req_id: str) -> Frame:
    return {"kind": "req", "id": req_id, "type": "GetClock", "body": {}}


def unassign(conv: str, agent: str) -> Frame:
    field = {"field": "ParticipantsChange", "type": "REMOVE", "role": "ASSIGNED_AGENT"}
    body = {"conversationId": conv, "conversationField": [{**field, "userId": f"12345678.{agent}"}]}
    return {"kind": "req", "id": "u", "type": "cm.UpdateConversationField", "body": body}


def test_drop_socket_closes_the_connection_and_loses_unsent_frames() -> None:
    platform = platform_with(
        [
            message(1, "c1", "before"),
            {"at": 2, "fault": {"stall_feed": 10}},
            message(3, "c1", "stalled"),
            {"at": 4, "fault": "drop_socket"},
            message(5, "c1", "while down"),
        ]
    )
    platform.advance_to(4)  # the driver did not take the frame sent at 1 yet
    assert platform.take_disconnects() == [4.0]
    assert not platform.connected
    # "before" left before the drop; "stalled" was still held by the stall, so it is lost.
    assert texts(platform.take_outgoing(20)) == ["before"]
    platform.handle_request(clock("lost"))  # the socket is gone: nothing is answered
    platform.advance_to(20)
    assert platform.take_outgoing(20) == []
    assert platform.take_disconnects() == []
    platform.connect()
    platform.handle_request(SUBSCRIBE)
    _, snapshot = platform.take_outgoing(20)
    c1_now, c2_now = (change["result"] for change in snapshot["body"]["changes"])
    assert c1_now["lastContentEventNotification"]["event"]["message"] == "while down"
    assert "lastContentEventNotification" not in c2_now
    kinds = [e.kind for e in platform.record if e.kind.value.startswith("connection")]
    assert kinds.count(RecordKind.DROPPED) == 1


def test_stall_holds_every_frame_then_releases_them_in_order() -> None:
    platform = platform_with(
        [
            {"at": 10, "fault": {"stall_feed": 5}},
            message(11, "c1", "one"),
            message(13, "c2", "two"),
            message(16, "c1", "after"),
        ]
    )
    platform.advance_to(12)
    platform.handle_request(clock("g"))
    assert platform.take_outgoing(12) == []
    platform.advance_to(13)
    assert platform.next_event_at() == 15  # the stall's end
    platform.advance_to(14.9)
    assert platform.take_outgoing(14.9) == []
    platform.advance_to(15)
    released = platform.take_outgoing(15)
    assert [f["kind"] for f in released] == ["notification", "resp", "notification"]
    assert released[1]["body"]["currentTime"] == 1_732_500_012_000  # answered at 12, sent at 15
    assert texts([released[0], released[2]]) == ["one", "two"]
    platform.advance_to(16)
    assert texts(platform.take_outgoing(16)) == ["after"]


def test_fail_next_action_answers_400_and_changes_nothing() -> None:
    platform = platform_with([{"at": 5, "fault": "fail_next_action"}])
    platform.advance_to(6)
    platform.handle_request(unassign("c1", "a1"))
    [response] = platform.take_outgoing(6)
    assert response["code"] == 400 and response["type"] == ".ReqBody$StringResp"
    assert "could not be updated" in response["body"] and "c1" in response["body"]
    assert platform.conversation("c1").agent == "a1"
    platform.handle_request(unassign("c1", "a1"))
    response, upsert = platform.take_outgoing(6)
    assert response["code"] == 200 and upsert["kind"] == "notification"
    results = [(e.kind, e.conv) for e in platform.record if e.kind.value.startswith("action")]
    assert results == [(RecordKind.ACTION_REJECTED, "c1"), (RecordKind.ACTION_APPLIED, "c1")]


def test_duplicate_last_resends_the_last_conversation_change() -> None:
    platform = platform_with([message(1, "c1", "hello"), {"at": 2, "fault": "duplicate_last"}])
    platform.advance_to(1)
    [original] = platform.take_outgoing(1)
    platform.advance_to(2)
    [copy] = platform.take_outgoing(2)
    assert copy == original and copy is not original


def test_reorder_next_swaps_the_next_two_notifications() -> None:
    platform = platform_with(
        [
            {"at": 1, "fault": "reorder_next"},
            message(2, "c1", "first"),
            message(3, "c2", "second"),
            message(4, "c1", "third"),
        ]
    )
    platform.advance_to(2)
    platform.handle_request(clock("g"))  # a response is not a notification: it passes
    [pong] = platform.take_outgoing(2)
    assert pong["kind"] == "resp"
    platform.advance_to(4)
    assert texts(platform.take_outgoing(4)) == ["second", "first", "third"]


def test_faults_without_a_connection_are_recorded_as_ignored() -> None:
    platform = platform_with(
        [{"at": 1, "fault": "drop_socket"}, {"at": 2, "fault": "duplicate_last"}]
    )
    platform.advance_to(3)
    ignored = [e.detail for e in platform.record if e.kind is RecordKind.STEP_IGNORED]
    assert ignored == ["duplicate_last: no connection"]
    assert [e.detail for e in platform.record if e.kind is RecordKind.FAULT] == [
        "drop_socket",
        "duplicate_last",
    ]
