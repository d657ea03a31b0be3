"""What the UI works out from engine views (tui/summary.py): figures, feed status, urgency."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from engine.core import AgentState, AuditEvent, AuditType, Reason, Status
from engine.core.views import AgentView, ConversationView, FeedView
from engine.status import FeedState, FeedStatus
from tui.summary import RecentUnassigns, Urgency, feed_status, in_flight, summarize, urgency

NOW = 1000.0
WATCHING = ConversationView(
    conv_id="c1",
    consumer=None,
    skill="sales",
    agent="a1",
    agent_state=AgentState.ONLINE,
    waiting_since=NOW - 40,
    reason=Reason.ONLINE,
    threshold=60.0,
    deadline=NOW + 20,
    status=Status.WATCHING,
    hold_until=None,
    extension=0.0,
    last_error=None,
)


def agent(agent_id: str, state: AgentState | None, open_: int, *, bot: bool = False) -> AgentView:
    return AgentView(agent_id, agent_id, state, NOW - 5, bot, False, open_, 0)


def confirmed(at: float) -> AuditEvent:
    return AuditEvent(at, AuditType.UNASSIGN_CONFIRMED, "c9", "a1")


# ---------------------------------------------------------------------- feed status


def test_feed_status_from_the_engine_is_live_or_stale_as_of_the_barrier() -> None:
    assert feed_status(FeedView(True, NOW - 1.5)) == FeedStatus(FeedState.LIVE, NOW - 1.5)
    assert feed_status(FeedView(False, None)) == FeedStatus(FeedState.STALE, None)


# ---------------------------------------------------------------------- urgency


@pytest.mark.parametrize(
    ("left", "extension", "expected"),
    [
        (40.0, 0.0, Urgency.PLENTY),
        (30.0, 0.0, Urgency.PLENTY),
        (29.0, 0.0, Urgency.HALF),
        (61.0, 60.0, Urgency.PLENTY),
        (59.0, 60.0, Urgency.HALF),
        (9.5, 0.0, Urgency.SOON),
        (0.0, 0.0, Urgency.SOON),
        (-0.1, 0.0, Urgency.OVERDUE),
    ],
)
def test_urgency_of_a_countdown_counts_the_extension_in_the_time_allowed(
    left: float, extension: float, expected: Urgency
) -> None:
    status = Status.EXTENDED if extension else Status.WATCHING
    view = replace(WATCHING, deadline=NOW + left, extension=extension, status=status)
    assert urgency(view, NOW) is expected


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Status.HELD},
        {"status": Status.UNASSIGNING},
        {"status": Status.FAILED},
        {"status": Status.OFF},
        {"deadline": None},
    ],
    ids=["held", "unassigning", "failed", "off", "no-deadline"],
)
def test_no_urgency_without_a_countdown(changes: dict[str, Any]) -> None:
    assert urgency(replace(WATCHING, **changes), NOW) is None


# ---------------------------------------------------------------------- counts


def test_recent_unassigns_count_confirmations_in_a_sliding_window() -> None:
    recent = RecentUnassigns()
    for event in (
        confirmed(NOW - 901),
        confirmed(NOW - 900),
        confirmed(NOW - 10),
        AuditEvent(NOW - 5, AuditType.UNASSIGN_DECIDED, "c2", "a1"),
    ):
        recent.record(event)
    assert recent.count(NOW) == 2, "fifteen minutes by default, both ends in"
    assert recent.count(NOW + 890) == 1
    assert recent.count(NOW + 891) == 0
    short = RecentUnassigns(window=60)
    short.record(confirmed(NOW))
    assert (short.count(NOW + 60), short.count(NOW + 61)) == (1, 0)


def test_in_flight_counts_unassigning_and_failed() -> None:
    statuses = (Status.UNASSIGNING, Status.FAILED, Status.WATCHING, Status.HELD, Status.EXTENDED)
    assert in_flight(replace(WATCHING, status=s) for s in statuses) == 2


def test_summary_counts() -> None:
    conversations = [
        WATCHING,
        replace(WATCHING, conv_id="c2", deadline=NOW + 30),
        replace(WATCHING, conv_id="c3", deadline=NOW + 31),
        replace(WATCHING, conv_id="c4", deadline=NOW - 5),
        replace(WATCHING, conv_id="c5", status=Status.EXTENDED, deadline=NOW + 10),
        replace(WATCHING, conv_id="c6", status=Status.HELD, deadline=NOW + 1),
        replace(WATCHING, conv_id="c7", status=Status.OFF, deadline=None),
        replace(WATCHING, conv_id="c8", status=Status.UNASSIGNING, deadline=NOW - 9),
        replace(WATCHING, conv_id="c9", status=Status.FAILED, deadline=NOW - 9),
    ]
    agents = [
        agent("a1", AgentState.ONLINE, 4),
        agent("a2", AgentState.ONLINE, 2),
        agent("a3", AgentState.AWAY, 1),
        agent("a4", AgentState.BACK_SOON, 1),
        agent("a5", AgentState.OFFLINE, 0),
        agent("a6", None, 0),
        agent("bot", AgentState.ONLINE, 30, bot=True),
    ]
    recent = RecentUnassigns()
    recent.record(confirmed(NOW - 10))
    summary = summarize(conversations, agents, recent, NOW)
    assert (summary.watched, summary.due_soon, summary.in_flight) == (9, 4, 2)
    assert summary.unassigned_recently == 1
    assert (summary.online, summary.away, summary.offline) == (2, 2, 1), "bots are not agents"
    assert summary.load == 4.0


def test_no_load_without_an_online_agent() -> None:
    summary = summarize([], [agent("a1", AgentState.AWAY, 3)], RecentUnassigns(), NOW)
    assert (summary.watched, summary.online, summary.load) == (0, 0, None)
