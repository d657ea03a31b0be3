"""Read-only views of engine state for the UI and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from engine.core.model import AgentId, AgentState, ConvId, Reason, Status


@dataclass(frozen=True, slots=True)
class ConversationView:
    """One watched conversation as the table shows it; countdowns are `deadline - now`."""

    conv_id: ConvId
    consumer: str | None
    skill: str | None
    agent: AgentId | None
    agent_state: AgentState | None
    waiting_since: float | None
    reason: Reason | None
    threshold: float | None
    deadline: float | None
    status: Status
    hold_until: float | None
    extension: float
    last_error: str | None
    wait_key: str | None = None
    """The wait shown: a row command carries it, so the engine acts only on what was seen."""
    due_at: float | None = None
    """When the threshold in force runs out (held or not): a held row past it is overdue."""


@dataclass(frozen=True, slots=True)
class AgentView:
    agent_id: AgentId
    name: str
    state: AgentState | None
    since: float | None
    bot: bool
    held: bool
    open_conversations: int
    waiting_conversations: int


@dataclass(frozen=True, slots=True)
class FeedView:
    fresh: bool
    barrier_at: float | None
    """Start of the newest completed freshness barrier: everything before it is applied."""
