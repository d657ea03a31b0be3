"""The agents panel: each agent's state and time in it, open and waiting conversations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from engine.core.model import AgentState
from engine.core.ports import Clock
from engine.core.views import AgentView
from tui.clock import duration
from tui.widgets.columns import fit, state_label

NAME_WIDTH = 14
STATE_CLASS = {
    AgentState.ONLINE: "agents-panel--online",
    AgentState.AWAY: "agents-panel--away",
    AgentState.BACK_SOON: "agents-panel--away",
    AgentState.OFFLINE: "agents-panel--offline",
}


class AgentsPanel(ScrollView):
    """One line per agent, by name: state, time in it, open/waiting conversations, held.

    Time in state is worked out at paint time from the clock.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "agents-panel--online",
        "agents-panel--away",
        "agents-panel--offline",
        "agents-panel--waiting",
        "agents-panel--held",
    }
    DEFAULT_CSS = """
    AgentsPanel {
        overflow-x: hidden;
        & > .agents-panel--online { color: $text-success; }
        & > .agents-panel--away { color: $text-warning; }
        & > .agents-panel--offline { color: $text-error; }
        & > .agents-panel--waiting { color: $text-warning; text-style: bold; }
        & > .agents-panel--held { color: $text-accent; text-style: bold; }
    }
    """

    def __init__(self, clock: Clock, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._clock = clock
        self._agents: list[AgentView] = []

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh)

    def show(self, agents: Iterable[AgentView]) -> None:
        """Replace the agents shown; repaints only when something changed."""
        ordered = sorted(agents, key=lambda a: (a.name.lower(), a.agent_id))
        if ordered != self._agents:
            self._agents = ordered
            self.virtual_size = Size(0, len(ordered))
            self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        if index >= len(self._agents):
            return Strip.blank(width, self.rich_style)
        agent = self._agents[index]
        base = self.rich_style
        name = f"{agent.name} (bot)" if agent.bot else agent.name
        since = duration(self._clock.now() - agent.since) if agent.since is not None else ""
        waiting = agent.waiting_conversations
        segments = [
            Segment(fit(name, NAME_WIDTH), base),
            Segment(fit(state_label(agent.state), 9), base + self._state_style(agent.state)),
            Segment(fit(since, 7, right=True), base),
            Segment(f"{agent.open_conversations:>3}/", base),
            Segment(f"{waiting:<4}", base + (self._style("waiting") if waiting else Style())),
        ]
        if agent.held:
            segments.append(Segment("held", base + self._style("held")))
        return Strip(segments).crop_extend(0, width, base)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"agents-panel--{name}", partial=True)

    def _state_style(self, state: AgentState | None) -> Style:
        if state is None:
            return Style()
        return self.get_component_rich_style(STATE_CLASS[state], partial=True)
