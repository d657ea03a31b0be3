"""Each watched conversation's plan and the one heap of wake-ups (deadlines and retries).

A wake-up is acted on only under a freshness barrier. Changing a plan's wake-up bumps the
conversation's version and pushes a new heap entry; the old one is skipped when it surfaces
(lazy invalidation), so an update costs O(log n) and finding what is due costs O(due).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from engine.core.deadlines import DeadlineHeap, Entry
from engine.core.model import ConvId
from engine.core.plan import Plan, Wake


class Schedule:
    def __init__(self) -> None:
        self._plans: dict[ConvId, Plan] = {}
        self._versions: dict[ConvId, int] = {}
        self._heap = DeadlineHeap()

    def plan(self, conv_id: ConvId) -> Plan | None:
        """None when the conversation is not watched."""
        return self._plans.get(conv_id)

    def watched(self) -> Iterator[ConvId]:
        return iter(self._plans)

    def __len__(self) -> int:
        return len(self._plans)

    def set(self, conv_id: ConvId, plan: Plan | None, *, push: bool = True) -> None:
        """Keep `plan` (None: no longer watched); schedule its wake-up when that changed."""
        old = self._plans.pop(conv_id, None)
        if plan is not None:
            self._plans[conv_id] = plan
        if _wake_of(old) == _wake_of(plan):
            return
        version = self._versions.get(conv_id, 0) + 1
        self._versions[conv_id] = version
        if push and plan is not None and plan.wake_at is not None:
            self._heap.push(plan.wake_at, version, conv_id)

    def reschedule(self) -> None:
        """Rebuild the heap from the plans in O(n) (after re-planning everything at once)."""
        self._heap.rebuild(
            (plan.wake_at, self._versions[conv_id], conv_id)
            for conv_id, plan in self._plans.items()
            if plan.wake_at is not None
        )

    def forget(self, conv_id: ConvId) -> None:
        self._plans.pop(conv_id, None)
        self._versions.pop(conv_id, None)

    def next_due(self, now: float | None = None) -> tuple[float, ConvId, Wake] | None:
        """The earliest wake-up still current: (time, conversation, what to do). A plan made
        while a newer state was within its grace that has ended by `now` is out of date:
        its wake-up comes as `Wake.REPLAN`, never as the deadline it had then."""
        entry = self._heap.peek_valid(self._is_current)
        if entry is None:
            return None
        at, _, conv_id = entry
        plan = self._plans[conv_id]
        assert plan.wake is not None
        switch = plan.grace.switch_at if plan.grace is not None else None
        if now is not None and switch is not None and switch <= now:
            return at, conv_id, Wake.REPLAN
        return at, conv_id, plan.wake

    def pop(self) -> None:
        """Drop the entry `next_due` returned (it is being acted on): its plan keeps no
        wake-up, so the next plan is scheduled even when it wakes at the same time."""
        conv_id = self._heap.pop()[2]
        if conv_id in self._plans:
            self._plans[conv_id] = replace(self._plans[conv_id], wake_at=None, wake=None)

    def next_wake(self) -> float | None:
        due = self.next_due()
        return None if due is None else due[0]

    def _is_current(self, entry: Entry) -> bool:
        """The entry is its plan's wake-up. Versions start again for a conversation that
        left the engine's skills and came back, so an entry of its earlier time here may
        carry the version of its new plan: the wake-up time tells them apart."""
        at, version, conv_id = entry
        plan = self._plans.get(conv_id)
        return plan is not None and plan.wake_at == at and self._versions.get(conv_id) == version


def _wake_of(plan: Plan | None) -> tuple[float | None, Wake | None]:
    return (None, None) if plan is None else (plan.wake_at, plan.wake)
