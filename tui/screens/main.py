"""The floor: header, conversation table, agents, event log; and the supervisor's commands."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from engine.core import SetDryRun, SetPolicy
from engine.core.audit import AuditEvent, AuditType
from engine.core.model import AgentId, ConvId
from engine.core.policy import Policy
from engine.core.ports import Clock
from engine.core.preview import PolicyPreview
from engine.core.views import AgentView
from engine.service import FloorService
from engine.status import FeedStatus
from tui.notices import notices
from tui.screens.agent_view_actions import AgentViewActions, agents_title
from tui.screens.confirm import ConfirmModal
from tui.screens.detail import DetailScreen
from tui.screens.help_topics import Topic, floor_topics
from tui.screens.row_actions import AGENT_ACTIONS, ROW_ACTIONS
from tui.screens.storage_actions import SAVE_ACTION
from tui.screens.thresholds import ThresholdsScreen
from tui.summary import summarize
from tui.text import plain, safe
from tui.widgets.agents_view import AgentsView
from tui.widgets.column_header import ColumnHeader
from tui.widgets.conversation_table import ConversationTable
from tui.widgets.data_bar import DataBar
from tui.widgets.event_log import EventLog
from tui.widgets.floor_footer import FloorFooter
from tui.widgets.floor_header import FloorHeader

BATCH_SECONDS = 0.2
MIN_SIZE = (60, 15)
MAX_LEFT_REASONS = 1000
LEFT_BECAUSE = {AuditType.UNASSIGN_CONFIRMED: "unassigned", AuditType.UNASSIGN_RACED: "answered"}
"""Why a conversation left the table, as the audit events the screen hears tell it."""


class MainScreen(AgentViewActions):
    """Reads the read model, sends commands; every rule stays in the engine."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "detail", "Detail", id="detail",
                tooltip="The selected conversation in full: its deadline, history and audit"),
        Binding("t", "thresholds", "Thresholds", id="thresholds",
                tooltip="Edit the thresholds per skill and agent state"),
        Binding("d", "dry_run", "Dry run", id="dry-run",
                tooltip="Turn dry run on or off (asks first)"),
        Binding("s", "sort", "Sort", id="sort", tooltip="Sort by the next column"),
        Binding("S", "reverse_sort", "Reverse", id="sort-reverse",
                tooltip="Reverse the sort order"),
        Binding("f", "freeze", "Freeze", id="freeze",
                tooltip="Freeze the table: no re-sorting, no rows leaving (f resumes)"),
        Binding("f", "unfreeze", "Resume", id="unfreeze",
                tooltip="Resume re-sorting, and let rows that left go"),
    ]  # fmt: skip

    def __init__(
        self, service: FloorService, clock: Clock, feed_status: Callable[[], FeedStatus]
    ) -> None:
        super().__init__(service, clock)
        self._feed_status = feed_status
        self._events: deque[AuditEvent] = deque()
        self._left_because: dict[ConvId, str] = {}
        self._table = ConversationTable(clock, id="table")
        self._agents_shown: Sequence[AgentView] | None = None
        self._overdue_shown: dict[AgentId, int] = {}
        self._keys_shown: tuple[bool, bool | None] | None = None
        self._said = ""
        service.subscribe(self._events.append)

    def compose(self) -> ComposeResult:
        yield FloorHeader()
        yield DataBar(id="data-bar")
        with Vertical(id="conversations"):
            yield ColumnHeader()
            yield self._table
            yield self._filter
        with Horizontal(id="bottom"):
            yield AgentsView(self._clock, id="agents")
            yield EventLog(names=self._read.agent_name, id="events")
        yield Static(
            f"The terminal is too small: Floorwatch needs {MIN_SIZE[0]}x{MIN_SIZE[1]}.",
            id="too-small",
            markup=False,
        )
        yield FloorFooter()

    def on_mount(self) -> None:
        self.agents_view.border_title = agents_title(self.agents_view.sort)
        self.query_one("#events").border_title = "Events"
        table = self.table
        self._read.take_changed()
        views = (self._read.conversation(c) for c in self._read.watched_ids())
        table.load(view for view in views if view is not None)
        table.focus()
        self._poll()
        self.update_title()
        self.set_interval(BATCH_SECONDS, self.apply_feed)
        self.set_interval(1.0, self._poll)

    @property
    def table(self) -> ConversationTable:
        return self._table

    def help_topics(self) -> list[Topic]:
        """What help explains of this screen besides its keys."""
        return floor_topics(self.table, self.query_one(FloorHeader))

    def unassigns_in_flight(self) -> int:
        """Unassigns under way, as of now (the engine's figure)."""
        return self._read.figures(self._clock.now()).in_flight

    # ------------------------------------------------------------------ reading

    def apply_feed(self) -> None:
        """Everything that changed since the last batch: one re-sort, one repaint, new events."""
        batch = [self._events.popleft() for _ in range(len(self._events))]
        for event in batch:
            if event.conv is not None and event.type in LEFT_BECAUSE:
                self._left_because[event.conv] = LEFT_BECAUSE[event.type]
        while len(self._left_because) > MAX_LEFT_REASONS:
            del self._left_because[next(iter(self._left_because))]
        changed = self._read.take_changed()
        if changed:
            views = {c: self._read.conversation(c) for c in changed}
            for conv_id in (c for c, view in views.items() if view is not None):
                self._left_because.pop(conv_id, None)
            self.table.apply(views)
            self.update_title()
            self._poll()  # the header counts the same rows as the title, at the same moment
        if batch:
            self.query_one(EventLog).add(batch)
            self._toast(batch)
            for screen in self.app.screen_stack:
                if isinstance(screen, DetailScreen):
                    screen.hear(batch)

    def _poll(self) -> None:
        """Agents, the header's figures and the feed status: every second and after a command.
        The read model hands back the same agents while none changed: then nothing here
        looks at them, so an idle poll costs the same on any floor."""
        agents = self._read.agents()
        overdue = self._read.overdue_by_agent(self._clock.now())
        header = self.query_one(FloorHeader)
        if agents is not self._agents_shown or overdue != self._overdue_shown:
            self._agents_shown, self._overdue_shown = agents, overdue
            self.agents_view.show(agents, overdue)
            held = frozenset(a.agent_id for a in agents if a.held)
            if held != self._held_agents:
                self._held_agents = held
                self.refresh_bindings()
            header.summary = summarize(self.table.total, agents)
        elif header.summary is None or header.summary.watched != self.table.total:
            header.summary = summarize(self.table.total, agents)
        header.feed = status = self._feed_status()
        header.dry_run = self._read.dry_run
        header.role = self._service.role
        self.refresh_figures(status)
        self.watch_storage()

    def _say(self, text: str) -> None:
        """The status line, under the table: what happened to the selection (set only when
        it changes: a new subtitle repaints the whole panel)."""
        if text != self._said:
            self._said = text
            self.query_one("#conversations").border_subtitle = plain(text)

    def _toast(self, batch: Sequence[AuditEvent]) -> None:
        """Failures and the supervisor's own unassigns (`tui.notices`): never automatic ones.
        They replace the toasts shown before (all of them are in the event log)."""
        found = notices(batch, self._read.agent_name)
        if found:
            self.app.clear_notifications()
        for notice in found:
            self.notify(notice.text, title=notice.title, severity=notice.severity, markup=False)

    # ------------------------------------------------------------------ commands

    def after_command(self) -> None:
        self.apply_feed()
        self._poll()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ROW_ACTIONS or action in AGENT_ACTIONS:
            return super().check_action(action, parameters)
        if action in {"freeze", "unfreeze"}:
            return self.table.frozen == (action == "unfreeze")
        if action == "close_filter":
            return super().check_action(action, parameters)
        if action == SAVE_ACTION:
            return self.storage_action_allowed()
        return True

    def action_thresholds(self) -> None:
        def answer(policy: Policy | None) -> None:
            if policy is not None:
                self._send(SetPolicy(policy=policy, by=self._by))

        def preview(policy: Policy) -> PolicyPreview:
            return self._service.preview.policy(policy, self._clock.now())

        screen = ThresholdsScreen(self._read.policy, self._read.skills(), preview)
        self.app.push_screen(screen, answer)

    def action_detail(self) -> None:
        view = self.table.cursor
        if view is not None:
            screen = DetailScreen(view.conv_id, self._read, self._service.audit_of, self._clock)
            self.app.push_screen(screen)

    def action_dry_run(self) -> None:
        on = not self._read.dry_run
        question = (
            "Turn dry run on? The engine will decide and record unassigns, and send none."
            if on
            else "Turn dry run off? The engine will unassign conversations for real."
        )

        def answer(yes: bool | None) -> None:
            if yes:
                self._send(SetDryRun(on=on, by=self._by))

        self.app.push_screen(ConfirmModal(question, yes="On" if on else "Off"), answer)

    def action_sort(self) -> None:
        self.table.cycle_sort()

    def action_reverse_sort(self) -> None:
        self.table.reverse_sort()

    def action_sort_by(self, column: str, reverse: bool = False) -> None:
        self.table.sort_by(column, reverse)

    def action_freeze(self) -> None:
        self._set_frozen(True)

    def action_unfreeze(self) -> None:
        self._set_frozen(False)

    def _set_frozen(self, frozen: bool) -> None:
        self.table.freeze(frozen)
        self.update_title()
        self.refresh_bindings()

    # ------------------------------------------------------------------ events

    @on(ConversationTable.CursorMoved)
    def _cursor_moved(self) -> None:
        self._say("")
        keys = self._keys_for_cursor()
        if keys != self._keys_shown:  # the footer's keys are laid out again only if they change
            self._keys_shown = keys
            self.refresh_bindings()

    def _keys_for_cursor(self) -> tuple[bool, bool | None]:
        """What the row keys depend on: a selection, and whether its agent is held."""
        view = self.table.cursor
        if view is None:
            return (False, None)
        return (True, view.agent in self._held_agents if view.agent is not None else None)

    @on(ConversationTable.RowLeft)
    def _row_left(self, event: ConversationTable.RowLeft) -> None:
        if not event.gone:
            self._say(f"{safe(event.conv_id)} no longer matches the filter")
            return
        because = self._left_because.get(event.conv_id)
        self._say(f"{safe(event.conv_id)} left the table" + (f" ({because})" if because else ""))
        self.refresh_bindings()

    @on(ConversationTable.SortChanged)
    def _sort_changed(self, event: ConversationTable.SortChanged) -> None:
        header = self.query_one(ColumnHeader)
        header.sort_column, header.reverse = event.column, event.reverse

    def on_resize(self, event: events.Resize) -> None:
        width, height = MIN_SIZE
        self.set_class(event.size.width < width or event.size.height < height, "-too-small")
