"""The conversation table: every watched conversation, least time left first (Line API)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from engine.core.model import AgentId, ConvId
from engine.core.ports import Clock
from engine.core.views import ConversationView
from tui.widgets.columns import COLUMN_KEYS
from tui.widgets.conversation_rows import ConversationRows
from tui.widgets.row_painter import RowPainter

EMPTY = "No conversation is waiting for an agent's answer."
FIRST_SNAPSHOT = "Waiting for the first snapshot of the floor: nothing is known yet."
NOT_CONNECTED = "Not connected: which conversations are waiting is not known."
STALE = "The feed is stale: which conversations are waiting is not known right now."


class ConversationTable(ScrollView, can_focus=True, inherit_bindings=False):
    """Paints only the visible rows: a cached static strip per row joined with its live cells."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False, id="cursor-up"),
        Binding("down", "move(1)", "Down", show=False, id="cursor-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="page-down"),
        Binding("home", "first", "First row", show=False, id="first-row"),
        Binding("end", "last", "Last row", show=False, id="last-row"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "conversation-table--cursor",
        "conversation-table--empty",
        "conversation-table--held",
        "conversation-table--left",
        "conversation-table--failed",
        "conversation-table--plenty",
        "conversation-table--half",
        "conversation-table--soon",
        "conversation-table--overdue",
    }
    DEFAULT_CSS = """
    ConversationTable {
        overflow-x: hidden;
        scrollbar-gutter: stable;
        & > .conversation-table--cursor { background: $block-cursor-blurred-background; }
        &:focus > .conversation-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & > .conversation-table--empty { color: $text-muted; text-style: italic; }
        & > .conversation-table--held { color: $text-disabled; text-style: dim; }
        & > .conversation-table--left { color: $text-disabled; text-style: dim italic; }
        & > .conversation-table--failed { color: $text-error; text-style: bold; }
        & > .conversation-table--plenty { color: $text-success; }
        & > .conversation-table--half { color: $text-warning; }
        & > .conversation-table--soon { color: $text-error; text-style: bold; }
        & > .conversation-table--overdue {
            color: $text-error; background: $error-muted; text-style: bold;
        }
    }
    """

    @dataclass
    class CursorMoved(Message):
        """The selected conversation changed (None: nothing is shown)."""

        conv_id: ConvId | None

    @dataclass
    class RowLeft(Message):
        """The selected conversation left the table (`gone`: no longer watched; else it no
        longer matches the filter). Unless frozen, the cursor stayed at its place on screen."""

        conv_id: ConvId
        gone: bool

    @dataclass
    class SortChanged(Message):
        column: str
        reverse: bool

    def __init__(self, clock: Clock, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self._clock = clock
        self._rows = ConversationRows()
        self._cursor: ConvId | None = None
        self._painter = RowPainter(self._component)
        self.empty_text = EMPTY
        """What an empty table says when no filter hides rows (the feed decides it)."""

    # ------------------------------------------------------------------ what it shows

    @property
    def cursor(self) -> ConversationView | None:
        """The selected conversation."""
        return self._rows[self._cursor].view if self._cursor is not None else None

    @property
    def cursor_gone(self) -> bool:
        """The selected row is kept by the freeze, though its conversation is gone."""
        return self._cursor is not None and self._rows[self._cursor].gone

    @property
    def frozen(self) -> bool:
        return self._rows.frozen

    @property
    def shown(self) -> int:
        """Conversations shown (not counting rows the freeze keeps after they left)."""
        return len(self._rows.order) - self.left

    @property
    def left(self) -> int:
        """Rows shown though their conversation left, kept by the freeze."""
        return self._rows.left_shown()

    @property
    def total(self) -> int:
        return len(self._rows)

    @property
    def order(self) -> Sequence[ConvId]:
        """The ids shown, top to bottom."""
        return self._rows.order

    @property
    def sort(self) -> tuple[str, bool]:
        return self._rows.sort_column, self._rows.reverse

    @property
    def filter_text(self) -> str:
        """The filter's text in force."""
        return self._rows.query

    def views(self) -> Iterator[ConversationView]:
        """Every watched conversation, shown or filtered out."""
        return self._rows.views()

    # ------------------------------------------------------------------ what it is told

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh)

    def load(self, views: Iterator[ConversationView]) -> None:
        self._rows.load(views)
        self._reordered(None, follow=True)

    def apply(self, changes: Mapping[ConvId, ConversationView | None]) -> None:
        """One batch of feed changes: one re-sort and one repaint."""
        if not changes:
            return
        cursor, before = self._cursor, self._rows.position(self._cursor)
        self._rows.update(changes)
        self._reordered(before)
        if cursor is not None and cursor in changes:
            left = self._rows.position(cursor) is None
            if changes[cursor] is None or left:
                self.post_message(self.RowLeft(cursor, gone=changes[cursor] is None))

    def freeze(self, frozen: bool) -> None:
        """Pause re-sorting and row removal (rows still change in place), or resume them."""
        before = self._rows.position(self._cursor)
        self._rows.set_frozen(frozen)
        self._reordered(before)

    def sort_by(self, column: str, reverse: bool = False) -> None:
        self._rows.set_sort(column, reverse)
        self._reordered(None, follow=True)
        self.post_message(self.SortChanged(column, reverse))

    def cycle_sort(self) -> None:
        """Sort by the next column."""
        column, _ = self.sort
        self.sort_by(COLUMN_KEYS[(COLUMN_KEYS.index(column) + 1) % len(COLUMN_KEYS)])

    def reverse_sort(self) -> None:
        column, reverse = self.sort
        self.sort_by(column, not reverse)

    def say_when_empty(self, text: str) -> None:
        """What an empty table says (unless a filter hides its rows)."""
        if text != self.empty_text:
            self.empty_text = text
            self.refresh()

    @property
    def only(self) -> frozenset[ConvId] | None:
        return self._rows.only

    def show_only(self, only: frozenset[ConvId] | None) -> None:
        """Show only these conversations (a figure of the data bar), or every one again."""
        if only == self._rows.only:
            return
        before = self._rows.position(self._cursor)
        self._rows.set_only(only)
        self._reordered(before, follow=True)

    def show_agent(self, agent: AgentId | None) -> None:
        """Show only the agent's conversations (the agents view's Enter), or everyone's."""
        before = self._rows.position(self._cursor)
        self._rows.set_agent(agent)
        self._reordered(before, follow=True)

    def filter(self, query: str) -> None:
        """Show only rows whose conversation, agent, skill or state contain every word."""
        before = self._rows.position(self._cursor)
        self._rows.set_query(query)
        self._reordered(before, follow=True)

    def select(self, conv_id: ConvId | None) -> None:
        """Put the cursor on `conv_id` and scroll it into view."""
        old = self._rows.position(self._cursor)
        changed = conv_id != self._cursor
        self._cursor = conv_id
        if old is not None:
            self.refresh_line(old)
        self._scroll_to_cursor()
        if changed:
            self.post_message(self.CursorMoved(conv_id))

    # ------------------------------------------------------------------ keys and mouse

    def action_move(self, delta: int) -> None:
        order = self._rows.order
        if order:
            at = self._rows.position(self._cursor)
            self.select(order[max(0, min(len(order) - 1, (at or 0) + delta))])

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height - 1))

    def action_first(self) -> None:
        self.action_move(-len(self._rows.order))

    def action_last(self) -> None:
        self.action_move(len(self._rows.order))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and offset.y + self.scroll_offset.y < len(self._rows.order):
            self.select(self._rows.order[offset.y + self.scroll_offset.y])

    # ------------------------------------------------------------------ painting

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._painter.forget()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        order = self._rows.order
        if index >= len(order):
            return self._empty(width) if index == 0 else Strip.blank(width, self.rich_style)
        conv_id = order[index]
        selected = conv_id == self._cursor
        return self._painter.line(
            self._rows[conv_id], width, selected, self._clock.now(), self.rich_style
        )

    def _empty(self, width: int) -> Strip:
        """The first line of an empty table says why it is empty."""
        text = "No conversation matches the filter." if self.total else self.empty_text
        style = self.rich_style + self._component("empty")
        return Strip([Segment(f" {text}", style)]).crop_extend(0, width, self.rich_style)

    def _component(self, suffix: str) -> Style:
        return self.get_component_rich_style(f"conversation-table--{suffix}", partial=True)

    # ------------------------------------------------------------------ internals

    def _reordered(self, before: int | None, *, follow: bool = False) -> None:
        """After the order changed: keep the cursor (by id, else by place) and repaint once."""
        order = self._rows.order
        self.virtual_size = Size(0, len(order))
        if self._rows.position(self._cursor) is None:
            self.select(order[min(before or 0, len(order) - 1)] if order else None)
        elif follow:
            self._scroll_to_cursor()
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        at = self._rows.position(self._cursor)
        if at is None:
            return
        top, height = self.scroll_offset.y, max(1, self.size.height)
        if at < top:
            self.scroll_to(y=at, animate=False)
        elif at >= top + height:
            self.scroll_to(y=at - height + 1, animate=False)
        self.refresh_line(at)
