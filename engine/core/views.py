"""Read-only views of engine state for the UI and the CLI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from engine.core.model import AgentId, AgentState, ConvId, Reason, Status
from engine.core.waits import wait_key


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
    manual_at: float | None = None
    """When a supervisor's "unassign now" asked for this wait (None: not asked)."""
    due_at: float | None = None
    """When the threshold in force runs out (held or not): a held row past it is overdue."""
    agent_name: str | None = None
    """The assigned agent's name, when the feed named them (None: only the id is known)."""

    @property
    def wait_key(self) -> str | None:
        """The wait shown: a row command carries it, so the engine acts only on what was seen.
        Worked out from the fields (as the engine names its waits), not kept: a table holds a
        view per conversation."""
        if self.agent is None or self.waiting_since is None:
            return None
        return wait_key(self.conv_id, self.agent, self.waiting_since, self.manual_at)


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


class Figure(StrEnum):
    """The data bar's counts of watched conversations, each also a filter of the table."""

    OVERDUE = "overdue"
    """A deadline running and passed (the engine acts once the feed proves it current)."""
    DUE_SOON = "due-soon"
    """A deadline running, due within 30 s and not yet passed."""
    WAITING = "waiting"
    """Waiting for the assigned agent's answer with a deadline running (overdue and due soon
    included; held, off, in flight and dry-run-decided ones are not)."""
    HELD = "held"
    IN_FLIGHT = "in-flight"
    """An unassign under way: sent, or failed and retried."""


@dataclass(frozen=True, slots=True)
class FloorFigures:
    """The data bar, as of `now`: kept by the engine as events apply, never recounted."""

    overdue: int
    due_soon: int
    waiting: int
    held: int
    in_flight: int
    queued: int
    """Open conversations with no assigned agent."""
    returned_queued: int
    """Of those, the ones Floorwatch returned."""
    longest_in_queue: float | None
    """Seconds the longest-waiting conversation of the queue has been in it."""
    unassigned: Mapping[Reason, int]
    """Unassigns the feed confirmed in the last 15 minutes, per reason."""

    def count(self, figure: Figure) -> int:
        """The figure that also filters the table."""
        counts = {
            Figure.OVERDUE: self.overdue,
            Figure.DUE_SOON: self.due_soon,
            Figure.WAITING: self.waiting,
            Figure.HELD: self.held,
            Figure.IN_FLIGHT: self.in_flight,
        }
        return counts[figure]


@dataclass(frozen=True, slots=True)
class SkillFigures:
    """One skill's figures. Agents count on a skill while they hold an open conversation of
    it (the feed names no agent's skills, nor their free capacity)."""

    skill: str | None
    waiting: int
    overdue: int
    due_soon: int
    held: int
    in_flight: int
    unassigned: int
    online: int
    away: int
    offline: int
    queued: int
    returned_queued: int
    longest_in_queue: float | None


@dataclass(frozen=True, slots=True)
class ReturnView:
    """A conversation Floorwatch returned to the queue, as of `now`."""

    conv_id: ConvId
    skill: str | None
    agent: AgentId
    """The agent it was taken from."""
    reason: Reason
    since_returned: float
    routed_to: AgentId | None
    routing_took: float | None
    """Seconds from its return to the new agent's assignment; None while not routed."""
    closed: bool
    """It closed while still in the queue."""
