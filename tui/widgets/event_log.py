"""The event log: audit events as the service reports them, newest at the bottom."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widgets import RichLog

from engine.core.audit import ENGINE, AuditEvent, AuditType
from tui.clock import wall_time
from tui.text import safe

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


class EventLog(RichLog):
    """Writes each audit event on one line: time, type, conversation, agent, reason, who, why.

    Lines are `Text` (the log has markup off), every field from outside cleaned and capped.
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

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            max_lines=1000, min_width=20, wrap=True, markup=False, highlight=False, id=id
        )

    def add(self, events: Sequence[AuditEvent]) -> None:
        """Write a batch; a flood is cut to its newest `MAX_PER_BATCH` events."""
        if len(events) > MAX_PER_BATCH:
            skipped = len(events) - MAX_PER_BATCH
            self.write(Text(f"… {skipped} earlier events (see the audit log)", "italic"))
            events = events[-MAX_PER_BATCH:]
        for event in events:
            self.write(self._line(event))

    def _line(self, event: AuditEvent) -> Text:
        kind = KIND.get(event.type, "override")
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(wall_time(event.at), self._style("time"))
        line.append(f" {event.type:<21}", self._style(kind))
        for part in (event.conv, event.agent, event.reason):
            if part is not None:
                line.append(f" {safe(part)}")
        if event.by != ENGINE:
            line.append(f" by {safe(event.by)}")
        if event.detail:
            line.append(f" ({safe(event.detail)})", self._style("time"))
        return line

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"event-log--{name}", partial=True)
