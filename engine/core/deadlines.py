"""A min-heap of wake-up times with lazy invalidation.

Each conversation carries a version; changing its wake-up time bumps the version and pushes a
new entry, leaving the old one to be skipped when it surfaces. An update costs O(log n) and
finding what is due costs O(due), never a scan of every conversation.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable

from engine.core.model import ConvId

Entry = tuple[float, int, ConvId]
"""(wake-up time, version, conversation)."""


class DeadlineHeap:
    def __init__(self) -> None:
        self._heap: list[Entry] = []

    def __len__(self) -> int:
        return len(self._heap)

    def push(self, at: float, version: int, conv_id: ConvId) -> None:
        heapq.heappush(self._heap, (at, version, conv_id))

    def peek_valid(self, is_current: Callable[[Entry], bool]) -> Entry | None:
        """The earliest entry that is still current, discarding outdated ones on the way."""
        heap = self._heap
        while heap:
            if is_current(heap[0]):
                return heap[0]
            heapq.heappop(heap)
        return None

    def pop(self) -> Entry:
        return heapq.heappop(self._heap)

    def rebuild(self, entries: Iterable[Entry]) -> None:
        """Replace every entry at once in O(n): used after a live policy change."""
        self._heap = list(entries)
        heapq.heapify(self._heap)
