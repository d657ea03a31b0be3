"""SubscribeExConversations with `agentIds`: only the conversations of those agents (named by
legacy id, as the SDK sends its own, or by PID); one that stops being theirs is DELETEd."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from served_support import StartServer, call, floor, open_feed, receive

from fixtures.platform import Platform, RecordKind

Frame = dict[str, Any]


def pid(agent: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"floorwatch-agent:{agent}"))


def subscribe(platform: Platform, **body: Any) -> list[Frame]:
    platform.handle_request(
        {"kind": "req", "id": "s", "type": ".ams.aam.SubscribeExConversations", "body": body}
    )
    return platform.take_outgoing(platform.now)


def changes(frames: list[Frame]) -> list[tuple[str, str]]:
    return [
        (change["type"], change["result"]["convId"])
        for frame in frames
        if frame["kind"] == "notification"
        for change in frame["body"]["changes"]
    ]


def connected(timeline: list[dict[str, Any]] | None = None) -> Platform:
    platform = Platform(floor(timeline))
    platform.connect()
    return platform


@pytest.mark.parametrize(
    ("agent_ids", "expected"),
    [
        (["12345678.a1"], [("UPSERT", "c1")]),
        ([pid("a1")], [("UPSERT", "c1")]),
        (["12345678.a1", pid("a2")], [("UPSERT", "c1"), ("UPSERT", "c2")]),
        (["12345678.a3"], []),  # Cleo has no conversation
        (["12345678.nobody", "a1"], []),  # unknown ids (a bare userId is neither form)
        ([], [("UPSERT", "c1"), ("UPSERT", "c2")]),  # an empty list: the whole account
    ],
)
def test_the_snapshot_holds_only_those_agents_conversations(
    agent_ids: list[str], expected: list[tuple[str, str]]
) -> None:
    response, *snapshot = subscribe(connected(), agentIds=agent_ids)
    assert response["code"] == 200
    assert changes(snapshot) == expected


def test_a_conversation_joins_and_leaves_the_subscription_with_its_agent() -> None:
    platform = connected([{"at": 5, "open_conversation": {"id": "c3", "skill": "sales"}}])
    subscribe(platform, agentIds=["12345678.a1"], convState=["OPEN"])
    platform.advance_to(7)  # c3 routed to Ana at 6 (Ben is away)
    assert changes(platform.take_outgoing(7)) == [("UPSERT", "c3")]
    field = {"field": "ParticipantsChange", "type": "REMOVE", "role": "ASSIGNED_AGENT"}
    body = {"conversationId": "c1", "conversationField": [{**field, "userId": "12345678.a1"}]}
    platform.handle_request(
        {"kind": "req", "id": "u", "type": "cm.UpdateConversationField", "body": body}
    )
    answer, *rest = platform.take_outgoing(7)
    assert answer["code"] == 200
    assert changes(rest) == [("DELETE", "c1")]
    [deleted] = rest[0]["body"]["changes"]
    assert deleted["result"]["conversationDetails"]["participants"] == {
        "CONSUMER": ["consumer-c1"]
    }  # a DELETE carries the conversation as it is now (the SDK's Transformer reads it)
    platform.advance_to(60)
    assert changes(platform.take_outgoing(60)) == []  # c1 waits for Ben, never back to Ana
    subscribed = [e.detail for e in platform.record if e.kind is RecordKind.SUBSCRIBED]
    assert subscribed == ["conversations of a1"]


def test_a_bad_agent_ids_list_gets_a_400() -> None:
    [response] = subscribe(connected(), agentIds="12345678.a1")
    assert response["code"] == 400 and "agentIds must be a list" in response["body"]


async def test_the_filter_over_the_wire(start_server: StartServer) -> None:
    server = await start_server(floor())
    async with await open_feed(server) as ws:
        answer = await call(ws, "s", ".ams.aam.SubscribeExConversations", {"agentIds": [pid("a2")]})
        snapshot = await receive(ws)
    assert answer["code"] == 200
    assert changes([snapshot]) == [("UPSERT", "c2")]
