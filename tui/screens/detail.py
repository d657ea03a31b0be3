"""A conversation in full: its agent, how its deadline was worked out, its state history and
every audit event of it (Enter shows one whole). Read from the read model once a second; the
audit from the data file when the view opens, then as the floor hears new events."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

from engine.core.audit import AuditEvent
from engine.core.model import ConvId
from engine.core.ports import Clock
from engine.core.read_model import ReadModel
from tui.detail_lines import agent_lines, deadline_lines, event_line, heading, history_lines
from tui.screens.event_view import EventScreen
from tui.why_words import why_line

AuditReader = Callable[[ConvId], list[AuditEvent]]
"""One conversation's audit events, in order (`FloorService.audit_of`)."""


class DetailScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Back", id="detail-close",
                tooltip="Back to the conversations"),
    ]  # fmt: skip
    DEFAULT_CSS = """
    DetailScreen {
        & > #detail-body { height: auto; max-height: 60%; padding: 0 1; }
        & .detail-section { text-style: bold; color: $text-accent; margin-top: 1; }
        & > #detail-audit { height: 1fr; border: round $panel-lighten-2; }
        & > #detail-audit:focus { border: round $primary; }
    }
    """

    def __init__(self, conv_id: ConvId, read: ReadModel, audit: AuditReader, clock: Clock) -> None:
        super().__init__()
        self._conv_id = conv_id
        self._read = read
        self._audit = audit
        self._clock = clock
        self._events: list[AuditEvent] = []

    @property
    def conv_id(self) -> ConvId:
        return self._conv_id

    def compose(self) -> ComposeResult:
        yield Static(id="detail-title", classes="view-title", markup=False)
        with VerticalScroll(id="detail-body"):
            yield Static(id="detail-agent", markup=False)
            yield Static("Deadline", classes="detail-section", markup=False)
            yield Static(id="detail-deadline", markup=False)
            yield Static("State history (newest first)", classes="detail-section", markup=False)
            yield Static(id="detail-history", markup=False)
        yield OptionList(id="detail-audit")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#detail-audit").border_title = "Audit events (enter shows one whole)"
        self._events = self._audit(self._conv_id)
        self._show_events()
        self.refresh_detail()
        self.set_interval(1.0, self.refresh_detail)
        self.query_one("#detail-audit").focus()

    def refresh_detail(self) -> None:
        now = self._clock.now()
        detail = self._read.detail(self._conv_id)
        self.query_one("#detail-title", Static).update(heading(self._conv_id, detail))
        if detail is None:
            self.query_one("#detail-agent", Static).update("")
            self.query_one("#detail-deadline", Static).update("No deadline: it has closed")
            return
        self.query_one("#detail-agent", Static).update("\n".join(agent_lines(detail, now)))
        why = why_line(self._read.why_not(self._conv_id, now), now, self._read.agent_name)
        deadline = "\n".join([f"Why not yet: {why}", *deadline_lines(detail, now)])
        self.query_one("#detail-deadline", Static).update(deadline)
        history = history_lines(detail.history, self._read.agent_name)
        self.query_one("#detail-history", Static).update("\n".join(history))

    def hear(self, events: Iterable[AuditEvent]) -> None:
        """New audit events of the floor: those of this conversation join the list."""
        mine = [event for event in events if event.conv == self._conv_id]
        if mine:
            self._events += mine
            self._show_events()

    def _show_events(self) -> None:
        audit = self.query_one("#detail-audit", OptionList)
        highlighted = audit.highlighted
        audit.clear_options()
        names = self._read.agent_name
        audit.add_options(Text(event_line(event, names)) for event in self._events)
        if not self._events:
            audit.add_option(Text("No audit event for this conversation yet", "dim"))
            audit.disabled = True
            return
        audit.disabled = False
        audit.highlighted = highlighted if highlighted is not None else len(self._events) - 1

    @on(OptionList.OptionSelected, "#detail-audit")
    def _event_chosen(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self._events):
            chosen = self._events[event.option_index]
            self.app.push_screen(EventScreen(chosen, self._read.agent_name))
