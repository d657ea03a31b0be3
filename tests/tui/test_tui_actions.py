"""Every key of the floor: what it sends to the engine, and what the screen shows after."""

from __future__ import annotations

import pytest
from textual.message import Message
from textual.widgets import Input, Static
from tui_harness import (
    T0,
    Floor,
    cursor_id,
    events_text,
    main_screen,
    row,
    rows,
    shown,
    status,
    table,
    text_of,
    toasts,
)

from engine.core import AuditType, Extend, Hold, Reason, Status
from tui.screens.confirm import ConfirmModal
from tui.screens.prompt import NumberPrompt
from tui.screens.thresholds import ThresholdsScreen
from tui.widgets.column_header import ColumnHeader
from tui.widgets.conversation_table import ConversationTable
from tui.widgets.floor_header import FloorHeader

SIZE = (120, 40)


async def test_unassign_now_confirmed_sends_the_unassign(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select("c3")
        await pilot.press("u")
        assert isinstance(app.screen, ConfirmModal)
        assert "Unassign c3 from Ana (a1) now?" in str(
            app.screen.query_one("#question", Static).content
        )
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)
        assert [(a.conv_id, a.agent, a.reason) for a in floor.actions.sent] == [
            ("c3", "a1", Reason.MANUAL)
        ]
        assert floor.types()[:2] == ["override.unassign_now", "unassign.decided"]
        assert status(floor, "c3") is Status.UNASSIGNING
        assert row(app, "c3").endswith("unassigning")
        assert "override.unassign_now" in events_text(app)


@pytest.mark.parametrize("answer", ["n", "escape"])
async def test_unassign_now_refused_sends_nothing(floor: Floor, answer: str) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select("c3")
        await pilot.press("u", answer)
        assert not isinstance(app.screen, ConfirmModal)
        assert floor.actions.sent == [] and floor.audit == []
        assert row(app, "c3").endswith("watching")


async def test_hold_until_released(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select("c1")
        await pilot.press("h")
        view = floor.engine.read.conversation("c1")
        assert view is not None and view.status is Status.HELD and view.hold_until is None
        assert [(e.type, e.conv, e.by) for e in floor.audit] == [
            (AuditType.OVERRIDE_HOLD, "c1", "supervisor")
        ]
        assert row(app, "c1").split()[-1] == "held"
        assert shown(app)[-3:] == ["c1", "c4", "c9"], "rows without a deadline sort last"
        assert cursor_id(app) == "c1"


async def test_hold_for_minutes_uses_the_prompt(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select("c1")
        await pilot.press("H")
        assert isinstance(app.screen, NumberPrompt)
        assert app.screen.query_one(Input).value == "15"
        await pilot.press("backspace", "backspace", "1", "0", "enter")
        view = floor.engine.read.conversation("c1")
        assert view is not None and view.status is Status.HELD
        assert view.hold_until == T0 + 600
        assert "held till 22:23" in row(app, "c1")


async def test_hold_for_cancelled(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select("c1")
        await pilot.press("H", "escape")
        assert floor.audit == []
        assert not isinstance(app.screen, NumberPrompt)


async def test_extend_by_the_default_sixty_seconds(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select("c1")
        await pilot.press("e")
        assert isinstance(app.screen, NumberPrompt)
        assert app.screen.query_one(Input).value == "60"
        await pilot.press("enter")
        view = floor.engine.read.conversation("c1")
        assert view is not None and view.extension == 60 and view.status is Status.EXTENDED
        assert view.deadline == T0 + 80
        line = row(app, "c1")
        assert "online 120s +60s" in line and "1:20" in line and line.endswith("extended")


async def test_a_refused_command_is_a_toast_not_a_crash(floor: Floor) -> None:
    app = floor.app()
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        table(app).select("c1")
        await pilot.press("e", "backspace", "backspace", "0", "enter")
        await pilot.pause()
        errors = [t for t in toasts(seen) if t.severity == "error"]
        assert len(errors) == 1 and "seconds must be positive" in errors[0].message
        assert floor.audit == []
        assert app.is_running


async def test_release_clears_hold_and_extension(floor: Floor) -> None:
    floor.service.execute(Hold(conv="c1", by="supervisor"), T0)
    floor.service.execute(Extend(conv="c1", seconds=30, by="supervisor"), T0)
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select("c1")
        await pilot.press("r")
        view = floor.engine.read.conversation("c1")
        assert view is not None and view.status is Status.WATCHING and view.extension == 0
        assert floor.types()[-1] == "override.release"
        assert row(app, "c1").endswith("watching")


async def test_hold_agent_holds_all_their_conversations_then_releases(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select("c1")
        footer_keys = {b.binding.action for b in app.screen.active_bindings.values()}
        assert "hold_agent" in footer_keys and "release_agent" not in footer_keys
        await pilot.press("a")
        assert [a.held for a in floor.engine.read.agents() if a.agent_id == "a1"] == [True]
        for conv_id in ("c1", "c3", "c7"):
            assert status(floor, conv_id) is Status.HELD
            assert row(app, conv_id).split()[-1] == "held"
        footer_keys = {b.binding.action for b in app.screen.active_bindings.values()}
        assert "release_agent" in footer_keys and "hold_agent" not in footer_keys
        await pilot.press("a")
        assert [a.held for a in floor.engine.read.agents() if a.agent_id == "a1"] == [False]
        assert floor.types() == ["override.hold", "override.release"]
        assert row(app, "c1").endswith("watching")


async def test_row_actions_are_disabled_without_a_row(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"nothing-matches")
        await pilot.press("enter")
        assert table(app).cursor is None
        await pilot.press("u", "h", "e", "r", "a")
        assert floor.audit == [] and isinstance(app.screen, type(main_screen(app)))
        enabled = {b.binding.action: b.enabled for b in app.screen.active_bindings.values()}
        assert enabled["unassign_now"] is False and enabled["hold_agent"] is False


async def test_dry_run_on_confirmed_then_off(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        assert floor.engine.read.dry_run is True
        assert "DRY RUN" in text_of(main_screen(app).query_one(FloorHeader))
        await pilot.press("d", "y")
        assert floor.engine.read.dry_run is False
        assert "DRY RUN" not in text_of(main_screen(app).query_one(FloorHeader))
        assert floor.types() == ["mode.dry_run", "mode.dry_run"]


async def test_dry_run_refused(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d", "n")
        assert floor.engine.read.dry_run is False and floor.audit == []


async def test_filter_as_you_type(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"billing")
        assert sorted(shown(app)) == ["c3", "c4"]
        assert [line.split()[0] for line in rows(app)] == shown(app)
        title = main_screen(app).query_one("#conversations").border_title
        assert title == "8 watched, 2 shown matching “billing”"
        await pilot.press(*"  a2")
        assert shown(app) == ["c4"]
        await pilot.press("enter")
        assert table(app).has_focus
        await pilot.press("slash", "escape")
        assert len(shown(app)) == 8


@pytest.mark.parametrize(
    ("query", "expected"),
    [("a2", {"c2", "c4"}), ("away", {"c2", "c4"}), ("c9", {"c9"}), ("held", set())],
)
async def test_filter_by_agent_state_and_conversation(
    floor: Floor, query: str, expected: set[str]
) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *query)
        assert set(shown(app)) == expected


async def test_sort_cycles_columns_and_reverses(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        assert shown(app) == ["c5", "c2", "c1", "c6", "c7", "c3", "c4", "c9"]
        table(app).select("c3")
        await pilot.press("s")
        assert table(app).sort == ("status", False)
        await pilot.press("s")
        assert table(app).sort == ("conversation", False)
        assert shown(app) == ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c9"]
        assert "Conversation ▲" in text_of(main_screen(app).query_one(ColumnHeader))
        await pilot.press("S")
        assert shown(app)[0] == "c9"
        assert "Conversation ▼" in text_of(main_screen(app).query_one(ColumnHeader))
        assert cursor_id(app) == "c3", "the cursor follows its row"


async def test_cursor_keys(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        assert cursor_id(app) == "c5"
        await pilot.press("down", "down")
        assert cursor_id(app) == "c1"
        await pilot.press("end")
        assert cursor_id(app) == "c9"
        await pilot.press("up")
        assert cursor_id(app) == "c4"
        await pilot.press("home")
        assert cursor_id(app) == "c5"
        await pilot.press("pagedown")
        assert cursor_id(app) == "c9"


async def test_quit_at_once_when_nothing_is_in_flight(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        assert app.return_code == 0


async def test_quit_asks_while_unassigns_are_in_flight(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        floor.advance(10)
        assert [a.conv_id for a in floor.actions.sent] == ["c5", "c2"]
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmModal)
        assert "2 unassign(s) still in flight" in str(
            app.screen.query_one("#question", Static).content
        )
        await pilot.press("n")
        assert app.return_code is None and not isinstance(app.screen, ConfirmModal)
        await pilot.press("q", "y")
        assert app.return_code == 0


async def test_command_palette_offers_the_same_actions(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"thresholds")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ThresholdsScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"sort by skill")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert table(app).sort == ("skill", False)


async def test_ctrl_q_asks_too_while_unassigns_are_in_flight(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        floor.advance(10)
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")
        assert app.return_code is None


async def test_page_up_and_a_click_move_the_cursor(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end", "pageup")
        assert cursor_id(app) == "c5"
        await pilot.click(ConversationTable, offset=(3, 2))
        assert cursor_id(app) == "c1"


async def test_an_empty_table_says_why(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"zzz")
        assert rows(app) == [" No conversation matches the filter."]
