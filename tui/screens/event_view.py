"""One audit event shown whole: every field on its own line, the detail wrapped, not cut."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from engine.core.audit import AuditEvent
from tui.clock import wall_time
from tui.identity import Names, labeled
from tui.text import lines, safe


def event_fields(event: AuditEvent, names: Names) -> list[tuple[str, str]]:
    """(label, value) for every field the event has, values cleaned."""
    fields = [
        ("Time", f"{wall_time(event.at)} (platform time {event.at:.3f})"),
        ("Type", str(event.type)),
    ]
    if event.conv is not None:
        fields.append(("Conversation", safe(event.conv)))
    if event.agent is not None:
        fields.append(("Agent", safe(labeled(event.agent, names))))
    if event.reason is not None:
        fields.append(("Reason", str(event.reason)))
    fields.append(("By", safe(event.by)))
    if event.detail:
        fields.append(("Detail", lines(event.detail)))
    if event.key is not None:
        fields.append(("Wait", safe(event.key)))
    if event.as_of is not None:
        fields.append(("Data as of", wall_time(event.as_of)))
    return fields


class EventScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "dismiss", "Close", id="event-close"),
    ]
    DEFAULT_CSS = """
    EventScreen {
        align: center middle;
        & > VerticalScroll {
            width: 80%;
            max-width: 100;
            height: auto;
            max-height: 80%;
            border: round $primary;
            border-title-color: $text;
            background: $surface;
            padding: 0 1;
        }
    }
    """

    def __init__(self, event: AuditEvent, names: Names) -> None:
        super().__init__()
        self._event = event
        self._names = names

    def compose(self) -> ComposeResult:
        fields = event_fields(self._event, self._names)
        width = max(len(label) for label, _ in fields)
        body = "\n".join(f"{label:<{width}}  {value}" for label, value in fields)
        with VerticalScroll() as scroll:
            scroll.border_title = "Audit event (esc closes)"
            yield Static(body, id="event-body", markup=False)
