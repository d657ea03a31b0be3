"""The floor's figures, kept as events apply: what the data bar, the per-skill breakdown and
the queue view read every second, so no reading scans the conversations.

The engine tells the tally every plan it keeps, every conversation change and close and every
confirmed unassign; each costs O(log n) at most. The agents per skill are the floor's.
"""

from __future__ import annotations

from collections import Counter

from engine.core.actions import Unassign
from engine.core.countdowns import Countdowns, Zone
from engine.core.model import AgentId, ConvId, Reason, Status
from engine.core.plan import Plan
from engine.core.queue import Queue
from engine.core.record import ConversationRecord
from engine.core.skill_agents import SkillAgents
from engine.core.unassign_history import UnassignHistory
from engine.core.views import Figure, FloorFigures, ReturnView, SkillFigures

BUCKETS = {
    Status.WATCHING: Figure.WAITING,
    Status.EXTENDED: Figure.WAITING,
    Status.HELD: Figure.HELD,
    Status.UNASSIGNING: Figure.IN_FLIGHT,
    Status.FAILED: Figure.IN_FLIGHT,
}
"""The figure each status counts in (overdue and due soon are zones of WAITING)."""
ZONES = {Figure.OVERDUE: Zone.OVERDUE, Figure.DUE_SOON: Zone.SOON}


class Tally:
    def __init__(self, agents: SkillAgents) -> None:
        """`agents`: the floor's agents per skill (the floor keeps them current)."""
        self._countdowns = Countdowns()
        self._buckets: dict[ConvId, tuple[str | None, Figure]] = {}
        """(skill, figure) of each conversation held or in flight. A waiting one is known by
        its countdown (a plan that counts as waiting always has a deadline)."""
        self._ids: dict[Figure, set[ConvId]] = {Figure.HELD: set(), Figure.IN_FLIGHT: set()}
        self._keys: dict[tuple[str | None, Figure], tuple[str | None, Figure]] = {}
        """One (skill, figure) tuple for all the conversations that share it."""
        self._per_skill: Counter[tuple[str | None, Figure]] = Counter()
        self._queue = Queue()
        self._agents = agents
        self._history = UnassignHistory()

    # ------------------------------------------------------------------ what the engine says

    def plan(
        self,
        conv_id: ConvId,
        plan: Plan | None,
        skill: str | None,
        agent: AgentId | None = None,
    ) -> None:
        """The plan the engine keeps for the conversation (None: not watched)."""
        bucket = BUCKETS.get(plan.status) if plan is not None else None
        now = (skill, bucket) if bucket is not None else None
        before = self._bucket(conv_id)
        if before != now:
            if before is not None:
                self._per_skill[before] -= 1
                if before[1] is not Figure.WAITING:
                    self._ids[before[1]].discard(conv_id)
                    del self._buckets[conv_id]
            if now is not None:
                self._per_skill[now] += 1
                if now[1] is not Figure.WAITING:
                    self._ids[now[1]].add(conv_id)
                    self._buckets[conv_id] = self._keys.setdefault(now, now)
        deadline = plan.deadline if plan is not None and bucket is Figure.WAITING else None
        self._countdowns.set(conv_id, deadline, skill, agent)

    def _bucket(self, conv_id: ConvId) -> tuple[str | None, Figure] | None:
        """(skill, figure) the conversation counts under now (None: not watched)."""
        if conv_id in self._countdowns:
            return self._countdowns.skill_of(conv_id), Figure.WAITING
        return self._buckets.get(conv_id)

    def conversation(
        self, conv_id: ConvId, skill: str | None, agent: AgentId | None, at: float
    ) -> None:
        """An open conversation as the feed now shows it; `at`: the change's platform time."""
        self._queue.observe(conv_id, skill, agent, at)

    def closed(self, conv_id: ConvId, at: float) -> None:
        self._queue.closed(conv_id, at)
        self.plan(conv_id, None, None)

    def confirmed(self, action: Unassign, conv: ConversationRecord, now: float) -> None:
        """The feed confirmed Floorwatch's `action`: `conv` is the conversation as that change
        left it (in the queue, or already with another agent)."""
        self._queue.returned(
            action.conv_id,
            skill=conv.skill,
            agent=action.agent,
            reason=action.reason,
            at=conv.metadata_ts,
            now_with=conv.agent,
        )
        self._history.record(now, action.reason, conv.skill)

    # ------------------------------------------------------------------ what the UI reads

    def figures(self, now: float) -> FloorFigures:
        self._countdowns.advance(now)
        oldest = [self._queue.oldest(s) for s in self._queue.skills()]
        since = min((t for t in oldest if t is not None), default=None)
        return FloorFigures(
            overdue=self._countdowns.count(Zone.OVERDUE),
            due_soon=self._countdowns.count(Zone.SOON),
            waiting=len(self._countdowns),
            held=len(self._ids[Figure.HELD]),
            in_flight=len(self._ids[Figure.IN_FLIGHT]),
            queued=len(self._queue),
            returned_queued=self._queue.returned_count(),
            longest_in_queue=max(0.0, now - since) if since is not None else None,
            unassigned=self._history.recent(now),
        )

    def ids(self, figure: Figure, now: float) -> frozenset[ConvId]:
        """The conversations a figure counts."""
        if figure is Figure.WAITING:
            return self._countdowns.all_ids()
        zone = ZONES.get(figure)
        if zone is None:
            return frozenset(self._ids[figure])
        self._countdowns.advance(now)
        return self._countdowns.ids(zone)

    def overdue_per_agent(self, now: float) -> dict[AgentId, int]:
        """Overdue conversations per assigned agent (only agents with one)."""
        self._countdowns.advance(now)
        return self._countdowns.overdue_per_agent()

    def skills(self, now: float) -> list[SkillFigures]:
        """Per skill, every skill with anything to count; by name, no skill last."""
        self._countdowns.advance(now)
        overdue = self._countdowns.per_skill(Zone.OVERDUE)
        soon = self._countdowns.per_skill(Zone.SOON)
        unassigned = self._history.recent_per_skill(now)
        queued, returned = self._queue.counts(), self._queue.returned_counts()
        names = {s for (s, _), n in self._per_skill.items() if n} | set(queued) | set(unassigned)
        names |= self._agents.skills()

        def one(skill: str | None) -> SkillFigures:
            since = self._queue.oldest(skill)
            return SkillFigures(
                skill=skill,
                waiting=self._per_skill[skill, Figure.WAITING],
                overdue=overdue.get(skill, 0),
                due_soon=soon.get(skill, 0),
                held=self._per_skill[skill, Figure.HELD],
                in_flight=self._per_skill[skill, Figure.IN_FLIGHT],
                unassigned=unassigned[skill],
                online=self._agents.count(skill, Reason.ONLINE),
                away=self._agents.count(skill, Reason.AWAY),
                offline=self._agents.count(skill, Reason.OFFLINE),
                queued=queued[skill],
                returned_queued=returned[skill],
                longest_in_queue=max(0.0, now - since) if since is not None else None,
            )

        return [one(s) for s in sorted(names, key=lambda s: (s is None, s or ""))]

    def returns(self, now: float) -> list[ReturnView]:
        """The newest conversations Floorwatch returned, newest first."""
        return [
            ReturnView(
                conv_id=r.conv_id,
                skill=r.skill,
                agent=r.agent,
                reason=r.reason,
                since_returned=max(0.0, now - r.returned_at),
                routed_to=r.routed_to,
                routing_took=r.routed_at - r.returned_at if r.routed_at is not None else None,
                closed=r.closed_at is not None,
            )
            for r in self._queue.returns()
        ]

    def unassigns_per_minute(self, now: float) -> dict[Reason, tuple[int, ...]]:
        return self._history.per_minute(now)
