"""The data bar's keys: each figure filters the table by it (the same key again shows every
row); the queue and the per-skill breakdown are one key away. The ids a figure counts come
from the read model and are read again every second (overdue and due soon move with time),
except while the table is frozen (no rows leaving)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.binding import Binding, BindingType

from engine.core.views import Figure
from engine.status import FeedState, FeedStatus
from tui.screens.queue import QueueScreen
from tui.screens.skills import SkillsScreen
from tui.screens.storage_actions import StorageActions
from tui.widgets.conversation_table import EMPTY, FIRST_SNAPSHOT, NOT_CONNECTED, STALE
from tui.widgets.data_bar import FIGURE_KEYS, LABELS, QUEUE_KEY, SKILLS_KEY, DataBar

SHOWN = {
    Figure.OVERDUE: "overdue conversations",
    Figure.DUE_SOON: "conversations due within 30 s",
    Figure.WAITING: "conversations with a deadline running",
    Figure.HELD: "held conversations",
    Figure.IN_FLIGHT: "conversations being unassigned",
}


def empty_text(status: FeedStatus, synced_once: bool) -> str:
    """What an empty table means: that nothing waits only while the feed is live."""
    if status.state is FeedState.LIVE:
        return EMPTY
    if status.state is FeedState.CONNECTING or not synced_once:
        return FIRST_SNAPSHOT
    if status.state is FeedState.STALE:
        return STALE
    return NOT_CONNECTED


class FigureActions(StorageActions):
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, f"figure('{figure}')", LABELS[figure][0], show=False,
                    id=f"only-{figure}", tooltip=f"Show only {SHOWN[figure]} ({key} again: all)")
            for figure, key in FIGURE_KEYS.items()
        ),
        Binding(QUEUE_KEY, "queue", "Queue", show=False, id="queue",
                tooltip="The queue per skill, and what became of each returned conversation"),
        Binding(SKILLS_KEY, "skills", "Skills", show=False, id="skills",
                tooltip="Per skill: waiting, due soon, unassigned, agents by presence"),
    ]  # fmt: skip

    _feed_status: Callable[[], FeedStatus]
    _figure: Figure | None = None
    _synced_once = False

    @property
    def figure(self) -> Figure | None:
        """The figure the table is filtered by."""
        return self._figure

    def figure_title(self) -> str:
        """The filter by a figure, for the table's title."""
        if self._figure is None:
            return ""
        key = FIGURE_KEYS[self._figure]
        return f" · only {SHOWN[self._figure]} ({key} shows all)"

    def figure_filter_changed(self) -> None:
        """The screen shows which filter is in force."""

    def refresh_figures(self, status: FeedStatus) -> None:
        """Every second: the data bar, the figure's rows, what an empty table says."""
        now, read, table = self._clock.now(), self._read, self.table
        figures = read.figures(now)
        self.query_one(DataBar).show(figures, read.unassigns_per_minute(now), self._figure)
        self._synced_once = self._synced_once or status.state is FeedState.LIVE
        table.say_when_empty(empty_text(status, self._synced_once))
        if self._figure is not None and not table.frozen:
            table.show_only(read.figure_ids(self._figure, now))

    def action_figure(self, name: str) -> None:
        figure = Figure(name)
        self._figure = None if figure is self._figure else figure
        now = self._clock.now()
        only = self._read.figure_ids(self._figure, now) if self._figure is not None else None
        self.table.show_only(only)
        self.query_one(DataBar).show_active(self._figure)
        self.figure_filter_changed()

    def action_queue(self) -> None:
        screen = QueueScreen(self._read, self._clock, self._feed_status, self.give_back)
        self.app.push_screen(screen)

    def action_skills(self) -> None:
        self.app.push_screen(SkillsScreen(self._read, self._clock, self._feed_status))
