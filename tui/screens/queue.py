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

from engine.core.ports import Clock
from engine.core.read_model import ReadModel
from engine.core.views import ReturnView, SkillFigures
from engine.status import FeedState, FeedStatus
from tui.clock import duration
from tui.identity import Names, labeled
from tui.text import safe, text
from tui.widgets.live_table import LiveRow, LiveTable

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
    ]  # fmt: skip
    DEFAULT_CSS = """
    QueueScreen {
        & > #queue-skills { height: auto; max-height: 50%; }
        & > #queue-returns { height: 1fr; }
    }
    """

    def __init__(self, read: ReadModel, clock: Clock, feed: Callable[[], FeedStatus]) -> None:
        super().__init__()
        self._read = read
        self._clock = clock
        self._feed = feed

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
        self.query_one("#queue-returns", LiveTable).show(
            [return_row(r, self._read.agent_name) for r in returns]
        )
