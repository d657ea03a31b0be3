"""The header's figures and the countdown's urgency: pure rules on engine views."""

from __future__ import annotations

from dataclasses import replace

import pytest

from engine.core import AgentState, AuditEvent, AuditType, Reason, Status
from engine.core.summary import (
    FeedState,
    FeedStatus,
    RecentUnassigns,
    Urgency,
    feed_status,
    in_flight,
    summarize,
    urgency,
)
from engine.core.views import AgentView, ConversationView, FeedView

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


@pytest.mark.parametrize(
    ("left", "extension", "expected"),
    [
        (40.0, 0.0, Urgency.PLENTY),
        (30.0, 0.0, Urgency.PLENTY),
        (29.0, 0.0, Urgency.HALF),
        (59.0, 60.0, Urgency.HALF),
        (61.0, 60.0, Urgency.PLENTY),
        (9.5, 0.0, Urgency.SOON),
        (0.0, 0.0, Urgency.SOON),
        (-0.1, 0.0, Urgency.OVERDUE),
    ],
)
def test_urgency(left: float, extension: float, expected: Urgency) -> None:
    view = replace(WATCHING, deadline=NOW + left, extension=extension)
    assert urgency(view, NOW) is expected


@pytest.mark.parametrize("status", [Status.HELD, Status.UNASSIGNING, Status.OFF])
def test_no_urgency_without_a_countdown(status: Status) -> None:
    assert urgency(replace(WATCHING, status=status), NOW) is None
    assert urgency(replace(WATCHING, deadline=None), NOW) is None


def test_summary_counts() -> None:
    conversations = [
        WATCHING,
        replace(WATCHING, conv_id="c2", deadline=NOW + 30),
        replace(WATCHING, conv_id="c3", deadline=NOW + 31),
        replace(WATCHING, conv_id="c4", deadline=NOW - 5),
        replace(WATCHING, conv_id="c5", status=Status.HELD, deadline=NOW + 1),
        replace(WATCHING, conv_id="c6", status=Status.UNASSIGNING, deadline=NOW - 9),
        replace(WATCHING, conv_id="c7", status=Status.FAILED, deadline=NOW - 9),
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
    for at, type_ in (
        (NOW - 901, AuditType.UNASSIGN_CONFIRMED),
        (NOW - 10, AuditType.UNASSIGN_CONFIRMED),
        (NOW - 5, AuditType.UNASSIGN_DECIDED),
    ):
        recent.record(AuditEvent(at, type_, "c9", "a1"))
    summary = summarize(conversations, agents, recent, NOW)
    assert (summary.watched, summary.due_soon, summary.in_flight) == (7, 3, 2)
    assert summary.unassigned_recently == 1
    assert (summary.online, summary.away, summary.offline) == (2, 2, 1)
    assert summary.load == 4.0
    assert in_flight(conversations) == 2


def test_no_load_without_an_online_agent() -> None:
    summary = summarize([], [agent("a1", AgentState.AWAY, 3)], RecentUnassigns(), NOW)
    assert summary.load is None and summary.watched == 0


def test_recent_unassigns_slide_out_of_the_window() -> None:
    recent = RecentUnassigns(window=60)
    recent.record(AuditEvent(NOW, AuditType.UNASSIGN_CONFIRMED, "c1", "a1"))
    assert recent.count(NOW + 60) == 1
    assert recent.count(NOW + 61) == 0


def test_feed_status_from_the_engine() -> None:
    assert feed_status(FeedView(True, NOW - 1.5), NOW) == FeedStatus(FeedState.LIVE, 1.5)
    assert feed_status(FeedView(False, None), NOW) == FeedStatus(FeedState.STALE, None)
