"""Textual's `DataTable` used as its docs and a competent developer would: the baseline.

The same nine columns and cell text as the conversation table, read from the same read
model. A countdown tick updates the live cells of the visible rows only; a feed batch and a
filter keystroke rebuild the rows with `clear` + one `add_rows` (in the order shown, its row
keys kept to find each row's conversation); `s` cycles the sort column with `DataTable.sort`,
`S` reverses it; the cursor moves through the table's own bindings; `/` focuses a filter
`Input` above it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input
from textual.widgets.data_table import RowKey

from engine.core.model import ConvId
from engine.core.views import ConversationView
from engine.service import FloorService
from tui.widgets.columns import COLUMNS, STATIC_TEXT, live_text

LIVE = tuple(column.key for column in COLUMNS if column.live)
SEARCHED = ("conversation", "agent", "skill", "state")
"""What the conversation table's filter matches (the agent as `name (id)`)."""


def cells(view: ConversationView, now: float) -> tuple[str, ...]:
    return tuple(
        live_text(c.key, view, now) if c.live else STATIC_TEXT[c.key](view) for c in COLUMNS
    )


def _haystack(view: ConversationView) -> str:
    return " ".join(STATIC_TEXT[key](view) for key in SEARCHED).lower()


class FairDataTableApp(App[None]):
    """A `DataTable` of the watched conversations, driven by the same `FloorService`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
        Binding("s", "sort", "Sort"),
        Binding("S", "reverse_sort", "Reverse"),
    ]

    def __init__(self, service: FloorService, now: Callable[[], float]) -> None:
        super().__init__()
        self.service, self.now = service, now
        self.table: DataTable[str] = DataTable(cursor_type="row")
        self.filter_input = Input(placeholder="filter", id="filter")
        self.views: dict[ConvId, ConversationView] = {}
        self.haystacks: dict[ConvId, str] = {}
        self.conv_ids: dict[RowKey, ConvId] = {}
        self.sort_column = 0
        """Index in `COLUMNS`; rows are sorted by that column's cell text."""
        self.reverse = False
        self.filtered_by = ""
        """The filter's text the rows shown were chosen by."""

    def compose(self) -> ComposeResult:
        yield self.filter_input
        yield self.table

    def on_mount(self) -> None:
        read = self.service.read
        read.take_changed()
        for conv_id in read.watched_ids():
            view = read.conversation(conv_id)
            if view is not None:
                self._keep(view)
        for column in COLUMNS:
            self.table.add_column(column.title, width=column.width, key=column.key)
        self.filter_input.display = False
        self._rebuild()
        self.table.focus()
        self.set_interval(1.0, self.tick)

    def _keep(self, view: ConversationView) -> None:
        self.views[view.conv_id] = view
        self.haystacks[view.conv_id] = _haystack(view)

    def _rebuild(self) -> None:
        """`clear` + `add_rows` of the rows the filter lets through, in the sort's order."""
        self.filtered_by = self.filter_input.value
        now, terms = self.now(), self.filtered_by.lower().split()
        shown = [
            view
            for conv_id, view in self.views.items()
            if all(term in self.haystacks[conv_id] for term in terms)
        ]
        rows = sorted(
            ((cells(view, now), view.conv_id) for view in shown),
            key=self._sort_key,
            reverse=self.reverse,
        )
        self.table.clear()
        keys = self.table.add_rows(row for row, _ in rows)
        self.conv_ids = {key: conv_id for key, (_, conv_id) in zip(keys, rows, strict=True)}

    def _sort_key(self, row: tuple[tuple[str, ...], ConvId]) -> str:
        return row[0][self.sort_column]

    @property
    def shown(self) -> int:
        return self.table.row_count

    def tick(self) -> None:
        """The countdown: the live cells of the rows on screen (found by row key: looking
        them up by coordinate would rebuild `ordered_rows` after every update)."""
        table, now = self.table, self.now()
        top = table.scroll_offset.y
        bottom = min(table.row_count, top + table.scrollable_content_region.height)
        keys = [table.coordinate_to_cell_key(Coordinate(row, 0))[0] for row in range(top, bottom)]
        for row_key in keys:
            view = self.views.get(self.conv_ids[row_key])
            if view is None:
                continue
            for key in LIVE:
                table.update_cell(row_key, key, live_text(key, view, now))

    def apply_feed(self) -> None:
        """One batch of feed changes: the views updated, the rows rebuilt once."""
        read = self.service.read
        for conv_id in read.take_changed():
            view = read.conversation(conv_id)
            if view is None:
                self.views.pop(conv_id, None)
                self.haystacks.pop(conv_id, None)
            else:
                self._keep(view)
        self._rebuild()

    def action_filter(self) -> None:
        self.filter_input.display = True
        self.filter_input.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._rebuild()

    def action_sort(self) -> None:
        self.sort_column = (self.sort_column + 1) % len(COLUMNS)
        self.reverse = False
        self.table.sort(COLUMNS[self.sort_column].key)

    def action_reverse_sort(self) -> None:
        self.reverse = not self.reverse
        self.table.sort(COLUMNS[self.sort_column].key, reverse=self.reverse)
