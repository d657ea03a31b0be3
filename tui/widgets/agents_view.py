"""The agents view: one line per agent, the problem agents first; a cursor, a sort that
cycles, Enter to see an agent's conversations, hold and release of the agent."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from engine.core.model import AgentId, AgentState
from engine.core.ports import Clock
from engine.core.views import AgentView
from tui.clock import duration
from tui.identity import agent_label
from tui.widgets.agent_cells import Cell, cells, layout
from tui.widgets.columns import fit

STATE_RANK = {AgentState.OFFLINE: 0, AgentState.AWAY: 1, AgentState.BACK_SOON: 2}
"""The state sort: the states that leave consumers waiting longest first."""
SortKey = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class AgentLine:
    """An agent as the view shows it: the read model's view and its overdue conversations."""

    view: AgentView
    overdue: int

    @property
    def label(self) -> str:
        name = self.view.name if self.view.name != self.view.agent_id else None
        text = agent_label(self.view.agent_id, name)
        return f"{text} bot" if self.view.bot else text


def _name(line: AgentLine) -> SortKey:
    return (line.view.name.lower(), line.view.agent_id)


SORTS: tuple[tuple[str, Callable[[AgentLine], SortKey]], ...] = (
    ("problems", lambda a: (-a.overdue, -a.view.waiting_conversations, *_name(a))),
    ("waiting", lambda a: (-a.view.waiting_conversations, -a.view.open_conversations, *_name(a))),
    ("state", lambda a: (STATE_RANK.get(a.view.state, 3) if a.view.state else 4, *_name(a))),
    ("time in state", lambda a: (a.view.since if a.view.since is not None else 1e300, *_name(a))),
    ("name", _name),
)
"""Each sort's name (as the title shows it) and key; the first is the default."""
SORT_NAMES = tuple(name for name, _ in SORTS)


class AgentsView(ScrollView, can_focus=True, inherit_bindings=False):
    """Agents sorted as chosen; the cursor stays on its agent through re-sorts.

    Time in state is worked out at paint time from the clock. Columns that do not fit are
    dropped whole (time in state first, then state, then held), never cut."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False, id="agents-up"),
        Binding("down", "move(1)", "Down", show=False, id="agents-down"),
        Binding("home", "move(-1000000)", "First agent", show=False, id="agents-first"),
        Binding("end", "move(1000000)", "Last agent", show=False, id="agents-last"),
        Binding("enter", "choose", "Their conversations", id="agents-choose",
                tooltip="Show only the selected agent's conversations in the table"),
        Binding("s", "sort", "Sort agents", id="agents-sort",
                tooltip="Sort the agents by problems, waiting, state, time in state or name"),
        Binding("a", "hold", "Hold agent", id="agents-hold",
                tooltip="Hold every conversation of the selected agent"),
        Binding("a", "release", "Release agent", id="agents-release",
                tooltip="Release the hold on the selected agent"),
    ]  # fmt: skip
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "agents-view--cursor",
        "agents-view--chosen",
        "agents-view--online",
        "agents-view--away",
        "agents-view--offline",
        "agents-view--waiting",
        "agents-view--overdue",
        "agents-view--held",
    }
    DEFAULT_CSS = """
    AgentsView {
        overflow-x: hidden;
        & > .agents-view--cursor { background: $block-cursor-blurred-background; }
        &:focus > .agents-view--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & > .agents-view--chosen { text-style: bold underline; }
        & > .agents-view--online { color: $text-success; }
        & > .agents-view--away { color: $text-warning; }
        & > .agents-view--offline { color: $text-error; }
        & > .agents-view--waiting { color: $text-warning; text-style: bold; }
        & > .agents-view--overdue { color: $text-error; text-style: bold; }
        & > .agents-view--held { color: $text-accent; text-style: bold; }
    }
    """

    @dataclass
    class Chosen(Message):
        """Enter on an agent: the table shows only their conversations."""

        agent: AgentId

    @dataclass
    class HoldRequested(Message):
        agent: AgentId

    @dataclass
    class ReleaseRequested(Message):
        agent: AgentId

    @dataclass
    class SortChanged(Message):
        sort: str

    def __init__(self, clock: Clock, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._clock = clock
        self._lines: list[AgentLine] = []
        self._sort = 0
        self._cursor: AgentId | None = None
        self._layouts: dict[int, dict[str, int]] = {}
        """The columns by width, for the agents shown (made anew when they change)."""
        self.chosen: AgentId | None = None
        """The agent whose conversations the table shows, drawn in bold."""

    @property
    def sort(self) -> str:
        return SORT_NAMES[self._sort]

    @property
    def order(self) -> list[AgentId]:
        """The agents shown, top to bottom."""
        return [line.view.agent_id for line in self._lines]

    @property
    def lines(self) -> list[AgentLine]:
        """The agents shown, in order, with their overdue conversations."""
        return self._lines

    @property
    def cursor(self) -> AgentView | None:
        return next((a.view for a in self._lines if a.view.agent_id == self._cursor), None)

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh)

    def show(self, agents: Iterable[AgentView], overdue: Mapping[AgentId, int]) -> None:
        """Replace the agents shown; repaints only when something changed."""
        lines = [AgentLine(a, overdue.get(a.agent_id, 0)) for a in agents]
        lines.sort(key=SORTS[self._sort][1])
        if lines != self._lines:
            self._lines = lines
            self._reordered()

    def choose(self, agent: AgentId | None) -> None:
        """Mark the agent whose conversations the table shows (None: no one)."""
        if agent != self.chosen:
            self.chosen = agent
            self.refresh()

    # ------------------------------------------------------------------ keys and mouse

    def action_move(self, delta: int) -> None:
        order = self.order
        if not order:
            return
        at = order.index(self._cursor) if self._cursor in order else 0
        self._select(order[max(0, min(len(order) - 1, at + delta))])

    def action_sort(self) -> None:
        self._sort = (self._sort + 1) % len(SORTS)
        self._lines.sort(key=SORTS[self._sort][1])
        self._reordered()
        self.post_message(self.SortChanged(self.sort))

    def action_choose(self) -> None:
        if self._cursor is not None:
            self.post_message(self.Chosen(self._cursor))

    def action_hold(self) -> None:
        if self._cursor is not None:
            self.post_message(self.HoldRequested(self._cursor))

    def action_release(self) -> None:
        if self._cursor is not None:
            self.post_message(self.ReleaseRequested(self._cursor))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"hold", "release"}:
            agent = self.cursor
            if agent is None:
                return None if action == "hold" else False
            return agent.held == (action == "release")
        return True

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and 0 <= offset.y + self.scroll_offset.y < len(self._lines):
            self._select(self._lines[offset.y + self.scroll_offset.y].view.agent_id)

    # ------------------------------------------------------------------ painting

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        line = self._lines[index]
        base = self.rich_style
        if line.view.agent_id == self._cursor:
            base += self._style("cursor")
        if line.view.agent_id == self.chosen:
            base += self._style("chosen")
        columns = self._layouts.get(width)
        if columns is None:
            columns = self._layouts[width] = layout(self._lines, width)
        shown = cells(line, columns, self._time(line.view.since))
        segments = [self._segment(cell, base) for cell in shown]
        return Strip(segments).crop_extend(0, width, base)

    def _time(self, since: float | None) -> str:
        return duration(self._clock.now() - since) if since is not None else ""

    def _segment(self, cell: Cell, base: Style) -> Segment:
        style = base + self._style(cell.style) if cell.style else base
        return Segment(fit(cell.text, cell.width, right=cell.right), style)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"agents-view--{name}", partial=True)

    # ------------------------------------------------------------------ internals

    def _select(self, agent: AgentId) -> None:
        self._cursor = agent
        self._scroll_to_cursor()
        self.refresh()
        self.app.refresh_bindings()

    def _reordered(self) -> None:
        self._layouts.clear()
        self.virtual_size = Size(0, len(self._lines))
        order = self.order
        if self._cursor not in order:
            self._cursor = order[0] if order else None
            self.app.refresh_bindings()
        self._scroll_to_cursor()
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        order = self.order
        if self._cursor not in order:
            return
        at, top, height = order.index(self._cursor), self.scroll_offset.y, max(1, self.size.height)
        if at < top:
            self.scroll_to(y=at, animate=False)
        elif at >= top + height:
            self.scroll_to(y=at - height + 1, animate=False)
