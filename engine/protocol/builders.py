"""The requests Floorwatch sends, built as `Request` envelopes (send with `.to_wire()`).

Each takes the `spelling` of its type name: raw (as the official SDK sends it) by default.
"""

from __future__ import annotations

from engine.protocol.envelope import Request
from engine.protocol.names import (
    GET_CLOCK,
    QUERY_MESSAGES,
    SUBSCRIBE_AGENTS_STATE,
    SUBSCRIBE_EX_CONVERSATIONS,
    UPDATE_CONVERSATION_FIELD,
    Spelling,
    spelled,
)


def get_clock(req_id: str, spelling: Spelling = Spelling.RAW) -> Request:
    """The keep-alive and clock-sync round-trip."""
    return Request(id=req_id, type=spelled(GET_CLOCK, spelling), body={})


def subscribe_conversations(
    req_id: str, brand_id: str, spelling: Spelling = Spelling.RAW
) -> Request:
    """Every open conversation of the account from the start (no `agentIds`: a manager's view)."""
    body = {"brandId": brand_id, "convState": ["OPEN"], "minLastUpdatedTime": 0}
    return Request(id=req_id, type=spelled(SUBSCRIBE_EX_CONVERSATIONS, spelling), body=body)


def subscribe_agent_states(req_id: str, spelling: Spelling = Spelling.RAW) -> Request:
    return Request(id=req_id, type=spelled(SUBSCRIBE_AGENTS_STATE, spelling), body={})


def unassign(
    req_id: str,
    conversation_id: str,
    agent_legacy_id: str,
    spelling: Spelling = Spelling.RAW,
    skill: str | None = None,
) -> Request:
    """Back to the queue: REMOVE the ASSIGNED_AGENT `agent_legacy_id` ("account.userId");
    with `skill`, a transfer to that skill's queue (the REMOVE and a Skill UPDATE)."""
    fields: list[dict[str, str]] = [
        {
            "field": "ParticipantsChange",
            "type": "REMOVE",
            "role": "ASSIGNED_AGENT",
            "userId": agent_legacy_id,
        }
    ]
    if skill is not None:
        fields.append({"field": "Skill", "type": "UPDATE", "skill": skill})
    body = {"conversationId": conversation_id, "conversationField": fields}
    return Request(id=req_id, type=spelled(UPDATE_CONVERSATION_FIELD, spelling), body=body)


def transfer_to_agent(
    req_id: str,
    conversation_id: str,
    agent_legacy_id: str,
    holder_legacy_id: str | None,
    spelling: Spelling = Spelling.RAW,
) -> Request:
    """Transfer to an agent: SUGGEST `agent_legacy_id` as the ASSIGNED_AGENT, after the REMOVE
    of `holder_legacy_id` when someone holds the conversation."""
    fields: list[dict[str, str]] = []
    if holder_legacy_id is not None:
        fields.append(
            {
                "field": "ParticipantsChange",
                "type": "REMOVE",
                "role": "ASSIGNED_AGENT",
                "userId": holder_legacy_id,
            }
        )
    fields.append(
        {
            "field": "ParticipantsChange",
            "type": "SUGGEST",
            "role": "ASSIGNED_AGENT",
            "userId": agent_legacy_id,
        }
    )
    body = {"conversationId": conversation_id, "conversationField": fields}
    return Request(id=req_id, type=spelled(UPDATE_CONVERSATION_FIELD, spelling), body=body)


def query_messages(
    req_id: str, dialog_id: str, newer_than: int = -1, spelling: Spelling = Spelling.RAW
) -> Request:
    """The messages of dialog `dialog_id` after sequence `newer_than` (-1: all), as the SDK's
    `subscribeMessagingEvents` asks for them."""
    body = {"dialogId": dialog_id, "newerThanSequence": newer_than}
    return Request(id=req_id, type=spelled(QUERY_MESSAGES, spelling), body=body)
