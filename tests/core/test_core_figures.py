"""The floor's figures the engine keeps as events apply (read model: figures, figure_ids,
skill_figures, returns, unassigns_per_minute), and a property: after any history they equal
a brute-force recount of the engine's own views."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from core_harness import Floor, waiting_floor
from hypothesis import given
from hypothesis import strategies as st
from test_properties import PROPERTY_SETTINGS, Runner, Step, histories, policies

from engine.core import (
    ActionSucceeded,
    AgentState,
    AuditEvent,
    AuditType,
    Engine,
    Hold,
    Policy,
    Reason,
    Status,
)
from engine.core.countdowns import Countdowns, Zone
from engine.core.effects import Effects
from engine.core.model import reason_for
from engine.core.views import Figure

COUNTING = {Status.WATCHING, Status.EXTENDED}


def unassign_and_return(floor: Floor, conv: str, at: float) -> None:
    """The decided unassign of `conv` is accepted, and the feed shows it back in the queue."""
    action = next(a for a in floor.actions if a.conv_id == conv)
    floor.engine.apply(ActionSucceeded(action), at)
    floor.assign(conv, at, None)


# ---------------------------------------------------------------------- countdown zones


def test_a_countdown_moves_from_later_to_due_soon_to_overdue_as_time_passes() -> None:
    floor = waiting_floor(dry_run=True)  # online 60 s, the consumer wrote at 0
    read = floor.engine.read
    assert (read.figures(0.0).waiting, read.figures(0.0).due_soon) == (1, 0)
    assert read.figures(30.0).due_soon == 1, "30 s left is due soon"
    assert read.figure_ids(Figure.DUE_SOON, 30.0) == {"c1"}
    assert read.figures(60.0).overdue == 0, "at the deadline itself it is not yet overdue"
    figures = read.figures(60.5)
    assert (figures.overdue, figures.due_soon, figures.waiting) == (1, 0, 1)
    assert read.figure_ids(Figure.OVERDUE, 60.5) == {"c1"}


def test_a_new_deadline_moves_a_countdown_back_and_a_hold_counts_as_held() -> None:
    floor = waiting_floor(dry_run=True)
    read = floor.engine.read
    assert read.figures(45.0).due_soon == 1
    floor.agent_says("c1", 45.0)
    floor.consumer_says("c1", 46.0)  # a new wait: due at 106
    assert (read.figures(46.0).due_soon, read.figures(46.0).waiting) == (0, 1)
    floor.engine.execute(Hold(conv="c1", by="sup"), 47.0)
    figures = read.figures(200.0)
    assert (figures.held, figures.waiting, figures.overdue) == (1, 0, 0)
    assert read.figure_ids(Figure.HELD, 200.0) == {"c1"}


def test_an_unassign_under_way_is_in_flight_until_the_feed_confirms_it() -> None:
    floor = waiting_floor()
    floor.advance(60.0)
    read = floor.engine.read
    assert (read.figures(60.0).in_flight, read.figures(60.0).waiting) == (1, 0)
    unassign_and_return(floor, "c1", 61.0)
    assert read.figures(61.0).in_flight == 0


def test_countdowns_asked_at_an_earlier_time_are_zoned_again() -> None:
    countdowns = Countdowns(horizon=30.0)
    countdowns.set("c1", 100.0, "sales")
    countdowns.advance(101.0)
    assert countdowns.count(Zone.OVERDUE) == 1
    countdowns.advance(50.0)
    assert (countdowns.count(Zone.OVERDUE), countdowns.count(Zone.LATER)) == (0, 1)
    countdowns.advance(80.0)
    assert countdowns.per_skill(Zone.SOON) == {"sales": 1}


# ---------------------------------------------------------------------- the queue


def test_a_returned_conversation_is_followed_until_routing_gives_it_to_an_agent() -> None:
    floor = waiting_floor()
    floor.presence("a2", AgentState.ONLINE, 0.0)
    floor.open("q1", 10.0, None, consumer_at=10.0)  # in the queue from the start
    floor.advance(60.0)
    unassign_and_return(floor, "c1", 61.0)
    read = floor.engine.read
    figures = read.figures(70.0)
    assert (figures.queued, figures.returned_queued, figures.longest_in_queue) == (2, 1, 60.0)
    [back] = read.returns(70.0)
    assert (back.conv_id, back.agent, back.reason) == ("c1", "a1", Reason.ONLINE)
    assert (back.since_returned, back.routed_to, back.routing_took) == (9.0, None, None)
    floor.assign("c1", 75.0, "a2")
    [back] = read.returns(80.0)
    assert (back.routed_to, back.routing_took, back.since_returned) == ("a2", 14.0, 19.0)
    figures = read.figures(80.0)
    assert (figures.queued, figures.returned_queued, figures.longest_in_queue) == (1, 0, 70.0)


def test_a_returned_conversation_that_closes_in_the_queue_is_no_longer_waiting() -> None:
    floor = waiting_floor()
    floor.advance(60.0)
    unassign_and_return(floor, "c1", 61.0)
    floor.close("c1", 90.0)
    [back] = floor.engine.read.returns(95.0)
    assert back.closed and back.routed_to is None
    assert floor.engine.read.figures(95.0).queued == 0


def test_the_queue_per_skill_keeps_the_time_a_conversation_entered_it() -> None:
    floor = Floor()
    floor.open("q1", 10.0, None, skill="sales")
    floor.open("q2", 20.0, None, skill="billing")
    floor.assign("q1", 30.0, None, skill="billing")  # moved to another skill, still queued
    skills = {s.skill: s for s in floor.engine.read.skill_figures(40.0)}
    assert set(skills) == {"billing"}
    assert (skills["billing"].queued, skills["billing"].longest_in_queue) == (2, 30.0)


# ---------------------------------------------------------------------- per skill


def test_agents_count_on_the_skills_of_the_conversations_they_hold_by_presence() -> None:
    floor = waiting_floor()  # a1 online holds c1 (sales)
    floor.presence("a2", AgentState.BACK_SOON, 0.0)
    floor.open("c2", 1.0, "a2", skill="billing", consumer_at=1.0)
    floor.open("c3", 1.0, "a2", skill="sales")
    skills = {s.skill: s for s in floor.engine.read.skill_figures(2.0)}
    assert (skills["sales"].online, skills["sales"].away, skills["billing"].away) == (1, 1, 1)
    assert (skills["sales"].waiting, skills["billing"].waiting) == (1, 1)
    floor.presence("a2", AgentState.OFFLINE, 3.0)
    floor.close("c3", 4.0)
    skills = {s.skill: s for s in floor.engine.read.skill_figures(5.0)}
    assert (skills["sales"].away, skills["sales"].offline, skills["billing"].offline) == (0, 0, 1)


# ---------------------------------------------------------------------- recent unassigns


def test_unassigns_count_for_15_minutes_and_per_minute_for_an_hour_by_reason() -> None:
    floor = waiting_floor()
    floor.advance(60.0)
    unassign_and_return(floor, "c1", 61.0)
    read = floor.engine.read
    assert read.figures(61.0).unassigned == {Reason.ONLINE: 1}
    assert [s.unassigned for s in read.skill_figures(61.0)] == [1]
    assert read.figures(61.0 + 15 * 60 + 1).unassigned == {}
    trend = read.unassigns_per_minute(61.0 + 10 * 60)
    assert len(trend[Reason.ONLINE]) == 60 and sum(trend[Reason.ONLINE]) == 1
    assert trend[Reason.ONLINE][-11] == 1, "ten minutes ago, in the minute of 61 s"
    assert sum(read.unassigns_per_minute(61.0 + 61 * 60)[Reason.ONLINE]) == 0


# ---------------------------------------------------------------------- the property


class RecordingEngine(Engine):
    """The engine, keeping every audit event it hands out."""

    def __init__(self, policy: Policy, *, dry_run: bool) -> None:
        super().__init__(policy, dry_run=dry_run)
        self.audit: list[AuditEvent] = []

    def drain(self) -> Effects:
        effects = super().drain()
        self.audit.extend(effects.audit)
        return effects


@dataclass
class FiguresRunner(Runner):
    """The property runner, recounting every figure from the engine's views and floor after
    each step: the queue is followed here from what the floor shows after every step (one
    step changes one conversation at most)."""

    queued_since: dict[str, float] = field(default_factory=dict)
    returned: set[str] = field(default_factory=set)
    confirmed: list[tuple[float, Reason, str | None]] = field(default_factory=list)
    heard: int = 0

    def __post_init__(self) -> None:
        super().__post_init__()
        self.engine = self.recording = RecordingEngine(self.policy, dry_run=self.dry_run)

    def settle(self) -> None:
        super().settle()
        self.follow_queue()
        self.check_figures()

    def follow_queue(self) -> None:
        floor = self.engine._floor
        news, self.heard = self.recording.audit[self.heard :], len(self.recording.audit)
        queued = {c.conv_id: c for c in floor.conversations() if c.agent is None}
        for event in news:
            if event.type is AuditType.UNASSIGN_CONFIRMED:
                assert event.conv is not None and event.reason is not None
                conv = floor.get(event.conv)
                self.confirmed.append((event.at, event.reason, conv.skill if conv else None))
                if event.conv in queued:
                    self.returned.add(event.conv)
        for conv_id, conv in queued.items():
            self.queued_since.setdefault(conv_id, conv.metadata_ts)
        for conv_id in set(self.queued_since) - set(queued):
            del self.queued_since[conv_id]
        self.returned &= set(queued)

    def check_figures(self) -> None:
        now, read = self.now, self.engine.read
        views = [v for v in map(read.conversation, read.watched_ids()) if v is not None]
        deadlines = {
            v.conv_id: v.deadline for v in views if v.status in COUNTING and v.deadline is not None
        }
        ids = {
            Figure.OVERDUE: {c for c, d in deadlines.items() if d < now},
            Figure.DUE_SOON: {c for c, d in deadlines.items() if d >= now and d - 30.0 <= now},
            Figure.WAITING: set(deadlines),
            Figure.HELD: {v.conv_id for v in views if v.status is Status.HELD},
            Figure.IN_FLIGHT: {
                v.conv_id for v in views if v.status in {Status.UNASSIGNING, Status.FAILED}
            },
        }
        for figure, expected in ids.items():
            assert read.figure_ids(figure, now) == expected, (figure, now)
        figures = read.figures(now)
        counted = {f: figures.count(f) for f in Figure}
        assert counted == {f: len(expected) for f, expected in ids.items()}
        assert (figures.queued, figures.returned_queued) == (
            len(self.queued_since),
            len(self.returned),
        )
        oldest = min(self.queued_since.values(), default=None)
        assert figures.longest_in_queue == (None if oldest is None else max(0.0, now - oldest))
        recent = [(r, s) for at, r, s in self.confirmed if at >= now - 15 * 60]
        assert figures.unassigned == Counter(r for r, _ in recent)
        self.check_skills(ids, Counter(s for _, s in recent))

    def check_skills(self, ids: dict[Figure, set[str]], unassigned: Counter[str | None]) -> None:
        floor = self.engine._floor
        skill_of = {c.conv_id: c.skill for c in floor.conversations()}
        agents: Counter[tuple[str | None, Reason]] = Counter()
        for skill, agent_id in {(c.skill, c.agent) for c in floor.conversations()}:
            agent = floor.agent(agent_id)
            if agent is not None and not agent.bot:
                agents[skill, reason_for(agent.state)] += 1
        listed = {s.skill: s for s in self.engine.read.skill_figures(self.now)}
        busy = {skill_of[c] for found in ids.values() for c in found} | set(unassigned)
        busy |= {skill_of[c] for c in self.queued_since} | {s for s, _ in agents}
        assert set(listed) == busy
        for skill, figures in listed.items():
            for figure, expected in ids.items():
                mine = sum(1 for c in expected if skill_of[c] == skill)
                assert getattr(figures, figure.value.replace("-", "_")) == mine, (skill, figure)
            assert figures.unassigned == unassigned[skill]
            assert figures.queued == sum(1 for c in self.queued_since if skill_of[c] == skill)
            assert figures.returned_queued == sum(1 for c in self.returned if skill_of[c] == skill)
            presence = (figures.online, figures.away, figures.offline)
            reasons = (Reason.ONLINE, Reason.AWAY, Reason.OFFLINE)
            assert presence == tuple(agents[skill, r] for r in reasons), skill


@PROPERTY_SETTINGS
@given(
    policy=policies(),
    dry_run=st.booleans(),
    steps=histories(manual=True, feed_faults=True, dry_run_switch=True),
)
def test_kept_figures_equal_a_recount_after_any_history(
    policy: Policy, dry_run: bool, steps: list[Step]
) -> None:
    FiguresRunner(policy, dry_run, zero_latency=False).run(steps)


@PROPERTY_SETTINGS
@given(policy=policies(), steps=histories(manual=True, feed_faults=False, dry_run_switch=False))
def test_kept_figures_equal_a_recount_when_every_deadline_is_acted_on(
    policy: Policy, steps: list[Step]
) -> None:
    """Zero latency (the reference's checks too): decisions, confirmations and returns."""
    FiguresRunner(policy, dry_run=False, zero_latency=True).run(steps)
