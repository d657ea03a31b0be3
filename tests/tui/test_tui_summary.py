"""What the UI works out from engine views (tui/summary.py): figures, feed status, urgency."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from engine.core import AgentState, Reason, Status
from engine.core.views import AgentView, ConversationView, FeedView
from engine.status import FeedState, FeedStatus
from tui.summary import Urgency, feed_status, summarize, urgency

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


def test_summary_counts_the_agents_and_takes_the_watched_figure_as_given() -> None:
    agents = [
        agent("a1", AgentState.ONLINE, 4),
        agent("a2", AgentState.ONLINE, 2),
        agent("a3", AgentState.AWAY, 1),
        agent("a4", AgentState.BACK_SOON, 1),
        agent("a5", AgentState.OFFLINE, 0),
        agent("a6", None, 0),
        agent("bot", AgentState.ONLINE, 30, bot=True),
    ]
    summary = summarize(9, agents)
    assert summary.watched == 9
    assert (summary.online, summary.away, summary.offline) == (2, 2, 1), "bots are not agents"
    assert summary.load == 4.0


def test_no_load_without_an_online_agent() -> None:
    summary = summarize(0, [agent("a1", AgentState.AWAY, 3)])
    assert (summary.watched, summary.online, summary.load) == (0, 0, None)
