"""The conversation table's data: every watched conversation, and the filtered sorted order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import count

from engine.core.model import AgentId, ConvId
from engine.core.views import ConversationView
from tui.widgets.columns import DEFAULT_SORT, SortValue, by_key, state_label

SortKey = tuple[int, SortValue, ConvId]
"""(0 with a value, or ±1 without one so it sorts last either way; the value; the id)."""


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

    Each row's sort key is kept, so a batch re-sorts a list that is already nearly in order.
    While `frozen`, a batch changes rows in place: nothing moves, a gone row stays (marked
    `gone`), a row that stops matching the filter stays, new rows go at the end.
    """

    def __init__(self) -> None:
        self._rows: dict[ConvId, Row] = {}
        self._keys: dict[ConvId, SortKey] = {}
        self._gone: set[ConvId] = set()
        self._versions = count()
        self.order: list[ConvId] = []
        self.sort_column = DEFAULT_SORT
        self.reverse = False
        self.query = ""
        self.only: frozenset[ConvId] | None = None
        """The ids a figure of the data bar counts, when the table shows only those."""
        self.agent: AgentId | None = None
        """The agent chosen in the agents view, when the table shows only theirs."""
        self.frozen = False

    def __len__(self) -> int:
        """Conversations watched (a gone row kept by the freeze is not one)."""
        return len(self._rows) - len(self._gone)

    def __getitem__(self, conv_id: ConvId) -> Row:
        return self._rows[conv_id]

    def left_shown(self) -> int:
        """Gone rows the freeze keeps on screen."""
        return len(self._gone.intersection(self.order)) if self._gone else 0

    def views(self) -> Iterator[ConversationView]:
        return (row.view for row in self._rows.values() if not row.gone)

    def position(self, conv_id: ConvId | None) -> int | None:
        """Where `conv_id` is in `order`, or None when it is not shown."""
        if conv_id is None or conv_id not in self._rows:
            return None
        try:
            return self.order.index(conv_id)
        except ValueError:
            return None

    def load(self, views: Iterable[ConversationView]) -> None:
        self._rows = {v.conv_id: self._row(v) for v in views}
        self._gone.clear()
        self._rekey()
        self._sort([c for c in self._rows if self._matches(c)])

    def update(self, changes: Mapping[ConvId, ConversationView | None]) -> None:
        """Apply a batch (None: no longer watched), then filter and sort once."""
        touched: list[ConvId] = []
        for conv_id, view in changes.items():
            row = self._rows.get(conv_id)
            if view is None:
                if row is None or row.gone:
                    continue
                if self.frozen:
                    row.gone, row.version = True, next(self._versions)
                    self._gone.add(conv_id)
                else:
                    del self._rows[conv_id], self._keys[conv_id]
                    touched.append(conv_id)
                continue
            if row is None or row.gone:
                self._rows[conv_id] = self._row(view)
                self._gone.discard(conv_id)
            elif row.view != view:
                row.view, row.version = view, next(self._versions)
                row.haystack = _haystack(view)
            else:
                continue
            self._keys[conv_id] = self._key(view)
            touched.append(conv_id)
        if not touched:
            return
        if self.frozen:
            shown = set(self.order)
            self.order += [c for c in touched if c not in shown and self._matches(c)]
            return
        gone = set(touched)
        kept = [c for c in self.order if c not in gone]
        self._sort(kept + [c for c in touched if c in self._rows and self._matches(c)])

    def set_frozen(self, frozen: bool) -> None:
        """Freeze in place; or thaw: gone rows leave, then filter and sort once."""
        self.frozen = frozen
        if frozen:
            return
        for conv_id in self._gone:
            del self._rows[conv_id], self._keys[conv_id]
        self._gone.clear()
        self._sort([c for c in self._rows if self._matches(c)])

    def set_sort(self, column: str, reverse: bool) -> None:
        self.sort_column, self.reverse = column, reverse
        self._rekey()
        self._sort(self.order)

    def set_query(self, query: str) -> None:
        self.query = query
        self._sort([c for c in self._rows if self._matches(c)])

    def set_only(self, only: frozenset[ConvId] | None) -> None:
        """Show only `only` (None: every row); costs O(len(only) log) when set."""
        self.only = only
        ids = self._rows if only is None else (c for c in only if c in self._rows)
        self._sort([c for c in ids if self._matches(c)])

    def set_agent(self, agent: AgentId | None) -> None:
        """Show only `agent`'s conversations (None: everyone's)."""
        self.agent = agent
        self._sort([c for c in self._rows if self._matches(c)])

    def _row(self, view: ConversationView) -> Row:
        return Row(view, next(self._versions), _haystack(view))

    def _matches(self, conv_id: ConvId) -> bool:
        if self.only is not None and conv_id not in self.only:
            return False
        row = self._rows[conv_id]
        if self.agent is not None and row.view.agent != self.agent:
            return False
        haystack = row.haystack
        return all(term in haystack for term in self.query.lower().split())

    def _key(self, view: ConversationView) -> SortKey:
        value = by_key(self.sort_column).sort_key(view)
        if value is None:
            return (-1 if self.reverse else 1, "", view.conv_id)
        return (0, value, view.conv_id)

    def _rekey(self) -> None:
        self._keys = {conv_id: self._key(row.view) for conv_id, row in self._rows.items()}

    def _sort(self, ids: list[ConvId]) -> None:
        ids.sort(key=self._keys.__getitem__, reverse=self.reverse)
        self.order = ids
