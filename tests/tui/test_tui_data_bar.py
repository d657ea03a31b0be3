"""The data bar (figures, filters, the trend of unassigns), the queue and skills views, calm
notices, and what an empty table says while the feed is not live."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import DataTable, Sparkline
from tui_harness import (
    T0,
    Floor,
    events_text,
    main_screen,
    make_floor,
    rows,
    shown,
    table,
    text_of,
    title,
    toasts,
)

from engine.core import AuditEvent, AuditType, ConversationGone, Hold, Reason
from engine.status import FeedState, FeedStatus
from tui.app import FloorwatchApp
from tui.notices import notices
from tui.screens.queue import QueueScreen
from tui.screens.skills import SkillsScreen
from tui.widgets.conversation_table import NOT_CONNECTED, STALE
from tui.widgets.data_bar import DataBar, FigureLine

SIZE = (160, 45)
BATCH_WAIT = 0.5
POLL_WAIT = 1.2
"""The data bar reads the figures once a second."""


def bar(app: FloorwatchApp) -> str:
    return text_of(main_screen(app).query_one(DataBar).query_one(FigureLine))


def trend(app: FloorwatchApp) -> str:
    data_bar = main_screen(app).query_one(DataBar)
    return " ".join(" ".join(text_of(w) for w in data_bar.query("Horizontal > Static")).split())


def cells(app: FloorwatchApp, table_id: str) -> list[list[str]]:
    found = app.screen.query_one(table_id, DataTable)
    return [[str(cell) for cell in found.get_row_at(y)] for y in range(found.row_count)]


def on_main(app: FloorwatchApp) -> bool:
    """The main screen is the one shown (a view opened over it was closed)."""
    return app.screen is main_screen(app)


def unassign_and_return(floor: Floor, seconds: float = 3.0) -> str:
    """c5 (offline, 2 s left) is unassigned when due; the platform takes it back to the queue."""
    floor.advance(seconds)
    conv = floor.actions.sent[0].conv_id
    floor.route(conv, None)
    return conv


# ---------------------------------------------------------------------- the figures


async def test_the_data_bar_counts_the_floor_with_the_key_of_each_figure(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        line = bar(app)
        for figure in ("1 Overdue 0", "2 Due in 30 s 3", "3 Waiting 6", "4 Held 0"):
            assert figure in line
        assert "5 In flight 0" in line and "6 Queue 0 (0 returned)" in line and "7 Skills" in line
        table(app).select("c7")
        await pilot.press("h")
        await pilot.pause(POLL_WAIT)
        assert "4 Held 1" in bar(app) and "3 Waiting 5" in bar(app)


async def test_the_data_bar_is_short_on_a_narrow_terminal(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert (
            bar(app).strip()
            == "1 Overdue 0 2 Due 30s 3 3 Wait 6 4 Held 0 5 Flight 0 6 Q 0/0 7 Skills"
        )
        assert "manual 0" in trend(app), "every reason fits at 80 columns"


async def test_a_figure_key_filters_the_table_and_the_same_key_clears_it(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        assert shown(app) == ["c5", "c2", "c1"]
        assert "only conversations due within 30 s (2 shows all)" in title(app)
        await pilot.press("4")
        assert shown(app) == [], "another figure replaces the filter"
        assert [line.strip() for line in rows(app)] == ["No conversation matches the filter."]
        await pilot.press("4")
        assert len(shown(app)) == 8 and "only" not in title(app)


async def test_the_filter_follows_the_figure_as_time_passes(floor: Floor) -> None:
    floor.service.feed_stale(T0, "no pong for 4 s")  # nothing is decided: rows stay overdue
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        assert shown(app) == []
        floor.clock.advance(3)
        await pilot.pause(POLL_WAIT)
        assert shown(app) == ["c5"], "c5 was due 2 s after T0"
        floor.clock.advance(3)
        await pilot.pause(POLL_WAIT)
        assert shown(app) == ["c5", "c2"]
        assert "1 Overdue 2" in bar(app)


async def test_the_filter_and_the_text_filter_apply_together(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "slash", *"sales", "enter")
        assert shown(app) == ["c2", "c1", "c6", "c7"]


# ---------------------------------------------------------------------- recent unassigns


async def test_an_automatic_unassign_is_counted_and_logged_not_toasted(floor: Floor) -> None:
    app = floor.app()
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        conv = unassign_and_return(floor)
        await pilot.pause(POLL_WAIT)
        assert toasts(seen) == []
        assert f"unassign.confirmed    {conv}" in events_text(app)
        assert "Unassigned 15 min 1" in trend(app) and "offline 1" in trend(app)
        spark = main_screen(app).query_one("#trend-offline", Sparkline)
        assert spark.data is not None and list(spark.data)[-1] == 1 and len(spark.data) == 60


async def test_failures_and_the_supervisors_own_unassigns_are_toasted(floor: Floor) -> None:
    app = floor.app()
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append, notifications=True) as pilot:
        table(app).select("c3")
        await pilot.press("u", "y")
        floor.route("c3", None)
        floor.advance(3)  # c5 is decided: its unassign fails
        floor.service.action_failed(floor.actions.sent[-1], "HTTP 503", floor.clock.now())
        await pilot.pause(BATCH_WAIT)
        assert [t.title for t in toasts(seen)] == ["Unassigned", "Unassign failed"]
        await pilot.pause(BATCH_WAIT)
        shown_toasts = list(app.screen.query("Toast"))
        assert shown_toasts, "the toasts are on screen"
        conversations = main_screen(app).query_one("#conversations").region
        for toast in shown_toasts:
            assert not toast.region.overlaps(conversations), "a toast never covers the table"


# ---------------------------------------------------------------------- the views


async def test_the_queue_view_follows_a_returned_conversation_until_it_is_routed(
    floor: Floor,
) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        conv = unassign_and_return(floor)
        await pilot.pause(BATCH_WAIT)
        await pilot.press("6")
        assert isinstance(app.screen, QueueScreen)
        assert cells(app, "#queue-skills") == [
            ["billing", "0", "0", "-", "1", "1", "0"],
            ["sales", "0", "0", "-", "1", "2", "0"],
            ["support", "1", "1", "0:00", "0", "0", "0"],
        ]
        [returned] = cells(app, "#queue-returns")
        assert returned == [conv, "support", "Cleo (a3)", "offline", "0:00 ago", "still waiting"]
        floor.clock.advance(5)
        floor.route(conv, "a1")
        await pilot.pause(POLL_WAIT)
        [returned] = cells(app, "#queue-returns")
        assert returned[-2:] == ["0:05 ago", "→ Ana (a1) after 0:05"]
        assert cells(app, "#queue-skills")[-1][:3] == ["support", "0", "0"]
        await pilot.press("escape")
        assert on_main(app)
        assert "6 Queue 0 (0 returned" in bar(app)


async def test_the_queue_view_says_capacity_is_not_in_the_feed(floor: Floor) -> None:
    app = floor.app(FeedStatus(FeedState.RECONNECTING, 3.0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        screen_text = "\n".join(text_of(w) for w in app.screen.query(".queue-note"))
        assert "Free capacity is not in the feed" in screen_text
        assert "RECONNECTING: figures as of the last data" in text_of(
            app.screen.query_one("#queue-title")
        )
        await pilot.press("6")
        assert on_main(app), "the key that opened it closes it"


async def test_the_skills_view_breaks_the_figures_down_per_skill(floor: Floor) -> None:
    floor.service.execute(Hold(conv="c7", by="supervisor"), T0)
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        assert isinstance(app.screen, SkillsScreen)
        by_skill = {row[0]: row[1:] for row in cells(app, "#skills-table")}
        # waiting, overdue, due in 30 s, held, in flight, unassigned, online, away, offline, queue
        assert by_skill["sales"] == ["3", "0", "2", "1", "0", "0", "1", "2", "0", "0"]
        assert by_skill["support"] == ["1", "0", "1", "0", "0", "0", "0", "0", "1", "0"]
        assert by_skill["billing"] == ["1", "0", "0", "0", "0", "0", "1", "1", "0", "0"]
        await pilot.press("escape")
        assert on_main(app)


# ---------------------------------------------------------------------- an empty table


def emptied() -> Floor:
    floor = make_floor()
    floor.feed(*(ConversationGone(c) for c in list(floor.known)))
    return floor


async def test_an_empty_table_says_what_is_known() -> None:
    cases = (
        (FeedStatus(FeedState.CONNECTING), "Waiting for the first snapshot of the floor"),
        (FeedStatus(FeedState.LIVE, 0.0), "No conversation is waiting for an agent's answer."),
    )
    for feed, expected in cases:
        app = emptied().app(feed)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert rows(app)[0].strip().startswith(expected), feed


async def test_an_empty_table_says_not_connected_once_the_link_is_down() -> None:
    feed = FeedStatus(FeedState.LIVE, 0.0)
    floor = emptied()
    app = FloorwatchApp(floor.service, floor.clock, feed_status=lambda: feed)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        feed = FeedStatus(FeedState.RECONNECTING, 5.0)
        await pilot.pause(POLL_WAIT)
        assert rows(app)[0].strip() == NOT_CONNECTED
        feed = FeedStatus(FeedState.STALE, 5.0)
        await pilot.pause(POLL_WAIT)
        assert rows(app)[0].strip() == STALE


# ---------------------------------------------------------------------- calm notices


def event(kind: AuditType, conv: str, reason: Reason) -> AuditEvent:
    return AuditEvent(T0, kind, conv, "a1", reason)


def test_notices_are_for_failures_and_the_supervisors_own_unassigns() -> None:
    confirmed, failed = AuditType.UNASSIGN_CONFIRMED, AuditType.UNASSIGN_FAILED
    automatic = [event(confirmed, f"c{n}", Reason.ONLINE) for n in range(5)]
    assert notices(automatic) == []
    mine = notices([*automatic, event(confirmed, "c9", Reason.MANUAL)])
    assert [(n.title, n.text) for n in mine] == [("Unassigned", "c9 from a1 (manual)")]
    flood = [event(failed, f"c{n}", Reason.AWAY) for n in range(3)]
    flood.append(event(confirmed, "c9", Reason.MANUAL))
    assert [(n.title, n.text, n.severity) for n in notices(flood)] == [
        ("Unassigned", "1 conversations", "information"),
        ("Unassign failed", "3 conversations", "error"),
    ]


async def test_new_toasts_replace_the_ones_shown(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        floor.advance(3)  # c5 is decided
        for _ in range(2):
            floor.service.action_failed(floor.actions.sent[-1], "HTTP 503", floor.clock.now())
            floor.advance(2.5)  # retried
            await pilot.pause(BATCH_WAIT)
        assert len(app.screen.query("Toast")) == 1


async def test_digits_typed_in_the_filter_are_text_not_figure_keys(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "c", "1")
        assert shown(app) == ["c1"] and "only" not in title(app)
