"""The floor the UI tests run on: the real engine, service and link session, fed events, on
a frozen clock. The platform's side is played here: the session's GetClock requests are
answered at once, and its unassigns are remembered (never answered)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from textual.content import Content
from textual.message import Message
from textual.notifications import Notification, Notify
from textual.widget import Widget

from engine.core import (
    Action,
    ActionFailed,
    AgentChanged,
    AgentState,
    AuditEvent,
    ConversationChanged,
    ConversationGone,
    Engine,
    FeedEvent,
    FeedStale,
    LastMessage,
    Policy,
    Status,
)
from engine.link.output import SessionOutput
from engine.link.session import LinkSession
from engine.protocol import GET_CLOCK, normalize_type
from engine.service import FloorService, Persistence
from engine.status import FeedStatus
from tui.app import FloorwatchApp
from tui.clock import FrozenClock
from tui.screens.main import MainScreen
from tui.widgets.conversation_table import ConversationTable
from tui.widgets.event_log import EventLog

T0 = 1_700_000_000.0
"""22:13:20 UTC: the frozen clock's start."""
POLICY = {
    "online": 120,
    "away": 60,
    "offline": 30,
    "skills": {"billing": {"online": 300, "away": None}},
}
AGENTS = (
    AgentChanged("a1", AgentState.ONLINE, T0 - 600, "Ana"),
    AgentChanged("a2", AgentState.AWAY, T0 - 90, "Ben"),
    AgentChanged("a3", AgentState.OFFLINE, T0 - 20, "Cleo"),
    AgentChanged("a4", AgentState.BACK_SOON, T0 - 30, "Dev"),
    AgentChanged("b1", AgentState.ONLINE, T0 - 900, "Helper", bot=True),
)
WAITING = (
    # conversation, skill, agent, seconds the consumer has waited
    ("c1", "sales", "a1", 100),  # online 120: 20 s left (under half)
    ("c2", "sales", "a2", 55),  # away 60: 5 s left
    ("c3", "billing", "a1", 30),  # billing online 300: 270 s left
    ("c4", "billing", "a2", 10),  # billing away: off
    ("c5", "support", "a3", 28),  # offline 30: 2 s left
    ("c6", "sales", "a4", 10),  # back soon = away 60: 50 s left
    ("c7", "sales", "a1", 5),  # online 120: 115 s left
    ("c8", "support", "b1", 40),  # a bot: never watched
    ("c9", "sales", "a9", 15),  # nobody knows a9's state yet
)


def waiting(
    conv_id: str, skill: str, agent: str | None, since: float, seq: int = 1
) -> ConversationChanged:
    """A conversation whose newest message is the consumer's, sent at `since`."""
    return ConversationChanged(
        conv_id,
        metadata_ts=since - 100,
        skill=skill,
        agent=agent,
        consumer=f"consumer-{conv_id}",
        open=True,
        last_message=LastMessage(seq, since, from_consumer=True),
    )


class RecordingActions(LinkSession):
    """The real link session, remembering every unassign the engine sends through it."""

    def __init__(self) -> None:
        super().__init__(brand_id="12345678", request_timeout=float("inf"))
        self.sent: list[Action] = []

    def send_unassign(self, action: Action) -> SessionOutput:
        self.sent.append(action)
        return super().send_unassign(action)


class HarnessService(FloorService):
    """The service, plus the link's news said by name (what a test makes happen)."""

    def feed_stale(self, now: float, detail: str) -> None:
        self.apply([FeedStale(detail)], now)

    def action_failed(self, action: Action, error: str, now: float) -> None:
        self.apply([ActionFailed(action, error)], now)


@dataclass
class Floor:
    clock: FrozenClock
    engine: Engine
    service: HarnessService
    actions: RecordingActions
    audit: list[AuditEvent] = field(default_factory=list)
    known: dict[str, ConversationChanged] = field(default_factory=dict)
    """Each conversation as the feed last showed it (what `route` changes)."""

    def feed(self, *events: FeedEvent) -> None:
        for event in events:
            if isinstance(event, ConversationChanged):
                self.known[event.conv_id] = event
            elif isinstance(event, ConversationGone):
                self.known.pop(event.conv_id, None)
        self.service.apply(events, self.clock.now())

    def route(self, conv_id: str, agent: str | None) -> None:
        """Routing gives a known open conversation to `agent` (None: back to the queue, as
        after an unassign); its newest message stays the one the feed showed."""
        before = self.known[conv_id]
        metadata_ts = max(before.metadata_ts, self.clock.now())
        self.feed(replace(before, agent=agent, metadata_ts=metadata_ts))

    def answer(self, conv_id: str) -> None:
        """The agent answers: the newest message is theirs, so nothing waits."""
        before = self.known[conv_id]
        sequence = before.last_message.sequence + 1 if before.last_message is not None else 1
        message = LastMessage(sequence, self.clock.now(), from_consumer=False)
        self.feed(replace(before, last_message=message))

    def advance(self, seconds: float) -> None:
        """Time passes; a freshness barrier completes, so the engine acts on what is due."""
        self.clock.advance(seconds)
        now = self.clock.now()
        self.service.apply([], now)
        self.answer_clock(self.actions.start_barrier(now).writes)

    def answer_clock(self, writes: Iterable[str] = ()) -> None:
        """Answer every GetClock the session sent (in `writes` or through the service) at
        once, at the platform's time `now`."""
        pending = [*writes, *self.service.take_writes()]
        while pending:
            for frame in pending:
                request = json.loads(frame)
                if normalize_type(request["type"]) == GET_CLOCK:
                    now = self.clock.now()
                    body = {"currentTime": round(now * 1000)}
                    answer = {"kind": "resp", "reqId": request["id"], "code": 200, "body": body}
                    self.service.receive(json.dumps({**answer, "type": "GetClockResponse"}), now)
            pending = self.service.take_writes()

    def app(self, feed: FeedStatus | None = None) -> FloorwatchApp:
        status = (lambda: feed) if feed is not None else None
        return FloorwatchApp(self.service, self.clock, feed_status=status)

    def types(self) -> list[str]:
        return [str(event.type) for event in self.audit]


def make_floor(store: Persistence | None = None) -> Floor:
    """The floor of the UI tests; with `store`, its audit goes to that data file."""
    clock = FrozenClock(T0)
    engine = Engine(Policy.from_mapping(POLICY))
    actions = RecordingActions()
    service = HarnessService(engine, actions, store=store)
    floor = Floor(clock, engine, service, actions)
    service.subscribe(floor.audit.append)
    floor.feed(*AGENTS)
    floor.feed(*(waiting(c, skill, agent, T0 - age) for c, skill, agent, age in WAITING))
    service.connected(T0)
    floor.answer_clock()
    floor.audit.clear()
    return floor


def main_screen(app: FloorwatchApp) -> MainScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    return screen


def table(app: FloorwatchApp) -> ConversationTable:
    return main_screen(app).table


def rows(app: FloorwatchApp) -> list[str]:
    """The table's visible lines as text, as painted now."""
    conversations = table(app)
    lines = (conversations.render_line(y).text for y in range(conversations.size.height))
    return [line.rstrip() for line in lines if line.strip()]


def row(app: FloorwatchApp, conv_id: str) -> str:
    """The painted line of one conversation (it must be visible)."""
    found = [line for line in rows(app) if line.split()[0] == conv_id]
    assert found, f"{conv_id} is not shown"
    return found[0]


def shown(app: FloorwatchApp) -> list[str]:
    """Conversation ids in the order shown."""
    return list(table(app).order)


def toasts(messages: list[Message]) -> list[Notification]:
    return [m.notification for m in messages if isinstance(m, Notify)]


def text_of(widget: Widget) -> str:
    """What a widget shows, as plain text."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


def events_text(app: FloorwatchApp) -> str:
    """The event log's lines."""
    return "\n".join(main_screen(app).query_one(EventLog).lines)


def cursor_id(app: FloorwatchApp) -> str | None:
    """The conversation under the table's cursor."""
    view = table(app).cursor
    return view.conv_id if view is not None else None


def status(floor: Floor, conv_id: str) -> Status:
    view = floor.engine.read.conversation(conv_id)
    assert view is not None, f"{conv_id} is not watched"
    return view.status


def status_line(app: FloorwatchApp) -> str:
    """The status line under the table: what happened to the selection."""
    return border_text(main_screen(app).query_one("#conversations"), "subtitle")


def title(app: FloorwatchApp) -> str:
    """The table's title: counts, filter, and whether it is frozen."""
    return border_text(main_screen(app).query_one("#conversations"), "title")


def border_text(widget: Widget, which: str) -> str:
    """A border title or subtitle as drawn, plain. (The public getter gives markup, and not
    always markup that parses back: Textual draws the `Content` it keeps, read here.)"""
    content = getattr(widget, f"_border_{which}")
    assert content is None or isinstance(content, Content)
    return content.plain if content is not None else ""
