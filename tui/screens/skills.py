"""The per-skill breakdown: what waits on each skill, how soon it is due, what was unassigned,
and the skill's agents by presence. Read from the read model once a second."""

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
from engine.core.views import SkillFigures
from engine.status import FeedStatus
from tui.screens.queue import feed_note, no_skill
from tui.text import text
from tui.widgets.live_table import LiveRow, LiveTable

COLUMNS = (
    "Skill",
    "Waiting",
    "Overdue",
    "≤30 s",
    "Held",
    "Flight",
    "Unass.",
    "On",
    "Away",
    "Off",
    "Queue",
)
NOTE = (
    "Waiting: for the assigned agent's answer, a deadline running. ≤30 s: due within 30 s. "
    "Flight: being unassigned. Unass.: unassigned in the last 15 min. Agents (On, Away, Off) "
    "count on a skill while they hold one of its conversations: the feed names no agent's skills."
)


def count(value: int, style: str = "") -> Text:
    return Text(str(value), style if value else "dim")


def skill_row(figures: SkillFigures) -> LiveRow:
    cells = (
        text(no_skill(figures.skill)),
        count(figures.waiting),
        count(figures.overdue, "bold red"),
        count(figures.due_soon, "bold yellow"),
        count(figures.held),
        count(figures.in_flight, "bold"),
        count(figures.unassigned),
        count(figures.online, "green"),
        count(figures.away, "yellow"),
        count(figures.offline, "red"),
        count(figures.queued, "bold"),
    )
    return (f"skill:{figures.skill}", cells)


class SkillsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,7", "dismiss", "Back", id="skills-close",
                tooltip="Back to the conversations"),
    ]  # fmt: skip
    DEFAULT_CSS = """
    SkillsScreen {
        & > LiveTable { height: 1fr; }
    }
    """

    def __init__(self, read: ReadModel, clock: Clock, feed: Callable[[], FeedStatus]) -> None:
        super().__init__()
        self._read = read
        self._clock = clock
        self._feed = feed

    def compose(self) -> ComposeResult:
        yield Static(id="skills-title", classes="view-title", markup=False)
        yield Static(NOTE, classes="view-note", markup=False)
        yield LiveTable(COLUMNS, id="skills-table")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_figures()
        self.set_interval(1.0, self.refresh_figures)
        self.query_one(LiveTable).focus()

    def refresh_figures(self) -> None:
        skills = self._read.skill_figures(self._clock.now())
        title = f"Per skill ({len(skills)})" + feed_note(self._feed())
        self.query_one("#skills-title", Static).update(title)
        self.query_one(LiveTable).show([skill_row(s) for s in skills])
