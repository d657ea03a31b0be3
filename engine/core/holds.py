"""Holds: conversations and agents exempt from automatic unassign, until released or a time.

Both kinds share one timer heap of hold ends with lazy invalidation: an entry counts only while
the hold it was pushed for is still the one in force. `expire(now)` returns the holds that
ended, for the engine to audit and re-plan.
"""

from __future__ import annotations

import heapq
from collections.abc import KeysView, Mapping
from dataclasses import dataclass
from enum import Enum

from engine.core.model import AgentId, ConvId


class Target(Enum):
    CONVERSATION = "conversation"
    AGENT = "agent"


@dataclass(frozen=True, slots=True)
class Ended:
    """A timed hold that ran out."""

    target: Target
    id: str


class Holds:
    def __init__(self) -> None:
        self._held: dict[Target, dict[str, float | None]] = {t: {} for t in Target}
        """Per target kind: id -> when the hold ends (None: until released)."""
        self._ends: list[tuple[float, str, str]] = []
        """(until, target kind, id) for every timed hold pushed."""
        self._by: dict[tuple[Target, str], str] = {}
        """Who set each hold in force ("" when not known: restored after a restart)."""

    # ------------------------------------------------------------------ changes

    def hold(self, target: Target, id_: str, until: float | None, by: str = "") -> None:
        self._held[target][id_] = until
        self._by[target, id_] = by
        if until is not None:
            heapq.heappush(self._ends, (until, target.value, id_))

    def release(self, target: Target, id_: str) -> bool:
        """Lift a hold; True when there was one."""
        held = self._held[target]
        if id_ not in held:
            return False
        del held[id_]
        return True

    def forget(self, conv_id: ConvId) -> None:
        """The conversation closed: its hold goes with it."""
        self._held[Target.CONVERSATION].pop(conv_id, None)

    def expire(self, now: float) -> list[Ended]:
        """Remove and return the timed holds that end by `now`, earliest first."""
        ended: list[Ended] = []
        while self._ends and self._ends[0][0] <= now:
            until, kind, id_ = heapq.heappop(self._ends)
            held = self._held[Target(kind)]
            if id_ in held and held[id_] == until:
                del held[id_]
                ended.append(Ended(Target(kind), id_))
        return ended

    def restore(
        self, conversations: Mapping[ConvId, float | None], agents: Mapping[AgentId, float | None]
    ) -> None:
        """Saved holds, in place of those held; a conversation's applies whenever that
        conversation is open."""
        for target, saved in ((Target.CONVERSATION, conversations), (Target.AGENT, agents)):
            self._held[target].clear()
            for id_, until in saved.items():
                self.hold(target, id_, until)

    # ------------------------------------------------------------------ reading

    def held(self, target: Target) -> KeysView[str]:
        """The ids held of one kind (a live view)."""
        return self._held[target].keys()

    def is_held(self, target: Target, id_: str) -> bool:
        return id_ in self._held[target]

    def held_by(self, target: Target, id_: str) -> str:
        """Who set the hold on `id_` ("" when not known or not held)."""
        return self._by.get((target, id_), "") if id_ in self._held[target] else ""

    def holding(
        self, conv_id: ConvId, agent: AgentId | None, *, own: bool = True, agents: bool = True
    ) -> tuple[bool, float | None]:
        """Whether a hold applies to the conversation, and until when (None: until released).
        With both a conversation and an agent hold, it lasts as long as the longer one.
        `own=False` leaves the conversation's own hold out, `agents=False` its agent's (as if
        released)."""
        untils: list[float | None] = []
        if own and conv_id in self._held[Target.CONVERSATION]:
            untils.append(self._held[Target.CONVERSATION][conv_id])
        if agents and agent is not None and agent in self._held[Target.AGENT]:
            untils.append(self._held[Target.AGENT][agent])
        if not untils:
            return False, None
        if None in untils:
            return True, None
        return True, max(u for u in untils if u is not None)

    def next_end(self) -> float | None:
        """When the next timed hold in force ends (outdated entries are dropped on the way)."""
        ends = self._ends
        while ends and self._held[Target(ends[0][1])].get(ends[0][2], -1.0) != ends[0][0]:
            heapq.heappop(ends)
        return ends[0][0] if ends else None

    def saved(self, target: Target) -> dict[str, float | None]:
        return dict(self._held[target])
