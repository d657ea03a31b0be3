"""What the table shows besides a figure of the data bar: the typed filter (`/`, matching
conversation, agent name and id, skill and state) and the agent chosen in the agents view;
and the table's title, which says every filter in force."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import Input

from engine.core.model import AgentId
from engine.core.ports import Clock
from engine.service import FloorService
from tui.identity import labeled
from tui.screens.figure_actions import FigureActions
from tui.text import plain, safe
from tui.widgets.agents_view import AgentsView

FILTER_SHOWN = 40
"""Characters of the filter's query the table's title repeats."""


class TableFilters(FigureActions):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", key_display="/", id="filter",
                tooltip="Filter by agent (name or id), skill, conversation or state as you type"),
        Binding("escape", "close_filter", "Clear filter", show=False, id="filter-clear",
                tooltip="Clear the typed filter, else the agent's; back to the table"),
    ]  # fmt: skip

    def __init__(self, service: FloorService, clock: Clock) -> None:
        super().__init__(service, clock)
        self._filter = Input(
            placeholder="filter: agent, skill, conversation or state", id="filter", compact=True
        )
        self._agent: AgentId | None = None

    @property
    def agent(self) -> AgentId | None:
        """The agent whose conversations alone the table shows."""
        return self._agent

    def show_agent(self, agent: AgentId | None) -> None:
        """Show only `agent`'s conversations in the table, marked in the agents view."""
        self._agent = agent
        self.table.show_agent(agent)
        self.query_one(AgentsView).choose(agent)
        self.update_title()
        self.refresh_bindings()

    def update_title(self) -> None:
        """`8 watched` (the header's figure), then what the filters show of them."""
        table = self.table
        title = f"{table.total} watched"
        query = self._filter.value.strip()
        if query:
            title += f", {table.shown} shown matching “{safe(query, FILTER_SHOWN)}”"
        if self._agent is not None:
            who = labeled(self._agent, self._read.agent_name)
            title += f" · only {safe(who)}'s {table.shown} (esc shows all)"
        if table.left:
            title += f" (+{table.left} left)"
        title += self.figure_title()
        if table.frozen:
            title += " · FROZEN: no re-sorting, no rows leaving (f resumes)"
        self.query_one("#conversations").border_title = plain(title)

    def figure_filter_changed(self) -> None:
        self.update_title()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_filter":
            return self._filter.display or self._agent is not None
        return super().check_action(action, parameters)

    def action_filter(self) -> None:
        self._filter.display = True
        self._filter.focus()
        self.refresh_bindings()

    def action_close_filter(self) -> None:
        """The typed filter first (while it shows); then the agent's."""
        if self._filter.display:
            self._filter.value = ""
            self._filter.display = False
        else:
            self.show_agent(None)
        self.table.focus()
        self.refresh_bindings()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.filter(event.value)
        self.update_title()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.input.display = bool(event.value.strip())
        self.table.focus()
