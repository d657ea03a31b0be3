"""UpdateConversationField beyond back-to-the-queue: transfer to a skill, transfer to an agent
(offered as SUGGESTED, accepted after a short delay if online), who a REMOVE removes, and the
forms the platform refuses, by name."""

from __future__ import annotations

from typing import Any

import pytest
from served_support import StartServer, call, floor, open_feed

from fixtures.platform import Platform, RecordKind
from fixtures.platform.offers import ACCEPT_DELAY
from fixtures.scenario import WireShape

Frame = dict[str, Any]
REMOVE = {"field": "ParticipantsChange", "type": "REMOVE", "role": "ASSIGNED_AGENT"}


def skill(skill_id: str) -> Frame:
    return {"field": "Skill", "type": "UPDATE", "skill": skill_id}


def suggest(user_id: str) -> Frame:
    return {
        "field": "ParticipantsChange",
        "type": "SUGGEST",
        "userId": user_id,
        "role": "ASSIGNED_AGENT",
    }


def update(conv: str, *fields: Frame, spelling: str = "cm.UpdateConversationField") -> Frame:
    body = {"conversationId": conv, "conversationField": list(fields)}
    return {"kind": "req", "id": "u", "type": spelling, "body": body}


def subscribed(shape: WireShape = "raw") -> Platform:
    platform = Platform(floor(), shape=shape)
    platform.connect()
    platform.handle_request({"kind": "req", "id": "s", "type": "cqm.SubscribeExConversations"})
    platform.take_outgoing(0)
    return platform


def ask(platform: Platform, request: Frame) -> tuple[Frame, list[Frame]]:
    """The answer to `request` and the conversation changes it caused at once."""
    platform.handle_request(request)
    answer, *changes = platform.take_outgoing(platform.now)
    return answer, [change["result"] for f in changes for change in f["body"]["changes"]]


def later(platform: Platform, t: float) -> list[Frame]:
    platform.advance_to(t)
    frames = platform.take_outgoing(t)
    return [change["result"] for f in frames for change in f["body"]["changes"]]


def details(result: Frame) -> Frame:
    found: Frame = result["conversationDetails"]
    return found


def since(platform: Platform, at: float) -> list[tuple[float, str, str | None, str | None, str]]:
    return [(e.at, e.kind.value, e.conv, e.agent, e.detail) for e in platform.record if e.at >= at]


def test_transfer_to_a_skill_queues_it_there_and_routing_gives_it_to_that_skill() -> None:
    platform = subscribed()
    answer, [moved] = ask(platform, update("c1", REMOVE, skill("billing")))
    assert (answer["code"], answer["body"]) == (200, "OK Agent removed successfully")
    assert details(moved)["skillId"] == "billing"
    assert details(moved)["participants"] == {"CONSUMER": ["consumer-c1"]}
    [routed] = later(platform, 5)
    assert details(routed)["participants"]["ASSIGNED_AGENT"] == ["12345678.a3"]
    assert (
        since(platform, 0.0)[-5:]
        == [
            (0.0, "action.applied", "c1", "a1", "OK Agent removed successfully"),
            (0.0, "agent.removed", "c1", "a1", "action"),  # an action's REMOVE, as any other
            (0.0, "conversation.transferred", "c1", None, "billing"),
            (0.0, "conversation.queued", "c1", None, "billing"),
            (1.0, "agent.assigned", "c1", "a3", "routing"),
        ][-6:]
    )


def test_a_skill_update_alone_keeps_the_agent() -> None:
    platform = subscribed()
    answer, [moved] = ask(platform, update("c1", skill("billing")))
    assert (answer["code"], answer["body"]) == (200, "OK Skill updated successfully")
    assert details(moved)["skillId"] == "billing"
    assert details(moved)["participants"]["ASSIGNED_AGENT"] == ["12345678.a1"]
    assert platform.conversation("c1").agent == "a1" and not platform.conversation("c1").queued


@pytest.mark.parametrize(
    "spelling", ["cm.UpdateConversationField", ".ams.cm.UpdateConversationField"]
)
def test_transfer_to_an_online_agent_offers_then_assigns_them(spelling: str) -> None:
    platform = subscribed()
    request = update("c1", REMOVE, suggest("12345678.a3"), skill("billing"), spelling=spelling)
    answer, [offered] = ask(platform, request)
    assert (answer["code"], answer["body"]) == (200, "OK Agent removed successfully")
    # The suggested agent is in the dialog only, not among the conversation's participants.
    assert details(offered)["participants"] == {"CONSUMER": ["consumer-c1"]}
    assert details(offered)["participantsPId"] == {"CONSUMER": ["consumer-c1"]}
    assert details(offered)["dialogs"][0]["participantsDetails"] == [
        {"id": "consumer-c1", "role": "CONSUMER", "state": "ACTIVE"},
        {"id": "12345678.a3", "role": "ASSIGNED_AGENT", "state": "SUGGESTED"},
    ]
    assert later(platform, ACCEPT_DELAY - 0.01) == []
    [accepted] = later(platform, ACCEPT_DELAY)
    assert details(accepted)["participants"]["ASSIGNED_AGENT"] == ["12345678.a3"]
    assert details(accepted)["dialogs"][0]["participantsDetails"][1] == {
        "id": "12345678.a3",
        "role": "ASSIGNED_AGENT",
        "state": "ACTIVE",
    }
    assert [e for e in since(platform, 0.0) if e[1].startswith("agent.")][-3:] == [
        (0.0, "agent.removed", "c1", "a1", "transfer"),
        (0.0, "agent.suggested", "c1", "a3", "billing"),
        (ACCEPT_DELAY, "agent.assigned", "c1", "a3", "accepted"),
    ]


def test_in_the_public_shape_the_offer_keeps_its_legacy_id_as_the_sdk_leaves_it() -> None:
    platform = subscribed("public")
    _, [offered] = ask(platform, update("c1", REMOVE, suggest("12345678.a3")))
    assert [p["role"] for p in details(offered)["participants"]] == ["CONSUMER"]
    assert details(offered)["dialogs"][0]["participantsDetails"][1] == {
        "id": "12345678.a3",
        "role": "ASSIGNED_AGENT",
        "state": "SUGGESTED",
    }


def test_an_offer_to_an_agent_who_is_not_online_lapses_to_the_queue() -> None:
    platform = subscribed()
    answer, _ = ask(platform, update("c1", REMOVE, suggest("12345678.a2")))  # Ben is AWAY
    assert answer["code"] == 200
    [lapsed] = later(platform, ACCEPT_DELAY)
    assert "ASSIGNED_AGENT" not in details(lapsed)["participants"]
    assert len(details(lapsed)["dialogs"][0]["participantsDetails"]) == 1
    assert (ACCEPT_DELAY, "agent.offer_lapsed", "c1", "a2", "AWAY") in since(platform, 0.0)
    assert platform.conversation("c1").queued


def test_a_queued_conversation_can_be_offered_without_a_remove() -> None:
    platform = subscribed()
    ask(platform, update("c1", REMOVE))
    answer, _ = ask(platform, update("c1", suggest("12345678.a3")))
    assert (answer["code"], answer["body"]) == (200, "OK Agent suggested successfully")
    later(platform, ACCEPT_DELAY)
    assert platform.conversation("c1").agent == "a3"


@pytest.mark.parametrize("user_id", [None, "12345678.a1", "12345678.supervisor"])
def test_a_remove_removes_the_assigned_agent(user_id: str | None) -> None:
    """Named by legacy id, not named, or named as the caller (the SDK fills in its own id)."""
    platform = subscribed()
    field = REMOVE if user_id is None else {**REMOVE, "userId": user_id}
    answer, [removed] = ask(platform, update("c1", field))
    assert answer["code"] == 200
    assert "ASSIGNED_AGENT" not in details(removed)["participants"]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ([{**REMOVE, "userId": "12345678.a2"}], "Participant 12345678.a2 does not hold role"),
        ([suggest("12345678.a3")], "A SUGGEST needs the REMOVE of the assigned agent"),
        ([REMOVE, suggest("12345678.zed")], "Agent 12345678.zed is not known"),
        ([REMOVE, suggest("12345678.a1")], "Agent 12345678.a1 is the assigned agent of c1"),
        ([REMOVE, REMOVE], "conversationField holds more than one ParticipantsChange REMOVE"),
        ([{**REMOVE, "type": "ADD", "role": "MANAGER"}], "Unsupported conversationField "
         "ParticipantsChange ADD MANAGER"),
        ([{"field": "ConversationStateField", "conversationState": "CLOSE"}],
         "Unsupported conversationField ConversationStateField"),
        ([{"field": "Skill", "type": "UPDATE"}], "a Skill UPDATE needs the skill id"),
    ],
)  # fmt: skip
def test_refused_forms_get_a_400_that_names_them(fields: list[Frame], reason: str) -> None:
    platform = subscribed()
    answer, changes = ask(platform, update("c1", *fields))
    assert answer["code"] == 400 and answer["body"].startswith(reason), answer["body"]
    assert changes == [] and platform.conversation("c1").agent == "a1"
    rejected = [e for e in platform.record if e.kind is RecordKind.ACTION_REJECTED]
    assert [e.detail for e in rejected] == [answer["body"]]


def test_nothing_is_removed_when_nobody_is_assigned_and_nothing_while_an_offer_waits() -> None:
    platform = subscribed()
    ask(platform, update("c1", REMOVE))
    answer, _ = ask(platform, update("c1", REMOVE))
    assert (answer["code"], answer["body"]) == (
        400,
        "Conversation c1 has no ASSIGNED_AGENT to remove",
    )
    ask(platform, update("c1", suggest("12345678.a3")))
    answer, _ = ask(platform, update("c1", skill("sales")))
    assert answer["code"] == 400 and "is offered to 12345678.a3" in answer["body"]


async def test_a_transfer_over_the_wire(start_server: StartServer) -> None:
    server = await start_server(floor())
    async with await open_feed(server) as ws:
        body = {"conversationId": "c1", "conversationField": [REMOVE, suggest("12345678.a3")]}
        answer = await call(ws, "u", ".ams.cm.UpdateConversationField", body)
    assert (answer["code"], answer["type"]) == (200, ".ReqBody$StringResp")
    assert server.platform.conversation("c1").agent is None
