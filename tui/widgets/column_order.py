"""One column's order of rows: by value ascending, ties by id, the rows without a value last.

Kept in two sorted lists: `(value, id)` for the rows with a value, ids for those without one.
Read forwards or reversed, the rows without a value come after the others, so reversing an
order costs nothing. Adding, removing and finding a row cost O(log n), so does the row at a
place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter

from sortedcontainers import SortedList

from engine.core.model import ConvId
from tui.widgets.columns import SortValue

Place = tuple[SortValue | None, ConvId]
"""A row's sort value by the column (None: it has none) and its id."""
Valued = tuple[SortValue, ConvId]


class ColumnOrder:
    """The places of some rows (every row, or those a filter matches) by one column."""

    def __init__(self, places: Iterable[Place] = ()) -> None:
        every = places if isinstance(places, list) else list(places)
        valued: list[Valued] = [(v, c) for v, c in every if v is not None]
        valueless = [c for v, c in every if v is None]
        # By the bare value first (one type: Python's fast compare), so the sort by the whole
        # place that SortedList makes meets nearly sorted runs (ties only).
        valued.sort(key=itemgetter(0))
        self._valued: SortedList[Valued] = SortedList(valued)
        self._valueless: SortedList[ConvId] = SortedList(valueless)

    def subset(self, keep: Callable[[ConvId], bool]) -> ColumnOrder:
        """The rows `keep` keeps, in this order (nothing sorted again): O(n)."""
        subset = ColumnOrder()
        subset._valued = SortedList([place for place in self._valued if keep(place[1])])
        subset._valueless = SortedList([conv_id for conv_id in self._valueless if keep(conv_id)])
        return subset

    def __len__(self) -> int:
        return len(self._valued) + len(self._valueless)

    def __contains__(self, place: Place) -> bool:
        value, conv_id = place
        return conv_id in self._valueless if value is None else (value, conv_id) in self._valued

    def add(self, place: Place) -> None:
        value, conv_id = place
        if value is None:
            self._valueless.add(conv_id)
        else:
            self._valued.add((value, conv_id))

    def discard(self, place: Place) -> None:
        value, conv_id = place
        if value is None:
            self._valueless.discard(conv_id)
        else:
            self._valued.discard((value, conv_id))

    def at(self, index: int, *, reverse: bool) -> ConvId:
        """The row at `index` (0 <= index < len), top to bottom."""
        valued = len(self._valued)
        if index < valued:
            return self._valued[valued - 1 - index if reverse else index][1]
        index -= valued
        return self._valueless[len(self._valueless) - 1 - index if reverse else index]

    def position(self, place: Place, *, reverse: bool) -> int | None:
        """Where the row is, top to bottom (None: not here)."""
        if place not in self:
            return None
        value, conv_id = place
        if value is not None:
            at: int = self._valued.index((value, conv_id))
            return len(self._valued) - 1 - at if reverse else at
        at = self._valueless.index(conv_id)
        return len(self._valued) + (len(self._valueless) - 1 - at if reverse else at)

    def ids(self, *, reverse: bool) -> Iterator[ConvId]:
        """Top to bottom."""
        if reverse:
            yield from (conv_id for _, conv_id in reversed(self._valued))
            yield from reversed(self._valueless)
        else:
            yield from (conv_id for _, conv_id in self._valued)
            yield from self._valueless
