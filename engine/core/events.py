"""What the engine hears from the feed, already translated out of the wire protocol."""

from __future__ import annotations

from dataclasses import dataclass

from engine.core.model import AgentId, AgentState, ConvId


@dataclass(frozen=True, slots=True)
class LastMessage:
    """The newest message of a conversation as the feed reported it."""

    sequence: int
    at: float
    from_consumer: bool


@dataclass(frozen=True, slots=True)
class ConversationChanged:
    """A conversation as one feed change showed it.

    `metadata_ts` orders the metadata (agent, skill, state); `last_message.sequence` orders the
    message news. `last_message` is None when the change did not carry it: that means
    "unknown", never "the agent answered".
    """

    conv_id: ConvId
    metadata_ts: float
    skill: str | None
    agent: AgentId | None
    consumer: str | None
    open: bool
    last_message: LastMessage | None


@dataclass(frozen=True, slots=True)
class ConversationGone:
    """The conversation left the subscription (closed)."""

    conv_id: ConvId


@dataclass(frozen=True, slots=True)
class AgentChanged:
    """An agent's presence reading: its state and since when it holds."""

    agent_id: AgentId
    state: AgentState
    since: float
    name: str | None = None
    bot: bool = False


FeedEvent = ConversationChanged | ConversationGone | AgentChanged
