"""Running countdowns sorted into zones by time left: overdue, due soon, later.

A conversation's deadline only changes when it is re-planned, while "now" moves on by itself.
So each countdown sits in one zone and moves forward (later -> soon -> overdue) as time passes:
two heaps of pending moves, consumed by `advance(now)`. A change costs O(log n), a poll
O(moves since the last poll); nothing scans every conversation. A heap holds the countdowns
themselves, in deadline order; those of an older plan are skipped when they surface (lazy
invalidation) and the heaps are rebuilt when stale entries outnumber the live ones. Most
countdowns are later than the horizon, so that zone keeps no set of its own: its count is
what the other zones leave.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from enum import IntEnum

from engine.core.model import AgentId, ConvId

DUE_SOON_SECONDS = 30.0


class Zone(IntEnum):
    OVERDUE = 0
    """The deadline has passed."""
    SOON = 1
    """Due within the horizon (deadline - horizon <= now <= deadline)."""
    LATER = 2


@dataclass(slots=True, eq=False)
class _Countdown:
    conv_id: ConvId
    deadline: float
    skill: str | None
    agent: AgentId | None
    zone: Zone

    def __lt__(self, other: _Countdown) -> bool:
        """Heap order: by deadline (a countdown enters SOON at its deadline less the horizon,
        so both heaps keep this order)."""
        return self.deadline < other.deadline


class Countdowns:
    """Deadlines by conversation, with counts (in all and per skill) of each zone, and of the
    overdue ones per agent, kept current."""

    def __init__(self, horizon: float = DUE_SOON_SECONDS) -> None:
        self.horizon = horizon
        self._now = float("-inf")
        self._items: dict[ConvId, _Countdown] = {}
        self._ids: dict[Zone, set[ConvId]] = {Zone.OVERDUE: set(), Zone.SOON: set()}
        """The conversations in OVERDUE and in SOON (those in LATER are the rest)."""
        self._per_skill: Counter[tuple[str | None, Zone]] = Counter()
        self._overdue_per_agent: Counter[AgentId] = Counter()
        self._to_soon: list[_Countdown] = []
        """Countdowns in LATER, by the time they enter SOON."""
        self._to_overdue: list[_Countdown] = []
        """Countdowns in SOON, by their deadline."""

    def __len__(self) -> int:
        return len(self._items)

    def set(
        self,
        conv_id: ConvId,
        deadline: float | None,
        skill: str | None,
        agent: AgentId | None = None,
    ) -> None:
        """The conversation's running countdown (None: it has none)."""
        item = self._items.get(conv_id)
        if item is not None:
            if deadline == item.deadline and skill == item.skill and agent == item.agent:
                return
            self._leave(conv_id, item)
            del self._items[conv_id]
        if deadline is None:
            return
        item = _Countdown(conv_id, deadline, skill, agent, self._zone_of(deadline))
        self._items[conv_id] = item
        self._enter(conv_id, item)
        if len(self._to_soon) + len(self._to_overdue) > 2 * len(self._items) + 64:
            self._rebuild()

    def advance(self, now: float) -> None:
        """Move every countdown into its zone as of `now`. Engine time never goes backwards;
        if a caller's does, the zones are worked out again from scratch (O(n), never in use)."""
        if now < self._now:
            self._now = now
            self._rezone_all()
            return
        self._now = now
        self._drain(self._to_soon, Zone.LATER, now, lead=self.horizon, strict=False)
        self._drain(self._to_overdue, Zone.SOON, now, lead=0.0, strict=True)

    def __contains__(self, conv_id: object) -> bool:
        return conv_id in self._items

    def skill_of(self, conv_id: ConvId) -> str | None:
        """The skill the conversation's running countdown counts under (it must have one)."""
        return self._items[conv_id].skill

    def all_ids(self) -> frozenset[ConvId]:
        """The conversations with a running countdown, in every zone."""
        return frozenset(self._items)

    def count(self, zone: Zone) -> int:
        if zone is Zone.LATER:
            return len(self._items) - len(self._ids[Zone.OVERDUE]) - len(self._ids[Zone.SOON])
        return len(self._ids[zone])

    def ids(self, zone: Zone) -> frozenset[ConvId]:
        """The conversations in `zone`: O(them), but O(n) for LATER."""
        if zone is Zone.LATER:
            return frozenset(c for c, item in self._items.items() if item.zone is Zone.LATER)
        return frozenset(self._ids[zone])

    def per_skill(self, zone: Zone) -> dict[str | None, int]:
        return {skill: n for (skill, z), n in self._per_skill.items() if z is zone and n}

    def overdue_per_agent(self) -> dict[AgentId, int]:
        """Overdue countdowns per agent (only agents with one): O(those agents)."""
        return dict(self._overdue_per_agent)

    # ------------------------------------------------------------------ internals

    def _zone_of(self, deadline: float) -> Zone:
        if deadline < self._now:
            return Zone.OVERDUE
        if deadline - self.horizon <= self._now:
            return Zone.SOON
        return Zone.LATER

    def _enter(self, conv_id: ConvId, item: _Countdown) -> None:
        self._per_skill[item.skill, item.zone] += 1
        if item.zone is Zone.LATER:
            heapq.heappush(self._to_soon, item)
            return
        self._ids[item.zone].add(conv_id)
        if item.zone is Zone.SOON:
            heapq.heappush(self._to_overdue, item)
        elif item.agent is not None:
            self._overdue_per_agent[item.agent] += 1

    def _leave(self, conv_id: ConvId, item: _Countdown) -> None:
        if item.zone is not Zone.LATER:
            self._ids[item.zone].discard(conv_id)
        self._per_skill[item.skill, item.zone] -= 1
        if not self._per_skill[item.skill, item.zone]:
            del self._per_skill[item.skill, item.zone]
        if item.zone is Zone.OVERDUE and item.agent is not None:
            self._overdue_per_agent[item.agent] -= 1
            if not self._overdue_per_agent[item.agent]:
                del self._overdue_per_agent[item.agent]

    def _drain(
        self, heap: list[_Countdown], zone: Zone, until: float, *, lead: float, strict: bool
    ) -> None:
        """Move on the countdowns of `heap` (all in `zone` when pushed) whose time (deadline -
        `lead`) is before `until` (or at it, unless `strict`)."""
        while heap and ((at := heap[0].deadline - lead) < until or (not strict and at == until)):
            item = heapq.heappop(heap)
            if self._items.get(item.conv_id) is not item or item.zone is not zone:
                continue
            self._leave(item.conv_id, item)
            item.zone = self._zone_of(item.deadline)
            self._enter(item.conv_id, item)

    def _rebuild(self) -> None:
        """The heaps again from the live countdowns, without stale entries: O(n)."""
        self._to_soon = [i for i in self._items.values() if i.zone is Zone.LATER]
        self._to_overdue = [i for i in self._items.values() if i.zone is Zone.SOON]
        heapq.heapify(self._to_soon)
        heapq.heapify(self._to_overdue)

    def _rezone_all(self) -> None:
        """Every countdown's zone worked out again at the current `now`: O(n)."""
        for ids in self._ids.values():
            ids.clear()
        self._per_skill.clear()
        self._overdue_per_agent.clear()
        for conv_id, item in self._items.items():
            item.zone = self._zone_of(item.deadline)
            self._per_skill[item.skill, item.zone] += 1
            if item.zone is not Zone.LATER:
                self._ids[item.zone].add(conv_id)
            if item.zone is Zone.OVERDUE and item.agent is not None:
                self._overdue_per_agent[item.agent] += 1
        self._rebuild()
