"""A screen that never lies: commands act only on the row as shown, the selection stays calm,
and the freeze holds the table still."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Static
from tui_harness import (
    T0,
    Floor,
    cursor_id,
    main_screen,
    row,
    shown,
    status,
    status_line,
    table,
    title,
    toasts,
    waiting,
)

from engine.core import ConversationGone, Status
from tui.screens.confirm import ConfirmModal
from tui.screens.prompt import NumberPrompt

SIZE = (120, 40)
BATCH_WAIT = 0.5


def errors(seen: list[Message]) -> list[str]:
    return [t.message for t in toasts(seen) if t.severity == "error"]


async def test_the_unassign_dialog_acts_only_on_the_agent_it_names(floor: Floor) -> None:
    app = floor.app()
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        table(app).select("c7")
        await pilot.press("u")
        assert isinstance(app.screen, ConfirmModal)
        assert "Unassign c7 from Ana (a1)" in str(app.screen.query_one("#question", Static).content)
        floor.route("c7", "a2")
        await pilot.pause(BATCH_WAIT)
        assert isinstance(app.screen, ConfirmModal), "the question stays open"
        await pilot.press("y")
        await pilot.pause()
        assert floor.actions.sent == [], "a2 is not the agent the question named"
        assert "override.unassign_now" not in floor.types()
        assert errors(seen) == ["c7 is now with a2; nothing was done"]
        assert "a2" in row(app, "c7")


async def test_the_unassign_dialog_acts_when_nothing_changed(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select("c7")
        await pilot.press("u")
        await pilot.pause(BATCH_WAIT)
        await pilot.press("y")
        assert [(a.conv_id, a.agent) for a in floor.actions.sent] == [("c7", "a1")]


async def test_hold_for_acts_only_on_the_row_it_asked_about(floor: Floor) -> None:
    app = floor.app()
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        table(app).select("c1")
        await pilot.press("H")
        assert isinstance(app.screen, NumberPrompt)
        floor.route("c1", "a3")
        await pilot.pause(BATCH_WAIT)
        await pilot.press("enter")
        await pilot.pause()
        assert "override.hold" not in floor.types()
        assert status(floor, "c1") is not Status.HELD
        assert errors(seen) == ["c1 is now with a3; nothing was done"]


async def test_extend_acts_only_on_the_wait_it_asked_about(floor: Floor) -> None:
    app = floor.app()
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        table(app).select("c1")
        await pilot.press("e")
        assert isinstance(app.screen, NumberPrompt)
        floor.answer("c1")
        floor.feed(waiting("c1", "sales", "a1", floor.clock.now() + 1, seq=3))
        await pilot.pause(BATCH_WAIT)
        await pilot.press("enter")
        await pilot.pause()
        assert "override.extend" not in floor.types()
        assert errors(seen) == ["c1 waits on a newer message than the one shown; nothing was done"]


async def test_keys_on_a_row_that_changed_before_it_was_repainted_are_refused(
    floor: Floor,
) -> None:
    app = floor.app()
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        screen = main_screen(app)
        table(app).select("c7")
        await pilot.pause()
        floor.route("c7", "a2")
        screen.action_hold()
        floor.route("c7", "a1")
        screen.action_release()
        floor.answer("c7")
        floor.feed(waiting("c7", "sales", "a1", floor.clock.now() + 1, seq=3))
        screen.action_hold_agent()
        await pilot.pause()
        assert [e for e in floor.types() if e.startswith("override")] == []
        assert [a.held for a in floor.engine.read.agents() if a.agent_id == "a1"] == [False]
        assert errors(seen) == [
            "c7 is now with a2; nothing was done",
            "c7 is now with a1; nothing was done",
            "c7 waits on a newer message than the one shown; nothing was done",
        ]


async def test_the_cursor_keeps_its_conversation_while_it_exists(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select("c3")
        at = shown(app).index("c3")
        floor.feed(*(waiting(f"n{i}", "sales", "a1", T0 - 110) for i in range(5)))
        floor.route("c3", "a3")
        await pilot.pause(BATCH_WAIT)
        assert cursor_id(app) == "c3" and shown(app).index("c3") != at
        assert status_line(app) == ""


async def test_when_its_conversation_leaves_the_cursor_stays_in_place_and_says_why(
    floor: Floor,
) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select("c3")
        await pilot.press("u", "y")
        at = shown(app).index("c3")
        floor.route("c3", None)
        await pilot.pause(BATCH_WAIT)
        assert "c3" not in shown(app)
        assert shown(app).index(str(cursor_id(app))) == at
        assert status_line(app) == "c3 left the table (unassigned)"
        await pilot.press("down")
        assert status_line(app) == ""


async def test_a_closed_conversation_leaves_without_a_reason_named(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select("c7")
        floor.feed(ConversationGone("c7"))
        await pilot.pause(BATCH_WAIT)
        assert status_line(app) == "c7 left the table"


async def test_a_row_that_stops_matching_the_filter_says_so(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"a1", "enter")
        table(app).select("c7")
        floor.route("c7", "a2")
        await pilot.pause(BATCH_WAIT)
        assert "c7" not in shown(app)
        assert status_line(app) == "c7 no longer matches the filter"


async def test_freeze_holds_order_and_rows_until_resumed(floor: Floor) -> None:
    app = floor.app()
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        before = shown(app)
        table(app).select("c5")
        await pilot.press("f")
        assert "FROZEN" in title(app)
        actions = {b.binding.action for b in app.screen.active_bindings.values()}
        assert "unfreeze" in actions and "freeze" not in actions
        floor.feed(ConversationGone("c5"))
        floor.feed(waiting("n1", "sales", "a3", T0 - 29))
        floor.route("c3", "a3")
        await pilot.pause(BATCH_WAIT)
        assert shown(app) == [*before, "n1"], "nothing moves, nothing leaves; new rows last"
        assert cursor_id(app) == "c5" and row(app, "c5").endswith("left")
        line = table(app).render_line(shown(app).index("c5"))
        assert all(s.style is not None and s.style.dim for s in line), "a row that left is dim"
        assert "a3" in row(app, "c3"), "rows still change in place"
        assert status_line(app) == "c5 left the table"
        assert table(app).total == 8
        await pilot.press("h")
        assert errors(seen) == ["c5 has left the table; nothing was done"]
        await pilot.press("f")
        assert "FROZEN" not in title(app)
        assert "c5" not in shown(app) and shown(app)[0] == "n1", "sorted again"
        assert shown(app).index(str(cursor_id(app))) == 0, "the cursor stays in place"
