"""What the engine remembers about each conversation and agent."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from engine.core.actions import Unassign
from engine.core.events import LastMessage
from engine.core.model import AgentId, AgentState, ConvId
from engine.core.plan import Plan, Wait, wait_key


class ActionState(Enum):
    DECIDED = "decided"
    """Handed to the action port, no answer yet."""
    SENT = "sent"
    """The platform accepted it; waiting for the feed to show the agent gone."""
    FAILED = "failed"
    """The platform refused it or it timed out; a retry is scheduled."""


@dataclass(slots=True)
class Inflight:
    """An unassign under way for one wait."""

    action: Unassign
    state: ActionState
    retry_at: float | None = None
    last_error: str | None = None
    raced: bool = False
    """The agent answered before the action landed: never retried."""


@dataclass(slots=True)
class AgentRecord:
    agent_id: AgentId
    state: AgentState
    since: float
    name: str
    bot: bool


@dataclass(slots=True)
class ConversationRecord:
    conv_id: ConvId
    metadata_ts: float
    skill: str | None
    agent: AgentId | None
    consumer: str | None
    assigned_at: float | None
    last_seq: int = -1
    pending_since: float | None = None
    """Server time of the first consumer message after the agent's last message."""
    held: bool = False
    hold_until: float | None = None
    extension: float = 0.0
    manual_at: float | None = None
    inflight: Inflight | None = None
    plan: Plan | None = None
    """None when the conversation is not watched."""
    version: int = 0

    def apply_message(self, message: LastMessage) -> bool:
        """Take a newer last message into account; returns True when it is the agent's."""
        if message.sequence <= self.last_seq:
            return False
        unseen = self.last_seq >= 0 and message.sequence > self.last_seq + 1
        self.last_seq = message.sequence
        if message.from_consumer:
            if self.pending_since is None or unseen:
                # Messages the feed never showed (a gap in the sequence) may hold the agent's
                # answer, so the wait is taken to start at this message: never earlier.
                self.pending_since = message.at
            return False
        self.pending_since = None
        self.extension = 0.0
        return True

    def wait(self) -> Wait | None:
        """The consumer message pending an agent response, if there is one."""
        if self.agent is None:
            return None
        if self.manual_at is None and self.pending_since is None:
            return None
        since = max(self.pending_since or 0.0, self.assigned_at or 0.0)
        return Wait(
            since,
            self.extension,
            self.manual_at,
            wait_key(self.conv_id, self.agent, since, self.manual_at),
        )
