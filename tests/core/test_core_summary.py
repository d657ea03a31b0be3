"""The header figures (engine/core/summary.py), the deadline heap and the ports' shapes."""

from __future__ import annotations

from core_harness import waiting_floor

from engine.core import AgentState, AuditEvent, AuditType, Engine, Reason, Status, Unassign
from engine.core.deadlines import DeadlineHeap
from engine.core.ports import ActionPort, FloorReadModel
from engine.core.summary import (
    DUE_SOON_SECONDS,
    RECENT_SECONDS,
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


def view(
    status: Status = Status.WATCHING,
    deadline: float | None = 60.0,
    threshold: float | None = 60.0,
    extension: float = 0.0,
) -> ConversationView:
    return ConversationView(
        conv_id="c1",
        consumer=None,
        skill="sales",
        agent="a1",
        agent_state=AgentState.ONLINE,
        waiting_since=0.0,
        reason=Reason.ONLINE,
        threshold=threshold,
        deadline=deadline,
        status=status,
        hold_until=None,
        extension=extension,
        last_error=None,
    )


def agent(
    agent_id: str, state: AgentState | None, *, open_: int = 0, bot: bool = False
) -> AgentView:
    return AgentView(
        agent_id=agent_id,
        name=agent_id,
        state=state,
        since=0.0,
        bot=bot,
        held=False,
        open_conversations=open_,
        waiting_conversations=0,
    )


# ---------------------------------------------------------------------- feed status


def test_feed_status_tells_live_or_stale_and_the_lag_since_the_last_barrier() -> None:
    assert feed_status(FeedView(fresh=True, barrier_at=90.0), 100.0) == FeedStatus(
        FeedState.LIVE, 10.0
    )
    assert feed_status(FeedView(fresh=False, barrier_at=None), 100.0) == FeedStatus(
        FeedState.STALE, None
    )
    assert feed_status(FeedView(fresh=True, barrier_at=105.0), 100.0).lag == 0.0


# ---------------------------------------------------------------------- urgency


def test_urgency_of_a_counting_down_conversation() -> None:
    assert urgency(view(), 0.0) is Urgency.PLENTY
    assert urgency(view(), 31.0) is Urgency.HALF
    assert urgency(view(), 51.0) is Urgency.SOON
    assert urgency(view(), 60.0) is Urgency.SOON
    assert urgency(view(), 60.5) is Urgency.OVERDUE


def test_urgency_counts_the_extension_in_the_time_allowed() -> None:
    extended = view(Status.EXTENDED, deadline=90.0, threshold=60.0, extension=30.0)
    assert urgency(extended, 40.0) is Urgency.PLENTY
    assert urgency(extended, 46.0) is Urgency.HALF


def test_no_urgency_without_a_countdown() -> None:
    assert urgency(view(Status.HELD), 59.0) is None
    assert urgency(view(Status.UNASSIGNING), 59.0) is None
    assert urgency(view(deadline=None), 59.0) is None


def test_urgency_of_an_engine_view() -> None:
    floor = waiting_floor()
    assert urgency(floor.view("c1"), 45.0) is Urgency.HALF


# ---------------------------------------------------------------------- counts


def test_recent_unassigns_count_confirmations_in_a_sliding_window() -> None:
    recent = RecentUnassigns(window=100.0)
    recent.record(AuditEvent(10.0, AuditType.UNASSIGN_CONFIRMED, "c1", "a1"))
    recent.record(AuditEvent(20.0, AuditType.UNASSIGN_DECIDED, "c2", "a1"))
    recent.record(AuditEvent(50.0, AuditType.UNASSIGN_CONFIRMED, "c3", "a1"))
    assert recent.count(60.0) == 2
    assert recent.count(110.0) == 2
    assert recent.count(110.5) == 1
    assert recent.count(151.0) == 0
    assert RecentUnassigns().count(0.0) == 0
    assert RECENT_SECONDS == 900.0


def test_in_flight_counts_unassigning_and_failed() -> None:
    views = [view(Status.UNASSIGNING), view(Status.FAILED), view(), view(Status.HELD)]
    assert in_flight(views) == 2


def test_summarize_the_floor() -> None:
    recent = RecentUnassigns()
    recent.record(AuditEvent(5.0, AuditType.UNASSIGN_CONFIRMED, "c9", "a1"))
    conversations = [
        view(deadline=100.0 + DUE_SOON_SECONDS),
        view(deadline=100.0 + DUE_SOON_SECONDS + 1),
        view(deadline=90.0),
        view(Status.EXTENDED, deadline=110.0),
        view(Status.UNASSIGNING),
        view(Status.FAILED),
        view(Status.HELD, deadline=101.0),
        view(Status.OFF, deadline=None),
    ]
    agents = [
        agent("a1", AgentState.ONLINE, open_=3),
        agent("a2", AgentState.ONLINE, open_=2),
        agent("a3", AgentState.AWAY, open_=1),
        agent("a4", AgentState.BACK_SOON),
        agent("a5", AgentState.OFFLINE),
        agent("a6", None),
        agent("b1", AgentState.ONLINE, open_=40, bot=True),
    ]
    summary = summarize(conversations, agents, recent, 100.0)
    assert (summary.watched, summary.due_soon, summary.in_flight) == (8, 3, 2)
    assert summary.unassigned_recently == 1
    assert (summary.online, summary.away, summary.offline) == (2, 2, 1)
    assert summary.load == 3.0


def test_summarize_an_empty_floor() -> None:
    summary = summarize([], [agent("a1", AgentState.AWAY, open_=2)], RecentUnassigns(), 0.0)
    assert (summary.watched, summary.online, summary.load) == (0, 0, None)


def test_summarize_an_engine() -> None:
    floor = waiting_floor()
    engine = floor.engine
    views = [v for c in engine.watched_ids() if (v := engine.conversation(c)) is not None]
    summary = summarize(views, engine.agents(), RecentUnassigns(), 40.0)
    assert (summary.watched, summary.due_soon, summary.online, summary.load) == (1, 1, 1, 1.0)


# ---------------------------------------------------------------------- heap and ports


def test_the_deadline_heap_skips_outdated_entries_lazily() -> None:
    heap = DeadlineHeap()
    heap.push(30.0, 1, "c1")
    heap.push(10.0, 1, "c2")
    heap.push(20.0, 2, "c1")
    assert len(heap) == 3
    current = {"c1": 2, "c2": 2}
    assert heap.peek_valid(lambda e: current[e[2]] == e[1]) == (20.0, 2, "c1")
    assert len(heap) == 2
    assert heap.pop() == (20.0, 2, "c1")
    heap.rebuild([(5.0, 3, "c3"), (1.0, 1, "c4")])
    assert heap.peek_valid(lambda e: True) == (1.0, 1, "c4")
    assert heap.peek_valid(lambda e: False) is None
    assert len(heap) == 0


class RecordingPort:
    def __init__(self) -> None:
        self.sent: list[Unassign] = []

    def send_unassign(self, action: Unassign) -> None:
        self.sent.append(action)


def test_the_engine_is_the_read_model_the_ui_reads() -> None:
    floor = waiting_floor()
    model: FloorReadModel = floor.engine
    assert model.policy == floor.engine.policy
    assert model.dry_run is False
    assert model.feed().fresh is True
    assert list(model.watched_ids()) == ["c1"]
    assert model.conversation("c1") is not None
    assert [a.agent_id for a in model.agents()] == ["a1"]
    assert "c1" in model.take_changed()


def test_actions_go_out_through_an_action_port() -> None:
    floor = waiting_floor()
    port: ActionPort = RecordingPort()
    floor.advance(60.0)
    for action in floor.actions:
        port.send_unassign(action)
    assert isinstance(port, RecordingPort)
    assert [a.conv_id for a in port.sent] == ["c1"]
    assert isinstance(floor.engine, Engine)
