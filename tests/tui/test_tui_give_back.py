"""`g` gives a conversation back to the agent Floorwatch took it from: from its row, or from
the queue view's returned conversations; asked first, refused with the reason."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Static
from tui_harness import Floor, table, toasts

from engine.core import AgentChanged, AgentState, TransferToAgent
from tui.app import FloorwatchApp
from tui.screens.confirm import ConfirmModal
from tui.screens.queue import QueueScreen

SIZE = (120, 40)


def unassigned_then_routed(floor: Floor, to: str | None) -> None:
    """c1 (Ana, 20 s left) is unassigned, the feed confirms it, routing gives it to `to`."""
    floor.advance(20)
    floor.route("c1", None)
    if to is not None:
        floor.route("c1", to)


def question(app: FloorwatchApp) -> str:
    assert isinstance(app.screen, ConfirmModal)
    return str(app.screen.query_one("#question", Static).content)


async def test_give_back_from_the_row_asks_then_removes_the_holder_and_suggests(
    floor: Floor,
) -> None:
    unassigned_then_routed(floor, "a4")
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select("c1")
        await pilot.press("g")
        text = question(app)
        assert "Give c1 back to Ana (a1), the agent Floorwatch took it from?" in text
        assert "Dev (a4) is removed from it first." in text
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(floor.actions.sent[-1], TransferToAgent)
        assert (floor.actions.sent[-1].agent, floor.actions.sent[-1].holder) == ("a1", "a4")
        assert "override.give_back" in floor.types()


async def test_give_back_from_the_queue_view(floor: Floor) -> None:
    unassigned_then_routed(floor, None)
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("g")
        text = question(app)
        assert "Give c1 back to Ana (a1)" in text and "removed" not in text
        await pilot.press("y")
        await pilot.pause()
        sent = floor.actions.sent[-1]
        assert isinstance(sent, TransferToAgent) and sent.holder is None


async def test_a_refused_give_back_is_a_toast_with_the_reason(floor: Floor) -> None:
    unassigned_then_routed(floor, "a4")
    floor.feed(AgentChanged("a1", AgentState.OFFLINE, floor.clock.now(), "Ana"))
    app = floor.app()
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        table(app).select("c1")
        await pilot.press("g", "y")
        await pilot.pause()
        errors = [t.message for t in toasts(seen) if t.severity == "error"]
        assert errors == ["give back c1: Ana (a1) is Offline"]
        assert not any(isinstance(a, TransferToAgent) for a in floor.actions.sent)


async def test_nothing_to_give_back_is_said_without_asking(floor: Floor) -> None:
    app = floor.app()
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        table(app).select("c3")
        await pilot.press("g")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)
        errors = [t.message for t in toasts(seen) if t.severity == "error"]
        assert errors == ["give back c3: Floorwatch has not unassigned it: nothing to give back"]
