"""The header: the link state and why, how current the data is, the floor's figures, a DRY RUN
badge."""

from __future__ import annotations

import math
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from engine.core.lease_rule import Role, watching
from engine.status import FeedState, FeedStatus
from tui.clock import wall_time
from tui.summary import FloorSummary
from tui.text import safe

FEED_LABELS = {
    FeedState.CONNECTING: "○ CONNECTING",
    FeedState.LIVE: "● LIVE",
    FeedState.STALE: "● STALE",
    FeedState.RECONNECTING: "↻ RECONNECTING",
    FeedState.STOPPED: "■ STOPPED",
}
CONSEQUENCE = {
    FeedState.CONNECTING: "unassigns paused",
    FeedState.STALE: "unassigns paused",
    FeedState.RECONNECTING: "unassigns paused",
    FeedState.STOPPED: "no unassigns",
}
"""What a feed state means for the engine's actions (nothing while the feed is live)."""


def feed_words(feed: FeedStatus) -> str:
    """The link state with its reason and when it tries again, e.g.
    "RECONNECTING: cannot reach va.agentvep… (timed out), retry in 8 s"."""
    words = FEED_LABELS[feed.state]
    if feed.detail:
        words += f": {safe(feed.detail)}"
    if feed.retry_in is not None and feed.state is not FeedState.LIVE:
        words += f", retry in {math.ceil(feed.retry_in):d} s"
    return words


class FloorHeader(Widget):
    """Two lines: title, badge, the link and how current the data is; then the table's rows
    and the agents."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "floor-header--title",
        "floor-header--connecting",
        "floor-header--live",
        "floor-header--stale",
        "floor-header--reconnecting",
        "floor-header--stopped",
        "floor-header--dry-run",
        "floor-header--label",
        "floor-header--acting",
        "floor-header--watching",
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
        & > .floor-header--acting { color: $text-success; text-style: bold; }
        & > .floor-header--watching { color: $text-accent; text-style: bold; }
    }
    """

    summary: reactive[FloorSummary | None] = reactive(None)
    feed: reactive[FeedStatus | None] = reactive(None)
    dry_run: reactive[bool] = reactive(False)
    role: reactive[Role | None] = reactive(None)
    """On a team floor: whether this dashboard's engine acts (None: a floor of one)."""

    def render(self) -> Text:
        lines = Text("\n", no_wrap=True, overflow="ellipsis")
        return lines.join([self._first_line(), self._second_line()])

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"floor-header--{name}", partial=True)

    def _first_line(self) -> Text:
        """Title, badge, the link state (why, retry) and how current the data is."""
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("Floorwatch", self._style("title"))
        if self.dry_run:
            line.append("  ")
            line.append(" DRY RUN ", self._style("dry-run"))
        role = self.role
        if role is not None:
            line.append("  ")
            if role.acting:
                line.append("ACTING", self._style("acting"))
            else:
                line.append(safe(watching(role)), self._style("watching"))
        feed = self.feed
        if feed is None:
            return line
        line.append("  ")
        line.append(feed_words(feed), self._style(feed.state))
        if feed.state in CONSEQUENCE:
            line.append(f" · {CONSEQUENCE[feed.state]}", self._style("label"))
        as_of = f"data as of {wall_time(feed.as_of)}" if feed.as_of is not None else "no data yet"
        line.append(f"  {as_of}", self._style("label"))
        return line

    def _second_line(self) -> Text:
        """The table's rows, then the agents (the conversations' figures are the data bar's)."""
        line = Text(no_wrap=True, overflow="ellipsis")
        summary = self.summary
        if summary is None:
            return line
        line.append(f"{summary.watched}")
        line.append(" watched · agents ", self._style("label"))
        line.append(f"{summary.online} online, {summary.away} away, {summary.offline} offline")
        line.append(" · load ", self._style("label"))
        line.append(f"{summary.load:.1f}" if summary.load is not None else "-")
        return line
