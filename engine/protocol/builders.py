"""The requests Floorwatch sends, built as `Request` envelopes (send with `.to_wire()`)."""

from __future__ import annotations

from engine.protocol.envelope import Request
from engine.protocol.names import (
    GET_CLOCK,
    SUBSCRIBE_AGENTS_STATE,
    SUBSCRIBE_EX_CONVERSATIONS,
    UPDATE_CONVERSATION_FIELD,
)


def get_clock(req_id: str) -> Request:
    """The keep-alive and clock-sync round-trip."""
    return Request(id=req_id, type=GET_CLOCK, body={})


def subscribe_conversations(req_id: str, brand_id: str) -> Request:
    """Every open conversation of the account from the start (no `agentIds`: a manager's view)."""
    body = {"brandId": brand_id, "convState": ["OPEN"], "minLastUpdatedTime": 0}
    return Request(id=req_id, type=SUBSCRIBE_EX_CONVERSATIONS, body=body)


def subscribe_agent_states(req_id: str) -> Request:
    return Request(id=req_id, type=SUBSCRIBE_AGENTS_STATE, body={})


def unassign(req_id: str, conversation_id: str, agent_legacy_id: str) -> Request:
    """Back to the queue: REMOVE the ASSIGNED_AGENT `agent_legacy_id` ("account.userId")."""
    field = {
        "field": "ParticipantsChange",
        "type": "REMOVE",
        "role": "ASSIGNED_AGENT",
        "userId": agent_legacy_id,
    }
    body = {"conversationId": conversation_id, "conversationField": [field]}
    return Request(id=req_id, type=UPDATE_CONVERSATION_FIELD, body=body)
