"""The event log: audit events as the service reports them, newest at the bottom; focused, a
cursor picks one and Enter shows it whole."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from engine.core.audit import ENGINE, AuditEvent, AuditType
from tui.clock import wall_time
from tui.identity import Names, labeled
from tui.text import safe

MAX_LINES = 1000
MAX_PER_BATCH = 200
KIND = {
    AuditType.UNASSIGN_CONFIRMED: "good",
    AuditType.FEED_FRESH: "good",
    AuditType.UNASSIGN_FAILED: "bad",
    AuditType.FEED_STALE: "bad",
    AuditType.UNASSIGN_DECIDED: "unassign",
    AuditType.UNASSIGN_SENT: "unassign",
    AuditType.UNASSIGN_RACED: "unassign",
    AuditType.OVERRIDE_UNASSIGN_NOW: "unassign",
}


class EventLog(ScrollView, can_focus=True, inherit_bindings=False):
    """One line per audit event: time, type, conversation, agent, reason, who, why.

    Lines are kept whole (`Text`, every field from outside cleaned and capped) and cut to the
    width at paint time with an ellipsis, so a resize cuts them anew. While the view is at the
    bottom it follows the newest line, through new lines and resizes alike; scrolled up, it
    stays put until scrolled back down. The cursor (drawn while focused) stays on its event as
    new ones arrive; on the newest line, it follows.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False, id="events-up"),
        Binding("down", "move(1)", "Down", show=False, id="events-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="events-page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="events-page-down"),
        Binding("home", "move(-1000000)", "First event", show=False, id="events-first"),
        Binding("end", "move(1000000)", "Newest event", show=False, id="events-last"),
        Binding("enter", "choose", "Show whole", id="events-choose",
                tooltip="Show the selected event whole, every field"),
    ]  # fmt: skip
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "event-log--cursor",
        "event-log--time",
        "event-log--good",
        "event-log--bad",
        "event-log--unassign",
        "event-log--override",
    }
    DEFAULT_CSS = """
    EventLog {
        &:focus > .event-log--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & > .event-log--time { color: $text-muted; }
        & > .event-log--good { color: $text-success; }
        & > .event-log--bad { color: $text-error; text-style: bold; }
        & > .event-log--unassign { color: $text-warning; }
        & > .event-log--override { color: $text-accent; }
    }
    """

    @dataclass
    class Chosen(Message):
        """Enter on an event: show it whole."""

        event: AuditEvent

    def __init__(self, *, names: Names, id: str | None = None) -> None:
        super().__init__(id=id)
        self._names = names
        """Agents' names as of each event: its line shows `Dev (a04)`."""
        self._lines: deque[Text] = deque(maxlen=MAX_LINES)
        self._events: deque[AuditEvent | None] = deque(maxlen=MAX_LINES)
        """The event of each line (None: the line that counts a flood's skipped events)."""
        self._cursor = -1
        """The absolute number of the line under the cursor (-1: the newest, following)."""
        self._dropped = 0
        """Lines dropped from the top so far: a line's cache key is its absolute number."""
        self._strips: LRUCache[tuple[int, int], Strip] = LRUCache(1024)
        self._follow = True

    @property
    def lines(self) -> list[str]:
        """Every line kept, whole, as plain text."""
        return [line.plain for line in self._lines]

    @property
    def cursor(self) -> AuditEvent | None:
        """The event under the cursor."""
        index = self._cursor_index()
        return self._events[index] if index is not None else None

    def add(self, events: Sequence[AuditEvent]) -> None:
        """Write a batch; a flood is cut to its newest `MAX_PER_BATCH` events."""
        if len(events) > MAX_PER_BATCH:
            skipped = len(events) - MAX_PER_BATCH
            self._append(Text(f"… {skipped} earlier events (see the audit log)", "italic"), None)
            events = events[-MAX_PER_BATCH:]
        for event in events:
            self._append(self._line(event), event)
        self._resized()

    def _append(self, line: Text, event: AuditEvent | None) -> None:
        if len(self._lines) == MAX_LINES:
            self._dropped += 1
        self._lines.append(line)
        self._events.append(event)

    # ------------------------------------------------------------------ the cursor

    def action_move(self, delta: int) -> None:
        index = self._cursor_index()
        if index is None:
            return
        last = len(self._lines) - 1
        index = max(0, min(last, index + delta))
        self._cursor = -1 if index == last else index + self._dropped
        self._show_line(index)
        self.refresh()

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height - 1))

    def action_choose(self) -> None:
        event = self.cursor
        if event is not None:
            self.post_message(self.Chosen(event))

    def _cursor_index(self) -> int | None:
        if not self._lines:
            return None
        if self._cursor < 0:
            return len(self._lines) - 1
        return max(0, self._cursor - self._dropped)

    def _show_line(self, index: int) -> None:
        top, height = self.scroll_offset.y, max(1, self.scrollable_content_region.height)
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False, immediate=True)

    def _line(self, event: AuditEvent) -> Text:
        kind = KIND.get(event.type, "override")
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(wall_time(event.at), self._style("time"))
        line.append(f" {event.type:<21}", self._style(kind))
        if event.conv is not None:
            line.append(f" {safe(event.conv)}")
        if event.agent is not None:
            line.append(f" {safe(labeled(event.agent, self._names))}")
        if event.reason is not None:
            line.append(f" {safe(event.reason)}")
        if event.by != ENGINE:
            line.append(f" by {safe(event.by)}")
        if event.detail:
            line.append(f" ({safe(event.detail)})", self._style("time"))
        return line

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"event-log--{name}", partial=True)

    # ------------------------------------------------------------------ painting

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        if index >= len(self._lines) or width <= 0:
            return Strip.blank(width, self.rich_style)
        if self.has_focus and index == self._cursor_index():
            return self._cut(self._lines[index], width, self.rich_style + self._style("cursor"))
        key = (index + self._dropped, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._cut(self._lines[index], width, self.rich_style)
        return strip

    def _cut(self, line: Text, width: int, base: Style) -> Strip:
        """The line cut to `width` cells, ending with "…" when it was longer."""
        shown = line.copy()
        shown.truncate(width, overflow="ellipsis", pad=True)
        segments = [
            Segment(s.text, base + s.style if s.style else base)
            for s in shown.render(self.app.console)
            if s.text != "\n"
        ]
        return Strip(segments).crop_extend(0, width, base)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._resized()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _resized(self) -> None:
        """New lines or a new size: the virtual size again, and the newest line if following."""
        self.virtual_size = Size(0, len(self._lines))
        if self._follow:
            self.call_after_refresh(self.scroll_end, animate=False, immediate=True)
        self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._follow = new_value >= self.max_scroll_y
