"""The agents view's and the event log's side of the floor: tab moves the focus from the
table to the agents to the events and back; Enter on an agent shows only their conversations
in the table (esc shows all again), Enter on an event shows it whole; hold and release the
agent with the same commands and questions as the table's agent keys."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType

from tui.screens.event_view import EventScreen
from tui.screens.table_filters import TableFilters
from tui.widgets.agents_view import AgentsView
from tui.widgets.event_log import EventLog


def agents_title(sort: str) -> str:
    """The agents view's title: its sort and the key that cycles it (fits 80 columns)."""
    return f"Agents · by {sort} (s)"


class AgentViewActions(TableFilters):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "switch_focus", "Next panel", show=False, id="focus-switch",
                tooltip="Move the focus: conversations, then agents, then events"),
    ]  # fmt: skip

    @property
    def agents_view(self) -> AgentsView:
        return self.query_one(AgentsView)

    def action_switch_focus(self) -> None:
        events = self.query_one(EventLog)
        if self.agents_view.has_focus:
            events.focus()
        elif events.has_focus:
            self.table.focus()
        else:
            self.agents_view.focus()
        self.refresh_bindings()

    @on(EventLog.Chosen)
    def _event_chosen(self, event: EventLog.Chosen) -> None:
        self.app.push_screen(EventScreen(event.event, self._read.agent_name))

    @on(AgentsView.Chosen)
    def _agent_chosen(self, event: AgentsView.Chosen) -> None:
        self.show_agent(event.agent)
        self.table.focus()

    @on(AgentsView.HoldRequested)
    def _hold_requested(self, event: AgentsView.HoldRequested) -> None:
        self.hold_agent(event.agent, None)

    @on(AgentsView.ReleaseRequested)
    def _release_requested(self, event: AgentsView.ReleaseRequested) -> None:
        self.release_agent(event.agent)

    @on(AgentsView.SortChanged)
    def _agents_sorted(self, event: AgentsView.SortChanged) -> None:
        self.agents_view.border_title = agents_title(event.sort)
