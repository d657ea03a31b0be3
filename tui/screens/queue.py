"""The live queue: per skill, conversations with no assigned agent, the longest wait and how
many of them Floorwatch returned; then each conversation it returned, and what became of it.

Every figure comes from the read model (kept by the engine as the feed applies), read once a
second; nothing here counts or polls per row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static

from engine.core.commands import Seen
from engine.core.model import AgentId, ConvId
from engine.core.ports import Clock
from engine.core.read_model import ReadModel
from engine.core.views import ReturnView, SkillFigures
from engine.status import FeedState, FeedStatus
from tui.clock import duration
from tui.identity import Names, labeled
from tui.text import safe, text
from tui.widgets.live_table import LiveRow, LiveTable

GiveBackAsk = Callable[[ConvId, AgentId | None, Seen | None], None]
"""Asks, then gives a conversation back (`RowActions.give_back`): the conversation, who holds
it now."""
SKILL_COLUMNS = ("Skill", "In queue", "Returned", "Longest", "Online", "Away", "Offline")
RETURN_COLUMNS = ("Conversation", "Skill", "From", "Reason", "Returned", "Then")
CAPACITY_NOTE = (
    "Free capacity is not in the feed: the agents of each skill (those holding one of its "
    "conversations) are shown by presence instead."
)


def no_skill(skill: str | None) -> str:
    return safe(skill) if skill is not None else "(no skill)"


def feed_note(status: FeedStatus) -> str:
    """What the figures are worth while the feed is not live."""
    if status.state is FeedState.LIVE:
        return ""
    return f" · {status.state.upper()}: figures as of the last data, may be out of date"


def skill_row(figures: SkillFigures) -> LiveRow:
    longest = figures.longest_in_queue
    cells = (
        text(no_skill(figures.skill)),
        Text(str(figures.queued), "bold" if figures.queued else ""),
        Text(str(figures.returned_queued)),
        Text(duration(longest) if longest is not None else "-"),
        Text(str(figures.online)),
        Text(str(figures.away)),
        Text(str(figures.offline)),
    )
    return (f"skill:{figures.skill}", cells)


def outcome(back: ReturnView, names: Names) -> Text:
    if back.routed_to is not None and back.routing_took is not None:
        to = labeled(back.routed_to, names)
        return text(f"→ {to} after {duration(back.routing_took)}", "green")
    if back.closed:
        return Text("closed in the queue", "dim")
    return Text("still waiting", "bold yellow")


def return_row(back: ReturnView, names: Names) -> LiveRow:
    cells = (
        text(back.conv_id),
        text(no_skill(back.skill)),
        text(labeled(back.agent, names)),
        Text(str(back.reason)),
        Text(f"{duration(back.since_returned)} ago"),
        outcome(back, names),
    )
    return (back.conv_id, cells)


class QueueScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,6", "dismiss", "Back", id="queue-close",
                tooltip="Back to the conversations"),
        Binding("g", "give_back", "Give back", id="queue-give-back",
                tooltip="Give the selected returned conversation back to the agent it was"
                        " taken from (asks first)"),
    ]  # fmt: skip
    DEFAULT_CSS = """
    QueueScreen {
        & > #queue-skills { height: auto; max-height: 50%; }
        & > #queue-returns { height: 1fr; }
    }
    """

    def __init__(
        self,
        read: ReadModel,
        clock: Clock,
        feed: Callable[[], FeedStatus],
        give_back: GiveBackAsk | None = None,
    ) -> None:
        super().__init__()
        self._read = read
        self._clock = clock
        self._feed = feed
        self._give_back = give_back
        self._returns: dict[ConvId, ReturnView] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="queue-title", classes="view-title", markup=False)
        yield Static(CAPACITY_NOTE, classes="view-note queue-note", markup=False)
        yield LiveTable(SKILL_COLUMNS, cursor=False, id="queue-skills")
        yield Static(
            "Returned to the queue by Floorwatch, newest first",
            id="returns-title",
            classes="view-title",
            markup=False,
        )
        yield LiveTable(RETURN_COLUMNS, id="queue-returns")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_figures()
        self.set_interval(1.0, self.refresh_figures)
        self.query_one("#queue-returns").focus()

    def refresh_figures(self) -> None:
        now = self._clock.now()
        skills = self._read.skill_figures(now)
        figures = self._read.figures(now)
        title = f"Queue: {figures.queued} with no agent · {figures.returned_queued} returned"
        if figures.longest_in_queue is not None:
            title += f" · longest {duration(figures.longest_in_queue)}"
        self.query_one("#queue-title", Static).update(title + feed_note(self._feed()))
        self.query_one("#queue-skills", LiveTable).show([skill_row(s) for s in skills])
        returns = self._read.returns(now)
        self._returns = {r.conv_id: r for r in returns}
        self.query_one("#queue-returns", LiveTable).show(
            [return_row(r, self._read.agent_name) for r in returns]
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "give_back":
            return self._give_back is not None and self._selected() is not None
        return True

    def action_give_back(self) -> None:
        back = self._selected()
        if back is not None and self._give_back is not None:
            holder = None if back.closed else back.routed_to
            self._give_back(back.conv_id, holder, None)

    def _selected(self) -> ReturnView | None:
        table = self.query_one("#queue-returns", LiveTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._returns.get(key) if key is not None else None
