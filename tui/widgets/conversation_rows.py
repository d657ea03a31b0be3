"""The conversation table's data: every watched conversation, and the filtered sorted order.

Each feed change costs O(log n) per order kept: the rows' order by the sort column is kept
(a `ColumnOrder`), and so are the orders by the last few columns sorted by (`KEPT_ORDERS`),
so going back to one of them, or reversing, moves nothing. The order shown (`ShownOrder`) is
the sort column's order itself while nothing is filtered, or an order of the matching rows.
The filter's words are split once per query; a query that only grows (typing on) tests just
the rows it showed, any other change of filter walks the sort column's order, so nothing is
sorted again. Only a column not kept sorts every row (once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import count

from engine.core.model import AgentId, ConvId
from engine.core.views import ConversationView
from tui.widgets.column_order import ColumnOrder, Place
from tui.widgets.columns import COLUMNS, DEFAULT_SORT, SortValue, state_label
from tui.widgets.shown_order import ShownOrder

KEPT_ORDERS = 2
"""Orders kept up to date: the sort column's and those of the columns sorted by just before
it. Each costs about 80 B per row and O(log n) per changed row."""
SORT_VALUE: dict[str, Callable[[ConversationView], SortValue | None]] = {
    column.key: column.sort_key for column in COLUMNS
}


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
        self._orders: dict[str, ColumnOrder] = {DEFAULT_SORT: ColumnOrder()}
        """Every row's place (gone rows too, while frozen) by each column kept, the one
        sorted by longest ago first: the sort column's is the last."""
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
        self.order = ShownOrder(self._place_of, self._sorted, reverse=False)

    def __len__(self) -> int:
        """Conversations watched (a gone row kept by the freeze is not one)."""
        return len(self._rows) - len(self._gone)

    def __getitem__(self, conv_id: ConvId) -> Row:
        return self._rows[conv_id]

    @property
    def frozen(self) -> bool:
        return self.order.frozen

    @property
    def kept(self) -> tuple[str, ...]:
        """The columns whose orders are kept, the sort column last."""
        return tuple(self._orders)

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
        self._orders = {self.sort_column: self._order_by(self.sort_column)}
        self._show()

    def update(self, changes: Mapping[ConvId, ConversationView | None]) -> None:
        """Apply a batch (None: no longer watched): O(log n) per changed row and order."""
        for conv_id, view in changes.items():
            row = self._rows.get(conv_id)
            if view is None:
                if row is None or row.gone:
                    continue
                if self.frozen:
                    row.gone, row.version = True, next(self._versions)
                    self._gone.add(conv_id)
                    continue
                self._leave(row)
                del self._rows[conv_id]
            elif row is None or row.gone:
                if row is not None:  # back while frozen: its old places go first
                    self._leave(row)
                    self._gone.discard(conv_id)
                self._rows[conv_id] = fresh = self._row(view)
                self._enter(fresh)
            elif row.view != view:
                self._move(row, view)

    def set_frozen(self, frozen: bool) -> None:
        """Freeze in place; or thaw: gone rows leave, the rest take their places."""
        if frozen == self.frozen:
            return
        if frozen:
            self.order.freeze()
            return
        for conv_id in self._gone:
            self._leave(self._rows.pop(conv_id), shown=False)
        self._gone.clear()
        self._show(thaw=True)

    def set_sort(self, column: str, reverse: bool) -> None:
        """Sort by `column`: a column kept, or reversed, moves nothing; any other sorts every
        row once and is kept from then on (the one sorted by longest ago is let go)."""
        order = self._orders.pop(column, None)
        if order is None:
            order = self._order_by(column)
            while len(self._orders) >= KEPT_ORDERS:
                del self._orders[next(iter(self._orders))]
        self._orders[column] = order
        shown = list(self.order) if self._filtering() and not self.frozen else None
        self.sort_column, self.reverse = column, reverse
        if shown is None:
            self._show()
        else:  # the same rows match: only their places by the new column are needed
            self._show([self._place(conv_id, column) for conv_id in shown])

    def set_query(self, query: str) -> None:
        narrower = query.lower().startswith(self.query.lower()) and self.query != ""
        self.query = query
        self._terms = tuple(query.lower().split())
        if narrower and not self.frozen and self.order.backing is not self._sorted:
            self._show(self.order.backing)
        else:
            self._show()

    def set_only(self, only: frozenset[ConvId] | None) -> None:
        """Show only `only` (None: every row); costs O(len(only) log) when set."""
        self.only = only
        if only is None:
            self._show()
        else:
            self._show(
                self._place(c, self.sort_column)
                for c in only
                if c in self._rows and self._matches(c)
            )

    def set_agent(self, agent: AgentId | None) -> None:
        """Show only `agent`'s conversations (None: everyone's)."""
        self.agent = agent
        self._show()

    # ------------------------------------------------------------------ internals

    @property
    def _sorted(self) -> ColumnOrder:
        """Every row's place by the sort column."""
        return self._orders[self.sort_column]

    def _filtering(self) -> bool:
        return self.only is not None or self.agent is not None or bool(self._terms)

    def _show(
        self, rows: ColumnOrder | Iterable[Place] | None = None, *, thaw: bool = False
    ) -> None:
        """Show those of `rows` (None: every row) that match; places given as such are known
        to match. A frozen table keeps its frozen order, filtered anew (`thaw`: not frozen
        any more)."""
        frozen = self.frozen and not thaw
        if not self._filtering():
            shown = self._sorted
        elif rows is None or isinstance(rows, ColumnOrder):
            shown = (rows or self._sorted).subset(self._matcher())
        else:
            shown = ColumnOrder(rows)
        self.order = ShownOrder(self._place_of, shown, reverse=self.reverse)
        if frozen:
            self.order.freeze()

    def _enter(self, row: Row) -> None:
        """A new row takes its places."""
        conv_id = row.view.conv_id
        for column, order in self._orders.items():
            order.add(self._place(conv_id, column, row.view))
        if (self.order.backing is not self._sorted or self.frozen) and self._matches(conv_id):
            self.order.add(self._place(conv_id, self.sort_column, row.view))

    def _leave(self, row: Row, *, shown: bool = True) -> None:
        """A row gives up its places (`shown`: in the order shown too, unless frozen)."""
        conv_id = row.view.conv_id
        for column, order in self._orders.items():
            order.discard(self._place(conv_id, column, row.view))
        if shown and self.order.backing is not self._sorted and not self.frozen:
            self.order.discard(self._place(conv_id, self.sort_column, row.view))

    def _move(self, row: Row, view: ConversationView) -> None:
        """The row's conversation changed: its places follow (only where they moved)."""
        conv_id, filtered = view.conv_id, self.order.backing is not self._sorted
        before = self._place(conv_id, self.sort_column, row.view)
        for column, order in self._orders.items():
            old, new = self._place(conv_id, column, row.view), self._place(conv_id, column, view)
            if old != new:
                order.discard(old)
                order.add(new)
        row.view, row.version = view, next(self._versions)
        row.haystack = _haystack(view)
        if filtered or self.frozen:
            if not self.frozen:
                self.order.discard(before)
            if self._matches(conv_id):
                self.order.add(self._place(conv_id, self.sort_column, view))

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

    def _matcher(self) -> Callable[[ConvId], bool]:
        """`_matches`, made once per filter: a keystroke tests every row it may show."""
        rows, terms = self._rows, self._terms
        if self.only is not None or self.agent is not None:
            return self._matches
        if len(terms) == 1:
            (term,) = terms
            return lambda conv_id: term in rows[conv_id].haystack
        return lambda conv_id: all(term in rows[conv_id].haystack for term in terms)

    def _place(self, conv_id: ConvId, column: str, view: ConversationView | None = None) -> Place:
        """The row's place by `column` (by `view`, else by the row's own)."""
        return SORT_VALUE[column](view or self._rows[conv_id].view), conv_id

    def _place_of(self, conv_id: ConvId) -> Place | None:
        return self._place(conv_id, self.sort_column) if conv_id in self._rows else None

    def _order_by(self, column: str) -> ColumnOrder:
        sort_value = SORT_VALUE[column]  # once, not once per row
        return ColumnOrder((sort_value(row.view), conv_id) for conv_id, row in self._rows.items())
