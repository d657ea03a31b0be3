"""Unassigns the feed confirmed: counts over the last 15 minutes (per reason and per skill)
and per minute over the last hour (per reason). O(1) per unassign, O(minutes) per reading."""

from __future__ import annotations

from collections import Counter, deque

from engine.core.model import Reason

RECENT_SECONDS = 15 * 60.0
MINUTES = 60


class UnassignHistory:
    def __init__(self, window: float = RECENT_SECONDS, minutes: int = MINUTES) -> None:
        self._window = window
        self._minutes = minutes
        self._recent: deque[tuple[float, Reason, str | None]] = deque()
        self._by_reason: Counter[Reason] = Counter()
        self._by_skill: Counter[str | None] = Counter()
        self._per_minute: dict[int, Counter[Reason]] = {}

    def record(self, at: float, reason: Reason, skill: str | None) -> None:
        self._recent.append((at, reason, skill))
        self._by_reason[reason] += 1
        self._by_skill[skill] += 1
        self._per_minute.setdefault(int(at // 60), Counter())[reason] += 1

    def recent(self, now: float) -> Counter[Reason]:
        """Per reason, within the last 15 minutes."""
        self._expire(now)
        return +self._by_reason

    def recent_per_skill(self, now: float) -> Counter[str | None]:
        self._expire(now)
        return +self._by_skill

    def per_minute(self, now: float) -> dict[Reason, tuple[int, ...]]:
        """Per reason, one count a minute over the last hour, oldest first (the last one is
        the minute under way)."""
        last = int(now // 60)
        for minute in [m for m in self._per_minute if m <= last - self._minutes]:
            del self._per_minute[minute]
        empty: Counter[Reason] = Counter()
        first = last - self._minutes + 1
        minutes = [self._per_minute.get(m, empty) for m in range(first, last + 1)]
        return {reason: tuple(counts[reason] for counts in minutes) for reason in Reason}

    def _expire(self, now: float) -> None:
        while self._recent and self._recent[0][0] < now - self._window:
            _, reason, skill = self._recent.popleft()
            self._by_reason[reason] -= 1
            self._by_skill[skill] -= 1
