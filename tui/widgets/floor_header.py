"""The header: feed status with its lag and detail, the floor's figures, a DRY RUN badge."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from engine.status import FeedState, FeedStatus
from tui.summary import DUE_SOON_SECONDS, RECENT_SECONDS, FloorSummary
from tui.text import safe

FEED_LABELS = {
    FeedState.CONNECTING: "○ CONNECTING, unassigns paused",
    FeedState.LIVE: "● LIVE",
    FeedState.STALE: "● STALE, unassigns paused",
    FeedState.RECONNECTING: "↻ RECONNECTING, unassigns paused",
    FeedState.STOPPED: "■ STOPPED, no unassigns",
}


class FloorHeader(Widget):
    """Two lines: title, badge, feed and agents; then the conversations' figures."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "floor-header--title",
        "floor-header--connecting",
        "floor-header--live",
        "floor-header--stale",
        "floor-header--reconnecting",
        "floor-header--stopped",
        "floor-header--dry-run",
        "floor-header--label",
        "floor-header--alert",
    }
    DEFAULT_CSS = """
    FloorHeader {
        height: 2;
        background: $panel;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .floor-header--title { text-style: bold; color: $text-primary; }
        & > .floor-header--connecting { color: $text-warning; text-style: bold; }
        & > .floor-header--live { color: $text-success; text-style: bold; }
        & > .floor-header--stale { color: $text-error; text-style: bold reverse; }
        & > .floor-header--reconnecting { color: $text-warning; text-style: bold; }
        & > .floor-header--stopped { color: $text-error; text-style: bold reverse; }
        & > .floor-header--dry-run { background: $warning; color: $background; text-style: bold; }
        & > .floor-header--label { color: $text-muted; }
        & > .floor-header--alert { color: $text-error; text-style: bold; }
    }
    """

    summary: reactive[FloorSummary | None] = reactive(None)
    feed: reactive[FeedStatus | None] = reactive(None)
    dry_run: reactive[bool] = reactive(False)

    def render(self) -> Text:
        lines = Text("\n", no_wrap=True, overflow="ellipsis")
        return lines.join([self._first_line(), self._second_line()])

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"floor-header--{name}", partial=True)

    def _first_line(self) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("Floorwatch", self._style("title"))
        if self.dry_run:
            line.append("  ")
            line.append(" DRY RUN ", self._style("dry-run"))
        feed = self.feed
        if feed is not None:
            line.append("  ")
            line.append(FEED_LABELS[feed.state], self._style(feed.state))
            if feed.detail:
                line.append(f" ({safe(feed.detail)})", self._style("label"))
            if feed.lag is not None:
                line.append(f" lag {feed.lag:.1f} s", self._style("label"))
        summary = self.summary
        if summary is not None:
            load = f"{summary.load:.1f}" if summary.load is not None else "-"
            line.append("  agents ", self._style("label"))
            line.append(f"{summary.online} online · {summary.away} away · {summary.offline} off")
            line.append("  load ", self._style("label"))
            line.append(load)
        return line

    def _second_line(self) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        summary = self.summary
        if summary is None:
            return line
        figures = (
            ("watched", summary.watched, False),
            (f"due in {DUE_SOON_SECONDS:g} s", summary.due_soon, summary.due_soon > 0),
            ("unassigning", summary.in_flight, False),
            (f"unassigned {RECENT_SECONDS / 60:g} min", summary.unassigned_recently, False),
        )
        for label, value, alert in figures:
            line.append(f"{label} ", self._style("label"))
            line.append(f"{value}", self._style("alert") if alert else None)
            line.append("   ")
        return line
