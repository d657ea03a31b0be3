"""The floor: header, conversation table, agents, event log; and the supervisor's commands."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from engine.core import (
    Command,
    Extend,
    Hold,
    HoldAgent,
    Release,
    ReleaseAgent,
    SetDryRun,
    SetPolicy,
    UnassignNow,
)
from engine.core.audit import AuditEvent, AuditType
from engine.core.model import AgentId
from engine.core.policy import Policy
from engine.core.ports import Clock
from engine.service import FloorService
from engine.status import FeedStatus
from tui.screens.confirm import ConfirmModal
from tui.screens.prompt import NumberPrompt
from tui.screens.thresholds import ThresholdsScreen
from tui.summary import RecentUnassigns, in_flight, summarize
from tui.widgets.agents_panel import AgentsPanel
from tui.widgets.column_header import ColumnHeader
from tui.widgets.conversation_table import ConversationTable
from tui.widgets.event_log import EventLog
from tui.widgets.floor_header import FloorHeader

BATCH_SECONDS = 0.2
MIN_SIZE = (60, 15)
MAX_TOASTS = 3
ROW_ACTIONS = frozenset({"unassign_now", "hold", "hold_for", "extend", "release"})


class MainScreen(Screen[None]):
    """Reads the read model, sends commands; every rule stays in the engine."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "unassign_now", "Unassign", id="unassign-now",
                tooltip="Unassign the selected conversation now (asks first)"),
        Binding("h", "hold", "Hold", id="hold",
                tooltip="Hold the selected conversation until released"),
        Binding("H", "hold_for", "Hold for…", id="hold-for",
                tooltip="Hold the selected conversation for a number of minutes"),
        Binding("e", "extend", "Extend", id="extend",
                tooltip="Add seconds to the selected conversation's deadline"),
        Binding("r", "release", "Release", id="release",
                tooltip="Clear the selected conversation's hold and extension"),
        Binding("a", "hold_agent", "Hold agent", id="hold-agent",
                tooltip="Hold every conversation of the selected row's agent"),
        Binding("a", "release_agent", "Release agent", id="release-agent",
                tooltip="Release the hold on the selected row's agent"),
        Binding("t", "thresholds", "Thresholds", id="thresholds",
                tooltip="Edit the thresholds per skill and agent state"),
        Binding("d", "dry_run", "Dry run", id="dry-run",
                tooltip="Turn dry run on or off (asks first)"),
        Binding("slash", "filter", "Filter", key_display="/", id="filter",
                tooltip="Filter by agent, skill, conversation or state as you type"),
        Binding("s", "sort", "Sort", id="sort", tooltip="Sort by the next column"),
        Binding("S", "reverse_sort", "Reverse", id="sort-reverse",
                tooltip="Reverse the sort order"),
        Binding("escape", "close_filter", "Clear filter", show=False, id="filter-clear",
                tooltip="Clear the filter and go back to the table"),
    ]  # fmt: skip

    def __init__(
        self, service: FloorService, clock: Clock, feed_status: Callable[[], FeedStatus]
    ) -> None:
        super().__init__()
        self._service = service
        self._read = service.read
        self._clock = clock
        self._feed_status = feed_status
        self._events: deque[AuditEvent] = deque()
        self._recent = RecentUnassigns()
        self._held_agents: frozenset[AgentId] = frozenset()
        self._table = ConversationTable(clock, id="table")
        self._filter = Input(
            placeholder="filter: agent, skill, conversation or state", id="filter", compact=True
        )
        service.subscribe(self._events.append)

    def compose(self) -> ComposeResult:
        yield FloorHeader()
        with Vertical(id="conversations"):
            yield ColumnHeader()
            yield self._table
            yield self._filter
        with Horizontal(id="bottom"):
            yield AgentsPanel(self._clock, id="agents")
            yield EventLog(id="events")
        yield Static(
            f"The terminal is too small: Floorwatch needs {MIN_SIZE[0]}x{MIN_SIZE[1]}.",
            id="too-small",
        )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#agents").border_title = "Agents: state, for, open/waiting"
        self.query_one("#events").border_title = "Events"
        table = self.table
        self._read.take_changed()
        views = (self._read.conversation(c) for c in self._read.watched_ids())
        table.load(view for view in views if view is not None)
        table.focus()
        self._poll()
        self._update_title()
        self.set_interval(BATCH_SECONDS, self.apply_feed)
        self.set_interval(1.0, self._poll)

    @property
    def table(self) -> ConversationTable:
        return self._table

    def unassigns_in_flight(self) -> int:
        """Unassigns under way, as of now."""
        self.apply_feed()
        return in_flight(self.table.views())

    # ------------------------------------------------------------------ reading

    def apply_feed(self) -> None:
        """Everything that changed since the last batch: one re-sort, one repaint, new events."""
        changed = self._read.take_changed()
        if changed:
            self.table.apply({c: self._read.conversation(c) for c in changed})
            self._update_title()
        batch = [self._events.popleft() for _ in range(len(self._events))]
        if batch:
            for event in batch:
                self._recent.record(event)
            self.query_one(EventLog).add(batch)
            self._toast(batch)

    def _poll(self) -> None:
        """Agents, the header's figures and the feed status: every second and after a command."""
        agents = self._read.agents()
        self.query_one(AgentsPanel).show(agents)
        held = frozenset(a.agent_id for a in agents if a.held)
        if held != self._held_agents:
            self._held_agents = held
            self.refresh_bindings()
        header = self.query_one(FloorHeader)
        header.summary = summarize(self.table.views(), agents, self._recent, self._clock.now())
        header.feed = self._feed_status()
        header.dry_run = self._read.dry_run

    def _update_title(self) -> None:
        table = self.table
        title = f"Conversations {table.shown} of {table.total}"
        query = self._filter.value.strip()
        if query:
            title += f" matching “{query}”"
        self.query_one("#conversations").border_title = title

    def _toast(self, batch: Sequence[AuditEvent]) -> None:
        """A toast per confirmed or failed unassign (one in all for a flood)."""
        toasts: tuple[tuple[AuditType, str, SeverityLevel], ...] = (
            (AuditType.UNASSIGN_CONFIRMED, "Unassigned", "information"),
            (AuditType.UNASSIGN_FAILED, "Unassign failed", "error"),
        )
        for kind, title, severity in toasts:
            found = [e for e in batch if e.type is kind]
            if len(found) > MAX_TOASTS:
                self.notify(f"{len(found)} conversations", title=title, severity=severity)
                continue
            for event in found:
                text = f"{event.conv} from {event.agent} ({event.reason})"
                if event.detail:
                    text += f": {event.detail}"
                self.notify(text, title=title, severity=severity, markup=False)

    # ------------------------------------------------------------------ commands

    def _send(self, command: Command) -> None:
        """Send one command through the service; a refusal becomes an error toast."""
        refused = self._service.execute(command, self._clock.now())
        if refused is not None:
            self.notify(refused.reason, title="Not done", severity="error", markup=False)
        self.apply_feed()
        self._poll()

    @property
    def _by(self) -> str:
        return self._service.supervisor

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.table.cursor
        if action in ROW_ACTIONS:
            return True if view is not None else None
        if action in {"hold_agent", "release_agent"}:
            if view is None or view.agent is None:
                return None if action == "hold_agent" else False
            held = view.agent in self._held_agents
            return held if action == "release_agent" else not held
        if action == "close_filter":
            return self._filter.display
        return True

    def action_unassign_now(self) -> None:
        view = self.table.cursor
        if view is None:
            return
        conv_id = view.conv_id
        question = f"Unassign {conv_id} from {view.agent} now? It goes back to the queue."
        if self._read.dry_run:
            question += "\nDry run is on: it is recorded, not sent."

        def answer(yes: bool | None) -> None:
            if yes:
                self._send(UnassignNow(conv=conv_id, by=self._by))

        self.app.push_screen(ConfirmModal(question, yes="Unassign"), answer)

    def action_hold(self) -> None:
        view = self.table.cursor
        if view is not None:
            conv_id = view.conv_id
            self._send(Hold(conv=conv_id, by=self._by))

    def action_hold_for(self) -> None:
        view = self.table.cursor
        if view is None:
            return
        conv_id = view.conv_id

        def answer(minutes: float | None) -> None:
            if minutes is not None:
                until = self._clock.now() + minutes * 60
                self._send(Hold(conv=conv_id, until=until, by=self._by))

        self.app.push_screen(NumberPrompt(f"Hold {conv_id} for how many minutes?", 15), answer)

    def action_extend(self) -> None:
        view = self.table.cursor
        if view is None:
            return
        conv_id = view.conv_id

        def answer(seconds: float | None) -> None:
            if seconds is not None:
                self._send(Extend(conv=conv_id, seconds=seconds, by=self._by))

        prompt = NumberPrompt(f"Extend {conv_id}'s deadline by how many seconds?", 60)
        self.app.push_screen(prompt, answer)

    def action_release(self) -> None:
        view = self.table.cursor
        if view is not None:
            conv_id = view.conv_id
            self._send(Release(conv=conv_id, by=self._by))

    def action_hold_agent(self) -> None:
        view = self.table.cursor
        if view is not None and view.agent is not None:
            agent = view.agent
            self._send(HoldAgent(agent=agent, by=self._by))

    def action_release_agent(self) -> None:
        view = self.table.cursor
        if view is not None and view.agent is not None:
            agent = view.agent
            self._send(ReleaseAgent(agent=agent, by=self._by))

    def action_thresholds(self) -> None:
        skills = {v.skill for v in self.table.views() if v.skill is not None}

        def answer(policy: Policy | None) -> None:
            if policy is not None:
                self._send(SetPolicy(policy=policy, by=self._by))

        self.app.push_screen(ThresholdsScreen(self._read.policy, skills), answer)

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

    def action_filter(self) -> None:
        self._filter.display = True
        self._filter.focus()
        self.refresh_bindings()

    def action_close_filter(self) -> None:
        self._filter.value = ""
        self._filter.display = False
        self.table.focus()
        self.refresh_bindings()

    def action_sort(self) -> None:
        self.table.cycle_sort()

    def action_reverse_sort(self) -> None:
        self.table.reverse_sort()

    def action_sort_by(self, column: str) -> None:
        self.table.sort_by(column)

    # ------------------------------------------------------------------ events

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.filter(event.value)
        self._update_title()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.input.display = bool(event.value.strip())
        self.table.focus()

    @on(ConversationTable.CursorMoved)
    def _cursor_moved(self) -> None:
        self.refresh_bindings()

    @on(ConversationTable.SortChanged)
    def _sort_changed(self, event: ConversationTable.SortChanged) -> None:
        header = self.query_one(ColumnHeader)
        header.sort_column, header.reverse = event.column, event.reverse

    def on_resize(self, event: events.Resize) -> None:
        width, height = MIN_SIZE
        self.set_class(event.size.width < width or event.size.height < height, "-too-small")
