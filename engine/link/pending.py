"""The session's requests on one connection: built, numbered, spelt, and timed until answered."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import Enum

from engine.core import Action, TransferToAgent, Unassign
from engine.protocol import (
    Request,
    Spelling,
    get_clock,
    query_messages,
    subscribe_agent_states,
    subscribe_conversations,
    transfer_to_agent,
    unassign,
)


class Purpose(Enum):
    SUBSCRIBE = "subscribe"
    RESYNC = "resync"
    BARRIER = "barrier"
    UNASSIGN = "unassign"
    MESSAGES = "messages"


@dataclass(frozen=True, slots=True)
class Pending:
    purpose: Purpose
    sent_at: float
    action: Action | None = None
    conv: str | None = None
    """The conversation whose messages a MESSAGES request reads."""


class PendingRequests:
    """Request ids (never reused), the spelling of their type names, and what each was for."""

    def __init__(self, spelling: Spelling) -> None:
        self.spelling = spelling
        self._ids = itertools.count(1)
        self._pending: dict[str, Pending] = {}

    def subscriptions(self, brand_id: str, *, presence: bool, now: float) -> list[str]:
        """The frames subscribing to the account's conversations (and agent states)."""
        spelling = self.spelling
        requests = [subscribe_conversations(self._next_id(), brand_id, spelling)]
        if presence:
            requests.append(subscribe_agent_states(self._next_id(), spelling))
        return [self._sent(request, Purpose.SUBSCRIBE, now) for request in requests]

    def get_clock(self, purpose: Purpose, now: float) -> str:
        return self._sent(get_clock(self._next_id(), self.spelling), purpose, now)

    def unassign(self, conversation_id: str, agent_legacy_id: str, action: Unassign) -> str:
        request = unassign(
            self._next_id(), conversation_id, agent_legacy_id, self.spelling, action.to_skill
        )
        return self._sent(request, Purpose.UNASSIGN, action.attempt_at, action)

    def transfer(
        self, conversation_id: str, agent: str, holder: str | None, action: TransferToAgent
    ) -> str:
        request = transfer_to_agent(self._next_id(), conversation_id, agent, holder, self.spelling)
        return self._sent(request, Purpose.UNASSIGN, action.attempt_at, action)

    def read_messages(self, conversation_id: str, now: float) -> str:
        """Every message of the conversation's dialog (its id is the conversation's)."""
        request = query_messages(self._next_id(), conversation_id, spelling=self.spelling)
        self._pending[request.id] = Pending(Purpose.MESSAGES, now, conv=conversation_id)
        return request.to_wire()

    def _next_id(self) -> str:
        return str(next(self._ids))

    def _sent(
        self, request: Request, purpose: Purpose, now: float, action: Action | None = None
    ) -> str:
        """Remember `request` as sent at `now`; returns its frame."""
        self._pending[request.id] = Pending(purpose, now, action)
        return request.to_wire()

    def answered(self, request_id: str) -> Pending | None:
        """The request this answers (None: unknown, or answered already)."""
        return self._pending.pop(request_id, None)

    def forget_all(self) -> list[Pending]:
        """Every request under way (the connection is gone): they will not be answered."""
        pending, self._pending = list(self._pending.values()), {}
        return pending

    def expired(self, now: float, timeout: float) -> list[Pending]:
        """The requests unanswered for `timeout` seconds, no longer waited for."""
        late = [rid for rid, p in self._pending.items() if now - p.sent_at >= timeout]
        return [self._pending.pop(rid) for rid in late]

    def oldest(self) -> float | None:
        """When the oldest unanswered request was sent, if any is under way."""
        pending = self._pending
        return min(p.sent_at for p in pending.values()) if pending else None
