"""The conversation table's order: the rows shown, top to bottom, kept sorted as they change.

Rows are kept by sort key in a `SortedList` (ascending); a reversed sort reads it from the
end. Adding, removing and finding a row cost O(log n), the row at a place O(log n). While the
table is frozen the order is a plain list instead (nothing moves; new rows go at the end),
with a position map beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import overload

from sortedcontainers import SortedList

from engine.core.model import ConvId
from tui.widgets.columns import SortValue

SortKey = tuple[int, SortValue, ConvId]
"""(0 with a value, or ±1 without one so it sorts last either way; the value; the id)."""


class ShownOrder(Sequence[ConvId]):
    """`key_of` gives a row's current sort key by id (None: no such row)."""

    def __init__(
        self,
        key_of: Callable[[ConvId], SortKey | None],
        keys: SortedList[SortKey] | Iterable[SortKey] = (),
        *,
        reverse: bool = False,
    ) -> None:
        """`keys` as a `SortedList` is used as it is (shared, not copied)."""
        self._key_of = key_of
        self._sorted: SortedList[SortKey]
        self._sorted = keys if isinstance(keys, SortedList) else SortedList(keys)
        self.reverse = reverse
        self._frozen: list[ConvId] | None = None
        self._frozen_at: dict[ConvId, int] = {}

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        return len(self._frozen) if self._frozen is not None else len(self._sorted)

    @overload
    def __getitem__(self, index: int) -> ConvId: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[ConvId]: ...

    def __getitem__(self, index: int | slice) -> ConvId | Sequence[ConvId]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if self._frozen is not None:
            return self._frozen[index]
        size = len(self._sorted)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(index)
        return self._sorted[size - 1 - index if self.reverse else index][2]

    def __iter__(self) -> Iterator[ConvId]:
        if self._frozen is not None:
            return iter(self._frozen)
        keys = reversed(self._sorted) if self.reverse else iter(self._sorted)
        return (key[2] for key in keys)

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same ids in the same order (a list, say)."""
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def keys(self) -> Iterator[SortKey]:
        """The sort keys shown, in ascending key order (not frozen)."""
        return iter(self._sorted)

    def position(self, conv_id: ConvId) -> int | None:
        """Where the row is shown, or None: O(log n)."""
        if self._frozen is not None:
            return self._frozen_at.get(conv_id)
        key = self._key_of(conv_id)
        if key is None or key not in self._sorted:
            return None
        at: int = self._sorted.index(key)
        return len(self._sorted) - 1 - at if self.reverse else at

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
    def backing(self) -> SortedList[SortKey]:
        """The sorted keys this order reads (maybe shared with its owner)."""
        return self._sorted

    # ------------------------------------------------------------------ changes

    def add(self, key: SortKey) -> None:
        if self._frozen is not None:
            if key[2] not in self._frozen_at:
                self._frozen_at[key[2]] = len(self._frozen)
                self._frozen.append(key[2])
            return
        self._sorted.add(key)

    def discard(self, key: SortKey) -> None:
        """Not while frozen (a frozen order keeps its rows)."""
        self._sorted.discard(key)

    def freeze(self) -> None:
        """From now on nothing moves: the order as it stands, and new rows at the end."""
        self._frozen = list(self)
        self._frozen_at = {conv_id: at for at, conv_id in enumerate(self._frozen)}
