"""The other requests the Node SDK sends on connect: simple answers for UnsubscribeExConversations,
SetAgentState and SubscribeRoutingTasks; QueryMessages (a dialog's messages, as the SDK's
subscribeMessagingEvents asks for them); and a 400 that names every type the platform does
not serve, whatever its body."""

from __future__ import annotations

from typing import Any

import pytest
from served_support import StartServer, call, floor, open_feed, receive

from fixtures.platform import Platform, RecordKind
from fixtures.scenario import WireShape

Frame = dict[str, Any]


def connected(shape: WireShape = "raw", timeline: list[dict[str, Any]] | None = None) -> Platform:
    platform = Platform(floor(timeline), shape=shape)
    platform.connect()
    return platform


def ask(platform: Platform, type_: str, body: object = None, req_id: str = "r") -> list[Frame]:
    platform.handle_request({"kind": "req", "id": req_id, "type": type_, "body": body})
    return platform.take_outgoing(platform.now)


def test_unsubscribe_ends_the_conversation_stream() -> None:
    platform = connected(timeline=[{"at": 5, "consumer_message": {"conv": "c1"}}])
    [answer, _] = ask(platform, ".ams.aam.SubscribeExConversations", {})
    sub = answer["body"]["subscriptionId"]
    [wrong] = ask(platform, ".ams.aam.UnsubscribeExConversations", {"subscriptionId": "nope"})
    assert wrong["code"] == 400 and "'nope' names no conversation subscription" in wrong["body"]
    [done] = ask(platform, ".ams.aam.UnsubscribeExConversations", {"subscriptionId": sub})
    assert (done["code"], done["type"], done["body"]) == (200, ".ReqBody$StringResp", "OK")
    platform.advance_to(10)
    assert platform.take_outgoing(10) == []  # the message at 5 is not sent
    [again] = ask(platform, "cqm.UnsubscribeExConversations", {"subscriptionId": sub})
    assert again["code"] == 400
    kinds = [(e.kind, e.detail) for e in platform.record if e.kind.value.startswith("connection.")]
    assert kinds[-2:] == [
        (RecordKind.SUBSCRIBED, "conversations"),
        (RecordKind.UNSUBSCRIBED, "conversations"),
    ]


def test_query_messages_answers_a_dialogs_messages_after_a_sequence_as_messaging_events() -> None:
    timeline = [
        {"at": 1, "consumer_message": {"conv": "c1", "text": "hello"}},
        {"at": 2, "agent_message": {"conv": "c1", "text": "hi"}},
        {"at": 3, "consumer_message": {"conv": "c1", "text": "still there?"}},
    ]
    platform = connected(timeline=timeline)
    platform.advance_to(4)
    platform.take_outgoing(4)
    [answer] = ask(platform, ".ams.ms.QueryMessages", {"dialogId": "c1", "newerThanSequence": 0})
    assert (answer["code"], answer["type"]) == (200, ".ams.ms.QueryMessages$Response")
    events = answer["body"]
    assert [(e["sequence"], e["originatorMetadata"]["role"]) for e in events] == [
        (1, "ASSIGNED_AGENT"),
        (2, "CONSUMER"),
    ]
    assert [e["event"]["message"] for e in events] == ["hi", "still there?"]
    assert all(e["dialogId"] == "c1" and e["event"]["type"] == "ContentEvent" for e in events)
    [everything] = ask(
        platform, ".ams.ms.QueryMessages", {"dialogId": "c1", "newerThanSequence": -1}
    )
    assert len(everything["body"]) == 3
    [unknown] = ask(platform, ".ams.ms.QueryMessages", {"dialogId": "nope"})
    assert unknown["code"] == 400 and "no dialog 'nope'" in unknown["body"]


def test_set_agent_state_sets_the_callers_own_state_as_the_sdk_sends_it() -> None:
    platform = connected()
    sdk_body = {
        "availability": "AWAY",
        "channels": ["MESSAGING"],
        "agentUserId": "12345678.supervisor",
    }
    [answer] = ask(platform, ".ams.routing.SetAgentState", sdk_body)
    assert (answer["code"], answer["type"]) == (202, ".ReqBody$StringResp")
    assert answer["body"] == "Agent state updated successfully"
    [public] = ask(platform, "routing.SetAgentState", {"availability": "OCCUPIED"})
    assert public["code"] == 202
    states = [(e.agent, e.detail) for e in platform.record if e.kind is RecordKind.USER_STATE]
    assert states == [("supervisor", "AWAY"), ("supervisor", "OCCUPIED")]
    assert platform.agent("a1").state == "ONLINE"  # no scenario agent changed


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"availability": "ASLEEP"}, "availability must be one of ONLINE, OCCUPIED, AWAY"),
        ({"availability": "AWAY", "agentUserId": "12345678.a1"}, "SetAgentState sets the caller's"),
        ("AWAY", "The body of .ams.routing.SetAgentState must be an object"),
    ],
)
def test_set_agent_state_refusals_say_why(body: object, reason: str) -> None:
    [answer] = ask(connected(), ".ams.routing.SetAgentState", body)
    assert answer["code"] == 400 and answer["body"].startswith(reason), answer["body"]


@pytest.mark.parametrize(
    ("shape", "answer_type", "notification"),
    [
        ("raw", ".ams.GenericSubscribe$Response", ".ams.routing.RoutingTaskNotification"),
        ("public", "GenericSubscribeResponse", "routing.RoutingTaskNotification"),
    ],
)
def test_routing_tasks_subscribe_and_offer_the_supervisor_nothing(
    shape: WireShape, answer_type: str, notification: str
) -> None:
    sdk_body = {"channelType": "MESSAGING", "agentId": "12345678.supervisor", "brandId": "12345678"}
    answer, tasks = ask(connected(shape), ".ams.routing.SubscribeRoutingTasks", sdk_body)
    assert (answer["code"], answer["type"]) == (200, answer_type)
    assert tasks == {
        "kind": "notification",
        "type": notification,
        "body": {"subscriptionId": answer["body"]["subscriptionId"], "changes": []},
    }


@pytest.mark.parametrize(
    ("type_", "body"),
    [
        (".ams.userprofile.GetUserProfile", "consumer-c1"),  # the SDK sends a string body
        (".ams.routing.UpdateRingState", {"ringId": "r", "ringState": "ACCEPTED"}),
        (".ams.ms.PublishEvent", {"dialogId": "c1", "event": {}}),
        (".ams.cm.AgentRequestConversation", {}),
        ("ms.SubscribeMessagingEvents", {"dialogId": "c1"}),
    ],
)
def test_every_other_type_gets_a_400_that_names_it(type_: str, body: object) -> None:
    [answer] = ask(connected(), type_, body, req_id="x1")
    assert answer == {
        "kind": "resp",
        "reqId": "x1",
        "code": 400,
        "type": ".ReqBody$StringResp",
        "body": f"Unsupported request type {type_}",
    }


async def test_the_sdks_connect_sequence_over_the_wire(start_server: StartServer) -> None:
    """What the SDK's examples send on `connected`, each answered, none refused."""
    server = await start_server(floor())
    async with await open_feed(server) as ws:
        state = await call(ws, "1", ".ams.routing.SetAgentState", {"availability": "ONLINE"})
        convs = await call(ws, "2", ".ams.aam.SubscribeExConversations", {"convState": ["OPEN"]})
        await receive(ws)  # the snapshot
        tasks = await call(ws, "3", ".ams.routing.SubscribeRoutingTasks", {})
        await receive(ws)  # the empty routing-task notification
        sub = convs["body"]["subscriptionId"]
        ended = await call(ws, "4", ".ams.aam.UnsubscribeExConversations", {"subscriptionId": sub})
    assert [r["code"] for r in (state, convs, tasks, ended)] == [202, 200, 200, 200]
