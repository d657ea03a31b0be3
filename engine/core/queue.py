"""The queue as the feed shows it: open conversations with no assigned agent, per skill; and
what became of each conversation Floorwatch returned to it (routed to whom and how fast, or
still waiting).

Kept as feed changes apply: a change costs O(log n); the longest wait of a skill is the top of
its heap (entries of conversations that left are skipped when they surface, and a heap is
rebuilt when those outnumber the live ones). Nothing scans the queue per poll.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass

from engine.core.model import AgentId, ConvId, Reason

RETURNS_SHOWN = 200
"""The newest returned conversations followed one by one (the counts cover every one)."""


@dataclass(slots=True)
class Returned:
    """A conversation Floorwatch returned to the queue, and what happened to it since."""

    conv_id: ConvId
    skill: str | None
    agent: AgentId
    """The agent it was taken from."""
    reason: Reason
    returned_at: float
    routed_to: AgentId | None = None
    routed_at: float | None = None
    closed_at: float | None = None
    """It closed while still in the queue."""


@dataclass(slots=True)
class _Queued:
    skill: str | None
    since: float


class Queue:
    def __init__(self) -> None:
        self._queued: dict[ConvId, _Queued] = {}
        self._count: Counter[str | None] = Counter()
        self._heaps: dict[str | None, list[tuple[float, ConvId]]] = {}
        self._returned: dict[ConvId, Returned] = {}
        """The newest returned conversations, oldest first."""
        self._returned_waiting: set[ConvId] = set()
        """Returned conversations still in the queue (every one, followed or not)."""
        self._returned_count: Counter[str | None] = Counter()

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        return len(self._queued)

    def counts(self) -> Counter[str | None]:
        """Conversations in the queue per skill."""
        return +self._count

    def returned_counts(self) -> Counter[str | None]:
        """Returned conversations still in the queue per skill."""
        return +self._returned_count

    def returned_count(self) -> int:
        """Returned conversations still in the queue."""
        return len(self._returned_waiting)

    def oldest(self, skill: str | None) -> float | None:
        """Since when the skill's longest-waiting conversation is in the queue."""
        heap = self._heaps.get(skill)
        while heap:
            since, conv_id = heap[0]
            queued = self._queued.get(conv_id)
            if queued is not None and queued.skill == skill and queued.since == since:
                return since
            heapq.heappop(heap)
        return None

    def skills(self) -> list[str | None]:
        return list(self._count)

    def returns(self) -> list[Returned]:
        """The newest returned conversations, newest first."""
        return list(reversed(self._returned.values()))

    # ------------------------------------------------------------------ feed news

    def observe(self, conv_id: ConvId, skill: str | None, agent: AgentId | None, at: float) -> None:
        """The conversation as the feed now shows it (open); `at`: the change's time."""
        if agent is None:
            self._enqueue(conv_id, skill, at)
        else:
            self._dequeue(conv_id)
            self._routed(conv_id, agent, at)

    def closed(self, conv_id: ConvId, at: float) -> None:
        self._dequeue(conv_id)
        self._returned_waiting.discard(conv_id)
        returned = self._returned.get(conv_id)
        if returned is not None and returned.routed_to is None and returned.closed_at is None:
            returned.closed_at = at

    def returned(
        self,
        conv_id: ConvId,
        *,
        skill: str | None,
        agent: AgentId,
        reason: Reason,
        at: float,
        now_with: AgentId | None,
    ) -> None:
        """Floorwatch's unassign of `agent` is confirmed; `now_with`: who has it now (None:
        the queue)."""
        self._returned.pop(conv_id, None)
        self._returned[conv_id] = Returned(conv_id, skill, agent, reason, at)
        while len(self._returned) > RETURNS_SHOWN:
            del self._returned[next(iter(self._returned))]
        if now_with is not None:
            self._routed(conv_id, now_with, at)
        elif conv_id in self._queued and conv_id not in self._returned_waiting:
            self._returned_waiting.add(conv_id)
            self._returned_count[self._queued[conv_id].skill] += 1

    # ------------------------------------------------------------------ internals

    def _enqueue(self, conv_id: ConvId, skill: str | None, at: float) -> None:
        queued = self._queued.get(conv_id)
        if queued is not None and queued.skill == skill:
            return
        since = queued.since if queued is not None else at
        self._dequeue(conv_id)
        self._queued[conv_id] = _Queued(skill, since)
        self._count[skill] += 1
        heap = self._heaps.setdefault(skill, [])
        heapq.heappush(heap, (since, conv_id))
        if len(heap) > 2 * self._count[skill] + 16:
            # Stale entries outnumber live ones: rebuild from the queue (a scan, amortized
            # over the pushes that made them stale).
            self._heaps[skill] = [(q.since, c) for c, q in self._queued.items() if q.skill == skill]
            heapq.heapify(self._heaps[skill])
        if conv_id in self._returned_waiting:
            self._returned_count[skill] += 1

    def _dequeue(self, conv_id: ConvId) -> None:
        queued = self._queued.pop(conv_id, None)
        if queued is None:
            return
        self._count[queued.skill] -= 1
        if not self._count[queued.skill]:
            del self._count[queued.skill]
            self._heaps.pop(queued.skill, None)
        if conv_id in self._returned_waiting:
            self._returned_count[queued.skill] -= 1

    def _routed(self, conv_id: ConvId, agent: AgentId, at: float) -> None:
        self._returned_waiting.discard(conv_id)
        returned = self._returned.get(conv_id)
        if returned is not None and returned.routed_to is None and returned.closed_at is None:
            returned.routed_to, returned.routed_at = agent, at
