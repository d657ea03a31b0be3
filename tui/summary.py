"""The floor at a glance, for the UI: the header's figures, the feed status and urgency.

Presentation worked out from the engine's read model, not rules of the engine: callers pass
the views and `now`; nothing here reads a clock. The conversations' figures (overdue, due
soon, in flight, unassigned) are the engine's own (`read.figures`), shown by the data bar.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from engine.core.model import AgentState, Status
from engine.core.views import AgentView, ConversationView, FeedView
from engine.status import FeedState, FeedStatus

URGENT_SECONDS = 10.0

COUNTING_DOWN = frozenset({Status.WATCHING, Status.EXTENDED})
"""Statuses whose deadline is a real countdown to an automatic unassign."""


def feed_status(feed: FeedView) -> FeedStatus:
    """The feed status the engine alone can tell, LIVE or STALE, when no link gives one."""
    return FeedStatus(FeedState.LIVE if feed.fresh else FeedState.STALE, feed.barrier_at)


class Urgency(StrEnum):
    PLENTY = "plenty"
    HALF = "half"
    """Less than half the allowed time is left."""
    SOON = "soon"
    """Less than `URGENT_SECONDS` left."""
    OVERDUE = "overdue"


def urgency(view: ConversationView, now: float) -> Urgency | None:
    """How close a counting-down conversation is to its unassign; None when none is counting.
    A held row past its own deadline is overdue (releasing it unassigns it)."""
    if view.status is Status.HELD:
        overdue = view.due_at is not None and view.due_at < now
        return Urgency.OVERDUE if overdue else None
    if view.deadline is None or view.status not in COUNTING_DOWN:
        return None
    left = view.deadline - now
    if left < 0:
        return Urgency.OVERDUE
    if left < URGENT_SECONDS:
        return Urgency.SOON
    allowed = (view.threshold or 0.0) + view.extension
    if left < allowed / 2:
        return Urgency.HALF
    return Urgency.PLENTY


@dataclass(frozen=True, slots=True)
class FloorSummary:
    """The header's second line: what the data bar does not show."""

    watched: int
    """The table's rows (the figure its title shows too)."""
    online: int
    away: int
    """Away and Back soon."""
    offline: int
    load: float | None
    """Open conversations per online human agent; None when nobody is online."""


def summarize(watched: int, agents: Iterable[AgentView]) -> FloorSummary:
    """The header figures: `watched` as counted already, one pass over the agents (never over
    the conversations: their figures are the engine's, in the data bar)."""
    online = away = offline = open_conversations = 0
    for agent in agents:
        if agent.bot:
            continue
        open_conversations += agent.open_conversations
        if agent.state is AgentState.ONLINE:
            online += 1
        elif agent.state is AgentState.OFFLINE:
            offline += 1
        elif agent.state is not None:
            away += 1
    return FloorSummary(
        watched=watched,
        online=online,
        away=away,
        offline=offline,
        load=open_conversations / online if online else None,
    )
