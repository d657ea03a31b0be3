"""The event log: audit events as the service reports them, newest at the bottom."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
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


class EventLog(ScrollView, can_focus=False):
    """One line per audit event: time, type, conversation, agent, reason, who, why.

    Lines are kept whole (`Text`, every field from outside cleaned and capped) and cut to the
    width at paint time with an ellipsis, so a resize cuts them anew. While the view is at the
    bottom it follows the newest line, through new lines and resizes alike; scrolled up, it
    stays put until scrolled back down.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "event-log--time",
        "event-log--good",
        "event-log--bad",
        "event-log--unassign",
        "event-log--override",
    }
    DEFAULT_CSS = """
    EventLog {
        & > .event-log--time { color: $text-muted; }
        & > .event-log--good { color: $text-success; }
        & > .event-log--bad { color: $text-error; text-style: bold; }
        & > .event-log--unassign { color: $text-warning; }
        & > .event-log--override { color: $text-accent; }
    }
    """

    def __init__(self, *, names: Names, id: str | None = None) -> None:
        super().__init__(id=id)
        self._names = names
        """Agents' names as of each event: its line shows `Dev (a04)`."""
        self._lines: deque[Text] = deque(maxlen=MAX_LINES)
        self._dropped = 0
        """Lines dropped from the top so far: a line's cache key is its absolute number."""
        self._strips: LRUCache[tuple[int, int], Strip] = LRUCache(1024)
        self._follow = True

    @property
    def lines(self) -> list[str]:
        """Every line kept, whole, as plain text."""
        return [line.plain for line in self._lines]

    def add(self, events: Sequence[AuditEvent]) -> None:
        """Write a batch; a flood is cut to its newest `MAX_PER_BATCH` events."""
        if len(events) > MAX_PER_BATCH:
            skipped = len(events) - MAX_PER_BATCH
            self._append(Text(f"… {skipped} earlier events (see the audit log)", "italic"))
            events = events[-MAX_PER_BATCH:]
        for event in events:
            self._append(self._line(event))
        self._resized()

    def _append(self, line: Text) -> None:
        if len(self._lines) == MAX_LINES:
            self._dropped += 1
        self._lines.append(line)

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
        key = (index + self._dropped, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._cut(self._lines[index], width)
        return strip

    def _cut(self, line: Text, width: int) -> Strip:
        """The line cut to `width` cells, ending with "…" when it was longer."""
        shown = line.copy()
        shown.truncate(width, overflow="ellipsis", pad=True)
        segments = [
            Segment(s.text, self.rich_style + s.style if s.style else self.rich_style)
            for s in shown.render(self.app.console)
            if s.text != "\n"
        ]
        return Strip(segments).crop_extend(0, width, self.rich_style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._resized()

    def _resized(self) -> None:
        """New lines or a new size: the virtual size again, and the newest line if following."""
        self.virtual_size = Size(0, len(self._lines))
        if self._follow:
            self.call_after_refresh(self.scroll_end, animate=False, immediate=True)
        self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._follow = new_value >= self.max_scroll_y
