"""The deadline heap (engine/core/deadlines.py): outdated entries are skipped lazily."""

from __future__ import annotations

from engine.core.deadlines import DeadlineHeap


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
