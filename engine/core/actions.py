"""What the engine hands to the action port: the unassign it decided."""

from __future__ import annotations

from dataclasses import dataclass

from engine.core.model import AgentId, ConvId, Reason


@dataclass(frozen=True, slots=True)
class Unassign:
    """Remove `agent` from `conv_id` and return it to the queue (to the queue of skill
    `to_skill` when set: a fallback skill's move, REMOVE plus Skill UPDATE).

    `key` identifies the wait (conversation, agent, start of the wait): the same wait is never
    decided twice, and every retry carries the same key.
    """

    conv_id: ConvId
    agent: AgentId
    reason: Reason
    due_at: float
    decided_at: float
    key: str
    attempt: int = 1
    to_skill: str | None = None
    sent_at: float | None = None
    """When this attempt was handed to the port (None: at `decided_at`, the first attempt);
    a request's timeout runs from here."""

    @property
    def attempt_at(self) -> float:
        return self.decided_at if self.sent_at is None else self.sent_at


@dataclass(frozen=True, slots=True)
class TransferToAgent:
    """Transfer `conv_id` to `agent`, the agent an unassign took it from (a supervisor asked):
    a SUGGEST of `agent`, after the REMOVE of `holder` when someone holds it by then. The agent
    takes it when they accept (the feed shows them ACTIVE on it). Never retried."""

    conv_id: ConvId
    agent: AgentId
    holder: AgentId | None
    asked_at: float
    by: str

    @property
    def attempt_at(self) -> float:
        return self.asked_at


Action = Unassign | TransferToAgent
"""What the engine hands to the action port."""
