"""The actions of issue 19 on the wire: an unassign to a fallback skill (REMOVE + Skill
UPDATE) and a give-back (REMOVE of whoever holds it, then SUGGEST), each answered as any
action."""

from __future__ import annotations

import json

from engine.core import ActionFailed, ActionSucceeded, Reason, TransferToAgent, Unassign
from engine.link.session import LinkSession

T0 = 1_700_000_000.0


def fields(write: str) -> list[dict[str, object]]:
    frame = json.loads(write)
    assert frame["type"] == ".ams.cm.UpdateConversationField"
    body = frame["body"]
    assert body["conversationId"] == "c1"
    listed: list[dict[str, object]] = body["conversationField"]
    return listed


def synced() -> LinkSession:
    session = LinkSession(brand_id="1234")
    for write in session.connected(T0).writes:
        frame = json.loads(write)
        answer = {"kind": "resp", "reqId": frame["id"], "code": 200, "type": "x"}
        session.receive(json.dumps(answer), T0)
    assert session.synced
    return session


def remove(agent: str) -> dict[str, object]:
    return {
        "field": "ParticipantsChange",
        "type": "REMOVE",
        "role": "ASSIGNED_AGENT",
        "userId": agent,
    }


def test_an_unassign_to_a_fallback_skill_adds_the_skill_update() -> None:
    session = synced()
    action = Unassign("c1", "a1", Reason.ONLINE, T0, T0, "k", to_skill="overflow")
    (write,) = session.send_unassign(action).writes
    assert fields(write) == [
        remove("1234.a1"),
        {"field": "Skill", "type": "UPDATE", "skill": "overflow"},
    ]


def test_a_give_back_removes_the_holder_then_suggests_the_agent() -> None:
    session = synced()
    action = TransferToAgent("c1", "a1", "a2", T0, "Sam")
    (write,) = session.send_unassign(action).writes
    suggest = {
        "field": "ParticipantsChange",
        "type": "SUGGEST",
        "role": "ASSIGNED_AGENT",
        "userId": "1234.a1",
    }
    assert fields(write) == [remove("1234.a2"), suggest]
    answer = {"kind": "resp", "reqId": json.loads(write)["id"], "code": 200, "type": "x"}
    assert session.receive(json.dumps(answer), T0 + 0.1).events == (ActionSucceeded(action),)
    queued = TransferToAgent("c1", "a1", None, T0, "Sam")
    (write,) = session.send_unassign(queued).writes
    assert fields(write) == [suggest]


def test_a_give_back_while_disconnected_fails() -> None:
    session = LinkSession(brand_id="1234")
    action = TransferToAgent("c1", "a1", None, T0, "Sam")
    assert session.send_unassign(action).events == (ActionFailed(action, "not connected"),)
