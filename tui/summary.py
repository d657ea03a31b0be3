"""The floor at a glance, for the UI: the header's figures, the feed status and urgency.

Presentation worked out from the engine's read model, not rules of the engine: callers pass
the views, the audit events they heard and `now`; nothing here reads a clock.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from engine.core.audit import AuditEvent, AuditType
from engine.core.model import AgentState, Status
from engine.core.views import AgentView, ConversationView, FeedView
from engine.status import FeedState, FeedStatus

DUE_SOON_SECONDS = 30.0
RECENT_SECONDS = 15 * 60.0
URGENT_SECONDS = 10.0

COUNTING_DOWN = frozenset({Status.WATCHING, Status.EXTENDED})
"""Statuses whose deadline is a real countdown to an automatic unassign."""
IN_FLIGHT = frozenset({Status.UNASSIGNING, Status.FAILED})
"""Statuses of a conversation whose unassign is under way (sent, or failed and retried)."""


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


class RecentUnassigns:
    """Unassigns the feed confirmed within a sliding window, from the service's audit events."""

    def __init__(self, window: float = RECENT_SECONDS) -> None:
        self._window = window
        self._times: deque[float] = deque()

    def record(self, event: AuditEvent) -> None:
        if event.type is AuditType.UNASSIGN_CONFIRMED:
            self._times.append(event.at)

    def count(self, now: float) -> int:
        while self._times and self._times[0] < now - self._window:
            self._times.popleft()
        return len(self._times)


def in_flight(conversations: Iterable[ConversationView]) -> int:
    """How many conversations have an unassign under way."""
    return sum(1 for view in conversations if view.status in IN_FLIGHT)


@dataclass(frozen=True, slots=True)
class FloorSummary:
    watched: int
    due_soon: int
    """Counting down and due within `DUE_SOON_SECONDS` (or already overdue)."""
    in_flight: int
    unassigned_recently: int
    """Unassigns confirmed within the last `RECENT_SECONDS`."""
    online: int
    away: int
    """Away and Back soon."""
    offline: int
    load: float | None
    """Open conversations per online human agent; None when nobody is online."""


def summarize(
    conversations: Iterable[ConversationView],
    agents: Iterable[AgentView],
    recent: RecentUnassigns,
    now: float,
) -> FloorSummary:
    """The header figures. One pass over the watched conversations and one over the agents."""
    watched = due_soon = in_flight = 0
    due_by = now + DUE_SOON_SECONDS
    for view in conversations:
        watched += 1
        if view.status in COUNTING_DOWN and view.deadline is not None and view.deadline <= due_by:
            due_soon += 1
        elif view.status in IN_FLIGHT:
            in_flight += 1
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
        due_soon=due_soon,
        in_flight=in_flight,
        unassigned_recently=recent.count(now),
        online=online,
        away=away,
        offline=offline,
        load=open_conversations / online if online else None,
    )
