"""Commands the engine hands to the action port."""

from __future__ import annotations

from dataclasses import dataclass

from engine.core.model import AgentId, ConvId, Reason


@dataclass(frozen=True, slots=True)
class Unassign:
    """Remove `agent` from `conv_id` and return it to the queue.

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
