"""What the UI may read: views built from the engine's parts, never the parts themselves."""

from __future__ import annotations

from collections.abc import Iterator

from engine.core.detail import ConversationDetail, conversation_detail
from engine.core.effects import EffectsBuffer
from engine.core.floor import AgentRecord, Floor
from engine.core.freshness import Freshness
from engine.core.give_back import GiveBacks
from engine.core.holds import Holds, Target
from engine.core.inflight import InFlight
from engine.core.mode import Mode
from engine.core.model import AgentId, ConvId, Reason
from engine.core.policy import Policy
from engine.core.schedule import Schedule
from engine.core.tally import Tally
from engine.core.views import (
    AgentView,
    ConversationView,
    FeedView,
    Figure,
    FloorFigures,
    ReturnView,
    SkillFigures,
)
from engine.core.why import WhyNot, why_not


class ReadModel:
    def __init__(
        self,
        *,
        mode: Mode,
        floor: Floor,
        holds: Holds,
        inflight: InFlight,
        schedule: Schedule,
        freshness: Freshness,
        effects: EffectsBuffer,
        tally: Tally,
        give_backs: GiveBacks,
    ) -> None:
        self._mode = mode
        self._floor = floor
        self._holds = holds
        self._inflight = inflight
        self._schedule = schedule
        self._freshness = freshness
        self._effects = effects
        self._tally = tally
        self._give_backs = give_backs
        self._agent_views: dict[AgentId, AgentView] = {}
        self._agent_list: tuple[AgentView, ...] | None = None
        self._held_agents: frozenset[AgentId] = frozenset()

    @property
    def policy(self) -> Policy:
        return self._mode.policy

    @property
    def dry_run(self) -> bool:
        return self._mode.dry_run

    def skills(self) -> frozenset[str]:
        """Every skill the feed has shown on a conversation (open or closed) or the policy
        names: the rows of the thresholds grid."""
        return self._floor.skills() | frozenset(self._mode.policy.skills)

    def feed(self) -> FeedView:
        return self._freshness.view()

    def watched_ids(self) -> Iterator[ConvId]:
        return self._schedule.watched()

    def watched_count(self) -> int:
        return len(self._schedule)

    def why_not(self, conv_id: ConvId, now: float) -> WhyNot:
        """Why the conversation has not been unassigned yet (`engine.core.why`)."""
        return why_not(
            conv_id,
            now,
            floor=self._floor,
            holds=self._holds,
            inflight=self._inflight,
            schedule=self._schedule,
            freshness=self._freshness,
            policy=self._mode.policy,
        )

    def taken_from(self, conv_id: ConvId) -> AgentId | None:
        """The agent Floorwatch's latest unassign of the conversation took it from (what a
        give-back returns it to); None when it has not unassigned it or it was given back."""
        return self._give_backs.taken_from(conv_id)

    def take_changed(self) -> set[ConvId]:
        """Conversations whose view changed since the last call (for batched UI updates)."""
        return self._effects.take_changed()

    def conversation(self, conv_id: ConvId) -> ConversationView | None:
        """The conversation as the table shows it; None when it is not watched."""
        conv = self._floor.get(conv_id)
        plan = self._schedule.plan(conv_id)
        if conv is None or plan is None:
            return None
        agent = self._floor.agent(conv.agent)
        wait = conv.wait()
        inflight = self._inflight.get(conv_id)
        held, until = self._holds.holding(conv_id, conv.agent)
        return ConversationView(
            conv_id=conv.conv_id,
            consumer=conv.consumer,
            skill=conv.skill,
            agent=conv.agent,
            agent_state=agent.state if agent is not None else None,
            waiting_since=wait.waiting_since if wait is not None else None,
            reason=plan.reason,
            threshold=plan.threshold,
            deadline=plan.deadline,
            status=plan.status,
            hold_until=until if held else None,
            extension=conv.extension,
            last_error=inflight.last_error if inflight is not None else None,
            manual_at=wait.manual_at if wait is not None else None,
            due_at=plan.due_at,
            agent_name=_name(agent),
        )

    def detail(self, conv_id: ConvId) -> ConversationDetail | None:
        """The conversation in full (the detail view); None once it is closed or unknown."""
        conv = self._floor.get(conv_id)
        if conv is None:
            return None
        view = self.conversation(conv_id)
        return conversation_detail(
            conv, view, floor=self._floor, holds=self._holds, policy=self._mode.policy
        )

    def agents(self) -> tuple[AgentView, ...]:
        """Every agent the feed has shown. Kept between calls: only the agents whose record,
        counts or hold changed are made anew, and while none did the same tuple comes back
        (the UI can skip its work by identity)."""
        touched = self._floor.take_touched_agents()
        held = frozenset(self._holds.held(Target.AGENT))
        if held != self._held_agents:
            touched |= held ^ self._held_agents
            self._held_agents = held
        if touched or self._agent_list is None:
            for agent_id in touched:
                view = self._agent_view(agent_id)
                if view is None:
                    self._agent_views.pop(agent_id, None)
                else:
                    self._agent_views[agent_id] = view
            self._agent_list = tuple(self._agent_views.values())
        return self._agent_list

    def _agent_view(self, agent_id: AgentId) -> AgentView | None:
        """The agent's view; None for an id the feed names on a conversation only."""
        floor = self._floor
        agent = floor.agent(agent_id)
        if agent is None:
            return None
        return AgentView(
            agent_id=agent_id,
            name=agent.name,
            state=agent.state,
            since=agent.since,
            bot=agent.bot,
            held=agent_id in self._held_agents,
            open_conversations=floor.open_count(agent_id),
            waiting_conversations=floor.waiting_count(agent_id),
        )

    def agent_name(self, agent_id: AgentId | None) -> str | None:
        """The agent's name, when the feed named them (None: unknown, or only the id)."""
        return _name(self._floor.agent(agent_id))

    def overdue_by_agent(self, now: float) -> dict[AgentId, int]:
        """Overdue conversations per assigned agent (only agents with one), kept as the
        countdowns move: O(agents with one)."""
        return self._tally.overdue_per_agent(now)

    # ------------------------------------------------------------------ the floor's figures
    # Kept by the engine as events apply (engine/core/tally.py): none of these scans the
    # conversations. `now` is engine time; the zones of the countdowns move on with it.

    def figures(self, now: float) -> FloorFigures:
        """The data bar: watched conversations by figure, the queue, recent unassigns."""
        return self._tally.figures(now)

    def figure_ids(self, figure: Figure, now: float) -> frozenset[ConvId]:
        """The conversations a figure of the data bar counts (a filter of the table)."""
        return self._tally.ids(figure, now)

    def skill_figures(self, now: float) -> list[SkillFigures]:
        """The per-skill breakdown and the queue per skill."""
        return self._tally.skills(now)

    def returns(self, now: float) -> list[ReturnView]:
        """The newest conversations Floorwatch returned to the queue, newest first."""
        return self._tally.returns(now)

    def unassigns_per_minute(self, now: float) -> dict[Reason, tuple[int, ...]]:
        """Confirmed unassigns per reason, one count a minute over the last hour."""
        return self._tally.unassigns_per_minute(now)


def _name(agent: AgentRecord | None) -> str | None:
    """A name the feed gave (the floor keeps the id as the name of an unnamed agent)."""
    if agent is None or not agent.name or agent.name == agent.agent_id:
        return None
    return agent.name
