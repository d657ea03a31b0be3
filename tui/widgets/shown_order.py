"""The conversation table's order: the rows shown, top to bottom, kept sorted as they change.

It reads a `ColumnOrder` (every row's, or the filter's matching rows'), forwards or reversed:
adding, removing and finding a row cost O(log n), the row at a place O(log n). While the
table is frozen the order is a plain list instead (nothing moves; new rows go at the end),
with a position map beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import overload

from engine.core.model import ConvId
from tui.widgets.column_order import ColumnOrder, Place


class ShownOrder(Sequence[ConvId]):
    """`place_of` gives a row's current place by id (None: no such row)."""

    def __init__(
        self, place_of: Callable[[ConvId], Place | None], rows: ColumnOrder, *, reverse: bool
    ) -> None:
        """`rows` is read as it is (shared, not copied)."""
        self._place_of = place_of
        self._rows = rows
        self.reverse = reverse
        self._frozen: list[ConvId] | None = None
        self._frozen_at: dict[ConvId, int] = {}

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        return len(self._frozen) if self._frozen is not None else len(self._rows)

    @overload
    def __getitem__(self, index: int) -> ConvId: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[ConvId]: ...

    def __getitem__(self, index: int | slice) -> ConvId | Sequence[ConvId]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if self._frozen is not None:
            return self._frozen[index]
        size = len(self._rows)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(index)
        return self._rows.at(index, reverse=self.reverse)

    def __iter__(self) -> Iterator[ConvId]:
        if self._frozen is not None:
            return iter(self._frozen)
        return self._rows.ids(reverse=self.reverse)

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same ids in the same order (a list, say)."""
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def position(self, conv_id: ConvId) -> int | None:
        """Where the row is shown, or None: O(log n)."""
        if self._frozen is not None:
            return self._frozen_at.get(conv_id)
        place = self._place_of(conv_id)
        return self._rows.position(place, reverse=self.reverse) if place is not None else None

    def index(self, value: object, start: int = 0, stop: int | None = None) -> int:
        """`Sequence.index` by position, not by a scan."""
        at = self.position(value) if isinstance(value, str) else None
        if at is None or at < start or (stop is not None and at >= stop):
            raise ValueError(f"{value!r} is not shown")
        return at

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and self.position(value) is not None

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    @property
    def backing(self) -> ColumnOrder:
        """The rows this order reads (maybe shared with its owner)."""
        return self._rows

    # ------------------------------------------------------------------ changes

    def add(self, place: Place) -> None:
        if self._frozen is not None:
            if place[1] not in self._frozen_at:
                self._frozen_at[place[1]] = len(self._frozen)
                self._frozen.append(place[1])
            return
        self._rows.add(place)

    def discard(self, place: Place) -> None:
        """Not while frozen (a frozen order keeps its rows)."""
        self._rows.discard(place)

    def freeze(self) -> None:
        """From now on nothing moves: the order as it stands, and new rows at the end."""
        self._frozen = list(self)
        self._frozen_at = {conv_id: at for at, conv_id in enumerate(self._frozen)}
