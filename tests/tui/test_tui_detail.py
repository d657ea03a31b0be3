"""Drill down: Enter on a conversation opens its detail (agent, how the deadline was worked
out, its state history, every audit event of it); Enter on an event shows it whole, from the
detail's audit list and from the floor's event log alike."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static
from tui_harness import T0, Floor, main_screen, make_floor, table, waiting

from engine.core import ConversationGone, Hold
from engine.store import Store
from tui.app import FloorwatchApp
from tui.screens.detail import DetailScreen
from tui.screens.event_view import EventScreen
from tui.widgets.event_log import EventLog

SIZE = (120, 40)


def detail_text(app: FloorwatchApp) -> str:
    screen = app.screen
    assert isinstance(screen, DetailScreen), f"the detail is not shown but {screen}"
    parts = ("#detail-title", "#detail-agent", "#detail-deadline", "#detail-history")
    return "\n".join(str(screen.query_one(part, Static).render()) for part in parts)


def audit_lines(app: FloorwatchApp) -> list[str]:
    audit = app.screen.query_one("#detail-audit", OptionList)
    return [str(audit.get_option_at_index(i).prompt) for i in range(audit.option_count)]


async def open_detail(app: FloorwatchApp, pilot: object, conv_id: str) -> None:
    table(app).select(conv_id)
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_enter_shows_the_agent_and_how_the_default_deadline_was_worked_out(
    floor: Floor,
) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, "c2")
        text = detail_text(app)
        assert "c2 · skill sales · consumer consumer-c2" in text
        assert "Agent: Ben (a2), away for 1:30" in text
        assert "Waiting since" in text and "(0:55 ago)" in text
        assert "Threshold: away 1:00 (from the default)" in text
        assert "(in 0:05)" in text
        assert "Why not yet: due in 0:05 (away threshold 60 s, the default)" in text
        assert "Status: watching" in text
        await pilot.press("escape")
        assert app.screen is main_screen(app)


async def test_a_skill_override_and_an_off_threshold_say_where_they_come_from(
    floor: Floor,
) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, "c3")
        text = detail_text(app)
        assert "Threshold: online 5:00 (from skill billing's override)" in text
        assert "(online threshold 5:00 from skill billing)" in text
        await pilot.press("escape")
        await open_detail(app, pilot, "c4")
        text = detail_text(app)
        assert "Threshold: away is off (from skill billing's override)" in text
        assert "Why not yet: never automatically: away threshold off from skill billing" in text
        assert "never unassigned automatically" in text


async def test_holds_and_extensions_are_part_of_the_deadline_and_the_audit(
    tmp_path: Path,
) -> None:
    with Store.open(tmp_path / "floor.db") as store:
        await _hold_and_extend(make_floor(store))


async def _hold_and_extend(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select("c1")
        await pilot.press("e", *"30", "enter")  # extend by 30 s
        await pilot.press("h")
        await pilot.pause()
        await open_detail(app, pilot, "c1")
        text = detail_text(app)
        assert "Extended by 0:30" in text
        assert "Held until released" in text
        assert "Why not yet: held by supervisor until released" in text
        assert "Status: held" in text
        lines = audit_lines(app)
        assert any("override.extend" in line and "by supervisor" in line for line in lines)
        assert "override.hold" in lines[-1]


async def test_the_state_history_shows_what_the_feed_showed(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        floor.clock.advance(5)
        floor.route("c7", "a2")
        await pilot.pause(0.3)
        await open_detail(app, pilot, "c7")
        history = detail_text(app).split("State history")[-1]
        assert history.index("assigned to Ben (a2)") < history.index("consumer wrote")
        assert history.index("consumer wrote") < history.index("opened, assigned to Ana (a1)")


async def test_new_events_of_the_conversation_join_the_open_detail(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, "c5")  # offline 30 s, 2 s left
        assert audit_lines(app) == ["No audit event for this conversation yet"]
        floor.advance(3)
        await pilot.pause(0.4)
        lines = audit_lines(app)
        assert any("unassign.decided" in line for line in lines), lines
        assert all(" c1 " not in line for line in lines), "only this conversation's events"
        await pilot.pause(1.1)
        assert "Status: an unassign is under way" in detail_text(app)


async def test_a_conversation_that_closes_says_so(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, "c6")
        floor.feed(ConversationGone("c6"))
        await pilot.pause(1.2)
        assert "c6 · closed" in detail_text(app)


async def test_the_audit_comes_from_the_data_file_and_an_event_opens_whole(
    tmp_path: Path,
) -> None:
    with Store.open(tmp_path / "floor.db") as store:
        first = make_floor(store)
        long_why = "a very long reason that the event log would cut " * 4
        first.service.execute(Hold(conv="c1", by="Sam", until=None), T0)
        first.service.execute(Hold(conv="c2", by=long_why.strip(), until=None), T0)
    with Store.open(tmp_path / "floor.db") as store:
        later = make_floor(store)  # a restart: nothing in memory but the file
        app = later.app()
        async with app.run_test(size=SIZE) as pilot:
            await open_detail(app, pilot, "c2")
            lines = audit_lines(app)
            assert len(lines) == 1 and "override.hold" in lines[0]
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, EventScreen)
            body = str(app.screen.query_one("#event-body", Static).render())
            assert "Conversation  c2" in body
            assert long_why.strip() in body.replace("\n", "")


async def test_enter_on_the_event_log_shows_an_event_whole(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select("c3")
        await pilot.press("h")
        table(app).select("c6")
        await pilot.press("h")
        await pilot.pause(0.3)
        events = main_screen(app).query_one(EventLog)
        await pilot.press("tab", "tab")
        assert events.has_focus
        assert events.cursor is not None and events.cursor.conv == "c6", "the newest first"
        await pilot.press("up", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EventScreen)
        body = str(app.screen.query_one("#event-body", Static).render())
        assert "Conversation  c3" in body and "Type          override.hold" in body
        await pilot.press("escape")
        await pilot.press("tab")
        assert table(app).has_focus


def test_the_detail_is_of_open_conversations_and_a_queued_one_has_no_deadline() -> None:
    floor = make_floor()
    assert floor.engine.read.detail("c1") is not None
    assert floor.engine.read.detail("nope") is None
    floor.feed(waiting("c20", "sales", None, T0 - 5))
    queued = floor.engine.read.detail("c20")
    assert queued is not None and queued.basis is None and queued.view is None
