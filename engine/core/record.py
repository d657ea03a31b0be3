"""One open conversation as the floor keeps it, and what its last message tells."""

from __future__ import annotations

from dataclasses import dataclass

from engine.core.events import LastMessage
from engine.core.model import AgentId, ConvId
from engine.core.timeline import Flat
from engine.core.waits import Wait, wait_key


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
    unproven: bool = False
    """`pending_since` is the first consumer message seen, but messages before it (or in a
    gap) were never shown: it may begin earlier (`Floor.messages_read`)."""
    extension: float = 0.0
    manual_at: float | None = None
    """When a supervisor asked to unassign it now (None: nobody asked)."""
    steps: Flat = ()
    """Its recent steps as the feed showed them (`engine.core.timeline`)."""

    def apply_message(self, message: LastMessage) -> bool:
        """Take a newer last message into account; returns True when it is the agent's."""
        if message.sequence <= self.last_seq:
            return False
        first_seen = self.last_seq < 0 and message.sequence > 0
        unseen = first_seen or message.sequence > self.last_seq + 1
        self.last_seq = message.sequence
        if message.from_consumer:
            if self.pending_since is None or unseen:
                # Messages the feed never showed (before the first one seen, or a gap in the
                # sequence) may hold the agent's answer, so the wait is taken to start at this
                # message, never earlier, until the messages read show more (`unproven`).
                self.unproven = unseen
                self.pending_since = message.at
            return False
        self.unproven = False
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
