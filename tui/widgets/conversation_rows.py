"""The conversation table's data: every watched conversation, and the filtered sorted order.

Each feed change costs O(log n): every row's sort key is kept, all keys are kept sorted
(`_all`, a `SortedList`), and the order shown (`ShownOrder`) is that same list while nothing
is filtered, or a sorted list of the matching keys. The filter's words are split once per
query; a query that only grows (typing on) tests just the rows it showed, any other change of
filter walks `_all` in order, so nothing is sorted again. Only a new sort column re-keys and
re-sorts every row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import count

from sortedcontainers import SortedList

from engine.core.model import AgentId, ConvId
from engine.core.views import ConversationView
from tui.widgets.columns import DEFAULT_SORT, SortValue, by_key, state_label
from tui.widgets.shown_order import ShownOrder, SortKey


@dataclass(slots=True)
class Row:
    view: ConversationView
    version: int
    """Unique among all rows ever made, and new whenever anything shown changes: a row that
    leaves and comes back never meets the painted strips of its earlier life."""
    haystack: str
    """Lower-case text the filter searches: conversation, agent (name and id), skill, states.
    Made when the row changes, so a keystroke only tests `in` on each row."""
    gone: bool = False
    """No longer watched, kept in place (dimmed, "left") because the table is frozen."""
    key: SortKey | None = None
    """Its sort key while it is in `_all` (by the table's sort column)."""


def _haystack(view: ConversationView) -> str:
    agent = (view.agent or "", view.agent_name or "")
    parts = (view.conv_id, *agent, view.skill or "", state_label(view.agent_state))
    return " ".join((*parts, str(view.status))).lower()


class ConversationRows:
    """Rows by conversation id plus `order`, the ids shown (filtered, then sorted).

    While `frozen`, a batch changes rows in place: nothing moves, a gone row stays (marked
    `gone`), a row that stops matching the filter stays, new rows go at the end.
    """

    def __init__(self) -> None:
        self._rows: dict[ConvId, Row] = {}
        self._all: SortedList[SortKey] = SortedList()
        """Every row's key (gone rows too, while frozen), ascending."""
        self._gone: set[ConvId] = set()
        self._versions = count()
        self.sort_column = DEFAULT_SORT
        self.reverse = False
        self.query = ""
        self._terms: tuple[str, ...] = ()
        self.only: frozenset[ConvId] | None = None
        """The ids a figure of the data bar counts, when the table shows only those."""
        self.agent: AgentId | None = None
        """The agent chosen in the agents view, when the table shows only theirs."""
        self.order = ShownOrder(self._key_of, self._all)

    def __len__(self) -> int:
        """Conversations watched (a gone row kept by the freeze is not one)."""
        return len(self._rows) - len(self._gone)

    def __getitem__(self, conv_id: ConvId) -> Row:
        return self._rows[conv_id]

    @property
    def frozen(self) -> bool:
        return self.order.frozen

    def left_shown(self) -> int:
        """Gone rows the freeze keeps on screen."""
        return sum(1 for c in self._gone if c in self.order)

    def views(self) -> Iterator[ConversationView]:
        return (row.view for row in self._rows.values() if not row.gone)

    def position(self, conv_id: ConvId | None) -> int | None:
        """Where `conv_id` is in `order`, or None when it is not shown: O(log n)."""
        return self.order.position(conv_id) if conv_id is not None else None

    def load(self, views: Iterable[ConversationView]) -> None:
        self._rows = {v.conv_id: self._row(v) for v in views}
        self._gone.clear()
        self._rekey()

    def update(self, changes: Mapping[ConvId, ConversationView | None]) -> None:
        """Apply a batch (None: no longer watched): O(log n) per changed row."""
        frozen, shared = self.frozen, self.order.backing is self._all
        for conv_id, view in changes.items():
            row = self._rows.get(conv_id)
            if view is None:
                if row is None or row.gone:
                    continue
                if frozen:
                    row.gone, row.version = True, next(self._versions)
                    self._gone.add(conv_id)
                    continue
                self._place(conv_id, None, shared)
                del self._rows[conv_id]
                continue
            if row is None or row.gone:
                fresh = self._row(view)
                if row is not None:
                    fresh.key = row.key  # still in `_all`: `_place` moves it
                self._rows[conv_id] = fresh
                self._gone.discard(conv_id)
            elif row.view != view:
                row.view, row.version = view, next(self._versions)
                row.haystack = _haystack(view)
            else:
                continue
            self._place(conv_id, self._key(view), shared)

    def set_frozen(self, frozen: bool) -> None:
        """Freeze in place; or thaw: gone rows leave, the rest take their places."""
        if frozen == self.frozen:
            return
        if frozen:
            self.order.freeze()
            return
        for conv_id in self._gone:
            row = self._rows.pop(conv_id)
            if row.key is not None:
                self._all.discard(row.key)
        self._gone.clear()
        self._show(thaw=True)

    def set_sort(self, column: str, reverse: bool) -> None:
        """A new column re-keys and re-sorts every row; the same column reversed moves only
        the rows without a value (they stay last either way)."""
        if column == self.sort_column:
            self.reverse = reverse
            self._rekey(valueless_only=True)
        else:
            self.sort_column, self.reverse = column, reverse
            self._rekey()

    def set_query(self, query: str) -> None:
        narrower = query.lower().startswith(self.query.lower()) and self.query != ""
        self.query = query
        self._terms = tuple(query.lower().split())
        if narrower and not self.frozen and self.order.backing is not self._all:
            self._show(self.order.keys())
        else:
            self._show()

    def set_only(self, only: frozenset[ConvId] | None) -> None:
        """Show only `only` (None: every row); costs O(len(only) log) when set."""
        self.only = only
        if only is None:
            self._show()
        else:
            self._show(sorted(key for c in only if (key := self._key_of(c)) is not None))

    def set_agent(self, agent: AgentId | None) -> None:
        """Show only `agent`'s conversations (None: everyone's)."""
        self.agent = agent
        self._show()

    # ------------------------------------------------------------------ internals

    def _filtering(self) -> bool:
        return self.only is not None or self.agent is not None or bool(self._terms)

    def _show(self, keys: Iterable[SortKey] | None = None, *, thaw: bool = False) -> None:
        """Show the rows of `keys` (ascending; None: every row) that match. A frozen table
        keeps its frozen order, filtered anew (`thaw`: not frozen any more)."""
        frozen = self.frozen and not thaw
        if not self._filtering():
            shown: SortedList[SortKey] | list[SortKey] = self._all
        else:
            source = self._all if keys is None else keys
            shown = SortedList([k for k in source if self._matches(k[2])])
        self.order = ShownOrder(self._key_of, shown, reverse=self.reverse)
        if frozen:
            self.order.freeze()

    def _place(self, conv_id: ConvId, key: SortKey | None, shared: bool) -> None:
        """The row's key is now `key` (None: the row goes): `_all` and the order follow."""
        row = self._rows[conv_id]
        old, row.key = row.key, None
        frozen = self.frozen
        if old is not None:
            self._all.discard(old)
            if not shared and not frozen:
                self.order.discard(old)
        if key is None:
            return
        row.key = key
        self._all.add(key)
        if (not shared or frozen) and self._matches(conv_id):
            self.order.add(key)

    def _row(self, view: ConversationView) -> Row:
        return Row(view, next(self._versions), _haystack(view))

    def _matches(self, conv_id: ConvId) -> bool:
        if self.only is not None and conv_id not in self.only:
            return False
        row = self._rows[conv_id]
        if self.agent is not None and row.view.agent != self.agent:
            return False
        haystack = row.haystack
        return all(term in haystack for term in self._terms)

    def _key(self, view: ConversationView) -> SortKey:
        value = by_key(self.sort_column).sort_key(view)
        if value is None:
            return (-1 if self.reverse else 1, "", view.conv_id)
        return (0, value, view.conv_id)

    def _key_of(self, conv_id: ConvId) -> SortKey | None:
        row = self._rows.get(conv_id)
        return row.key if row is not None else None

    def _rekey(self, *, valueless_only: bool = False) -> None:
        """Keys again (in place: the order reads them by id), then the order."""
        flag = -1 if self.reverse else 1
        if valueless_only:
            for row in self._rows.values():
                if row.key is not None and row.key[0]:
                    row.key = (flag, "", row.key[2])
            # In the old order: only the rows without a value move (two runs to merge).
            self._all = SortedList(self._rows[old[2]].key or old for old in self._all)
        else:
            sort_value = by_key(self.sort_column).sort_key  # once, not once per row
            valued: list[SortKey] = []
            valueless: list[SortKey] = []
            for conv_id, row in self._rows.items():
                value = sort_value(row.view)
                if value is None:
                    row.key = (flag, "", conv_id)
                    valueless.append(row.key)
                else:
                    row.key = (0, value, conv_id)
                    valued.append(row.key)
            # By the bare value first (one type: Python's fast compare), so the sort by
            # whole key that SortedList makes meets nearly sorted runs (ties only).
            valued.sort(key=_value)
            self._all = SortedList(valued + valueless)
        self._show()


def _value(key: SortKey) -> SortValue:
    return key[1]
