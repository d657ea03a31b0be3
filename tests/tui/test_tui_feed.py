"""The floor as the feed changes it: batches, toasts, the header, colours, size and scale."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest
from rich.style import Style
from textual.message import Message
from tui_harness import (
    T0,
    Floor,
    cursor_id,
    events_text,
    main_screen,
    make_floor,
    row,
    rows,
    shown,
    status,
    table,
    text_of,
    title,
    toasts,
    waiting,
)

from engine.core import (
    AgentChanged,
    AgentState,
    AuditEvent,
    AuditType,
    ConversationChanged,
    ConversationGone,
    Hold,
    Status,
)
from engine.core.model import ConvId
from engine.core.views import ConversationView
from engine.status import FeedState, FeedStatus
from tui.app import FloorwatchApp
from tui.widgets.conversation_table import ConversationTable
from tui.widgets.event_log import EventLog
from tui.widgets.floor_header import FloorHeader

SIZE = (120, 40)
BATCH_WAIT = 0.5


def header(app: FloorwatchApp) -> str:
    return text_of(main_screen(app).query_one(FloorHeader))


def countdown_style(conversations: ConversationTable, conv_id: ConvId, left: str) -> Style:
    """The style of the countdown cell of `conv_id`, which must read `left`."""
    line = conversations.render_line(conversations.order.index(conv_id))
    cells = [s for s in line if s.text.strip() == left]
    assert len(cells) == 1, line.text
    return cells[0].style or Style()


def component(conversations: ConversationTable, name: str) -> Style:
    return conversations.get_component_rich_style(f"conversation-table--{name}", partial=True)


async def test_feed_changes_are_applied_in_one_batch(
    floor: Floor, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    apply = ConversationTable.apply

    def counting(
        self: ConversationTable, changes: Mapping[ConvId, ConversationView | None]
    ) -> None:
        batches.append(len(changes))
        apply(self, changes)

    monkeypatch.setattr(ConversationTable, "apply", counting)
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        floor.feed(AgentChanged("a2", AgentState.ONLINE, T0))
        floor.feed(*(waiting(f"n{i}", "sales", "a1", T0 - i) for i in range(50)))
        assert "away" in row(app, "c2"), "nothing changes on screen before the batch"
        await pilot.pause(BATCH_WAIT)
        assert batches == [52], "two rows of a2 and fifty new ones: one batch"
        assert "online" in row(app, "c2")
        assert table(app).total == 58


async def test_a_closed_conversation_leaves_and_the_cursor_stays_in_place(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        assert shown(app)[:2] == ["c5", "c2"]
        floor.feed(ConversationGone("c5"))
        await pilot.pause(BATCH_WAIT)
        assert "c5" not in shown(app)
        assert cursor_id(app) == "c2"


async def test_a_confirmed_unassign_toasts_and_counts(floor: Floor) -> None:
    app = floor.app()
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        table(app).select("c3")
        await pilot.press("u", "y")
        gone = ConversationChanged("c3", T0 + 1, "billing", None, "consumer-c3", True, None)
        floor.feed(gone)
        await pilot.pause(BATCH_WAIT)
        assert floor.types()[-1] == "unassign.confirmed"
        confirmed = [t for t in toasts(seen) if t.title == "Unassigned"]
        assert len(confirmed) == 1 and confirmed[0].message == "c3 from Ana (a1) (manual)"
        assert "c3" not in shown(app), "back in the queue: no longer watched"
        assert "unassign.confirmed" in events_text(app)


async def test_a_failed_unassign_is_an_error_toast(floor: Floor) -> None:
    app = floor.app()
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        table(app).select("c3")
        await pilot.press("u", "y")
        floor.service.action_failed(floor.actions.sent[0], "HTTP 503", T0)
        await pilot.pause(BATCH_WAIT)
        errors = [t for t in toasts(seen) if t.severity == "error"]
        assert [t.title for t in errors] == ["Unassign failed"]
        assert "HTTP 503" in errors[0].message
        assert row(app, "c3").endswith("failed")
        assert status(floor, "c3") is Status.FAILED


async def test_header_figures(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE):
        text = header(app)
        assert "● LIVE  data as of 22:13:20" in text
        second = text.splitlines()[1]
        assert second.rstrip() == "8 watched · agents 1 online, 2 away, 1 offline · load 7.0"


async def test_stale_feed_shows_in_the_header_and_the_log(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        floor.clock.advance(4)
        floor.service.feed_stale(floor.clock.now(), "socket closed")
        await pilot.pause(1.2)
        assert "● STALE · unassigns paused  data as of 22:13:20" in header(app), "4 s ago"
        assert "feed.stale" in events_text(app) and "socket closed" in events_text(app)


@pytest.mark.parametrize(
    ("state", "label"),
    [
        (FeedState.CONNECTING, "○ CONNECTING · unassigns paused"),
        (FeedState.LIVE, "● LIVE"),
        (FeedState.STALE, "● STALE · unassigns paused"),
        (FeedState.RECONNECTING, "↻ RECONNECTING · unassigns paused"),
        (FeedState.STOPPED, "■ STOPPED · no unassigns"),
    ],
)
async def test_the_header_names_every_feed_state_the_link_gives(
    floor: Floor, state: FeedState, label: str
) -> None:
    app = floor.app(FeedStatus(state, T0 - 12))
    async with app.run_test(size=SIZE):
        assert f"{label}  data as of 22:13:08" in header(app)


async def test_the_header_says_why_the_link_is_down_and_when_it_retries(floor: Floor) -> None:
    reason = "cannot reach va.agentvep.liveperson.net (timed out)"
    app = floor.app(FeedStatus(FeedState.RECONNECTING, T0 - 31.5, reason, retry_in=7.2))
    async with app.run_test(size=(160, 45)):
        first = header(app).splitlines()[0]
        assert first == (
            f"Floorwatch  ↻ RECONNECTING: {reason}, retry in 8 s · unassigns paused"
            "  data as of 22:12:48"
        )


async def test_the_header_shows_the_links_detail(floor: Floor) -> None:
    app = floor.app(FeedStatus(FeedState.STOPPED, None, "login refused"))
    async with app.run_test(size=SIZE):
        assert "■ STOPPED: login refused · no unassigns  no data yet" in header(app)


async def test_a_header_line_too_long_is_cut_not_wrapped(floor: Floor) -> None:
    app = floor.app(FeedStatus(FeedState.RECONNECTING, T0 - 31.5, "connection reset by peer"))
    async with app.run_test(size=(80, 24)):
        first, second = header(app).splitlines()
        assert first.startswith("Floorwatch  ↻ RECONNECTING") and first.rstrip().endswith("…")
        assert second.startswith("8 watched · agents")


async def test_the_header_and_the_table_title_count_the_same_conversations(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        floor.feed(ConversationGone("c1"), ConversationGone("c2"))
        await pilot.pause(BATCH_WAIT)
        assert header(app).splitlines()[1].startswith("6 watched")
        assert title(app).startswith("6 watched")
        await pilot.press("slash", *"sales")
        await pilot.pause(BATCH_WAIT)
        assert header(app).splitlines()[1].startswith("6 watched")
        assert title(app).startswith("6 watched, 3 shown")


async def test_the_per_second_poll_reads_no_row(
    floor: Floor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header and the data bar read the engine's kept figures: nothing each second goes
    over every conversation of the table."""
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(BATCH_WAIT)

        def scanned(_table: ConversationTable) -> Iterator[ConversationView]:
            raise AssertionError("a per-second figure went over every row")

        monkeypatch.setattr(ConversationTable, "views", scanned)
        floor.clock.advance(2)
        await pilot.pause(2.2)
        assert header(app).splitlines()[1].startswith("8 watched")


async def test_countdowns_are_coloured_by_urgency(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        conversations = table(app)
        table(app).select("c9")
        await pilot.pause()
        expected = (("c3", "4:30", "plenty"), ("c1", "0:20", "half"), ("c5", "0:02", "soon"))
        for conv_id, left, urgency in expected:
            style = countdown_style(conversations, conv_id, left)
            assert style.color == component(conversations, urgency).color, conv_id
        floor.clock.advance(3)
        style = countdown_style(conversations, "c5", "-0:01")
        assert style.bgcolor == component(conversations, "overdue").bgcolor


async def test_held_rows_are_dimmed(floor: Floor) -> None:
    floor.service.execute(Hold(conv="c1", by="supervisor"), T0)
    app = floor.app()
    async with app.run_test(size=SIZE):
        conversations = table(app)
        y = conversations.order.index("c1")
        assert all(s.style is not None and s.style.dim for s in conversations.render_line(y))


async def test_a_terminal_too_small_shows_a_message(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=(50, 12)) as pilot:
        screen = main_screen(app)
        assert screen.query_one("#too-small").display
        assert not screen.query_one("#conversations").display
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert not screen.has_class("-too-small")
        assert screen.query_one("#conversations").display
        assert rows(app)


async def test_a_hundred_thousand_conversations(monkeypatch: pytest.MonkeyPatch) -> None:
    floor = make_floor()
    floor.feed(*(waiting(f"x{i:06d}", "sales", "a1", T0 - i % 100) for i in range(100_000)))
    painted: list[int] = []
    render_line = ConversationTable.render_line

    def counting(self: ConversationTable, y: int) -> object:
        painted.append(y)
        return render_line(self, y)

    monkeypatch.setattr(ConversationTable, "render_line", counting)
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        conversations = table(app)
        assert conversations.total == 100_008
        assert len(rows(app)) == conversations.size.height
        painted.clear()
        floor.clock.advance(1)
        for _ in range(20):
            await pilot.pause(0.2)
            if painted:
                break
        height = conversations.size.height
        assert painted and set(painted) <= set(range(height)), "a tick paints visible rows only"
        assert "0:29" in row(app, "c5"), "c5 has waited 28 s, and one more"
        await pilot.press("end")
        assert cursor_id(app) == conversations.order[-1]
        await pilot.press("slash", *"x099999")
        assert shown(app) == ["x099999"]


async def test_a_flood_of_automatic_unassigns_is_logged_not_toasted(floor: Floor) -> None:
    app = floor.app()
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        floor.advance(55)
        decided = [a.conv_id for a in floor.actions.sent]
        assert decided == ["c5", "c2", "c1", "c6"]
        now = floor.clock.now()
        floor.feed(*(ConversationChanged(c, now, "sales", None, None, True, None) for c in decided))
        await pilot.pause(BATCH_WAIT)
        assert toasts(seen) == [], "automatic unassigns are counted and logged, never toasted"
        assert events_text(app).count("unassign.confirmed") == 4


async def test_the_event_log_keeps_the_newest_of_a_flood(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        log = main_screen(app).query_one(EventLog)
        log.add([AuditEvent(T0 + i, AuditType.FEED_FRESH, detail=f"#{i}") for i in range(250)])
        await pilot.pause()
        lines = events_text(app).splitlines()
        assert lines[0] == "… 50 earlier events (see the audit log)"
        assert len(lines) == 201 and "#249" in lines[-1]
