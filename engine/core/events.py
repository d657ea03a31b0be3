"""What the engine hears from the link: feed news already translated out of the wire protocol,
the freshness of the feed, and the results of the actions it sent."""

from __future__ import annotations

from dataclasses import dataclass

from engine.core.actions import Action
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
    max_conversations: int | None = None
    """How many conversations the agent may hold (None: the reading does not say)."""


@dataclass(frozen=True, slots=True)
class MessagesRead:
    """A conversation's messages as the platform keeps them, read for a wait whose start the
    feed could not show (the engine first saw the conversation with the consumer's message
    newest, or after a gap in its messages): `messages` in any order, possibly not all."""

    conv_id: ConvId
    messages: tuple[LastMessage, ...]


FeedEvent = ConversationChanged | ConversationGone | AgentChanged


@dataclass(frozen=True, slots=True)
class FeedStale:
    """The feed can no longer prove it is current (disconnected, or a request overdue)."""

    detail: str = ""


@dataclass(frozen=True, slots=True)
class FeedFresh:
    """A resync completed: everything the platform had at `as_of` has been applied."""

    as_of: float
    detail: str = ""


@dataclass(frozen=True, slots=True)
class BarrierCompleted:
    """A freshness barrier that began at `started_at` completed: every frame (and presence
    reading) the platform sent before then has been applied."""

    started_at: float


@dataclass(frozen=True, slots=True)
class MayAct:
    """Whether the engine may act at all: its time is trusted to be the platform's and its
    audit can be saved. While it may not, the feed counts as stale and nothing is decided;
    `detail` says why."""

    allowed: bool
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ActionSucceeded:
    """The platform accepted the action; the feed will confirm it."""

    action: Action


@dataclass(frozen=True, slots=True)
class ActionFailed:
    """The platform refused the action, it timed out, or it could not be sent."""

    action: Action
    error: str


LinkEvent = (
    FeedEvent
    | MessagesRead
    | FeedStale
    | FeedFresh
    | BarrierCompleted
    | MayAct
    | ActionSucceeded
    | ActionFailed
)
"""Everything `Engine.apply` takes."""
