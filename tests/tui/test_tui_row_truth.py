"""Rows tell the truth about holds, failures and dry run; releasing an overdue hold asks."""

from __future__ import annotations

from textual.widgets import Static
from tui_harness import T0, Floor, row, status, table

from engine.core import Hold, HoldAgent, SetDryRun, Status
from tui.app import FloorwatchApp
from tui.screens.confirm import ConfirmModal

SIZE = (140, 40)
BATCH_WAIT = 0.5
"""Seconds for the screen to take a batch of changes (it reads them every 0.2 s)."""


def question(app: FloorwatchApp) -> str:
    assert isinstance(app.screen, ConfirmModal)
    return str(app.screen.query_one("#question", Static).content)


async def test_releasing_an_overdue_hold_asks_first(floor: Floor) -> None:
    floor.service.execute(Hold(conv="c1", by="supervisor"), T0)  # 20 s left
    floor.advance(35)
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        assert "-0:15" in row(app, "c1"), "a held row shows how far past its deadline it is"
        table(app).select("c1")
        await pilot.press("r")
        assert question(app) == (
            "c1 is 15 s past its deadline and will be unassigned now.\nRelease it?"
        )
        await pilot.press("n")
        sent = [a.conv_id for a in floor.actions.sent]
        assert status(floor, "c1") is Status.HELD and "c1" not in sent
        await pilot.press("r", "y")
        assert [a.conv_id for a in floor.actions.sent] == [*sent, "c1"]


async def test_releasing_a_hold_not_yet_due_asks_nothing(floor: Floor) -> None:
    floor.service.execute(Hold(conv="c1", by="supervisor"), T0)
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        assert "0:20" in row(app, "c1")
        table(app).select("c1")
        await pilot.press("r")
        assert not isinstance(app.screen, ConfirmModal)
        assert status(floor, "c1") is Status.WATCHING


async def test_releasing_an_agent_names_what_it_unassigns(floor: Floor) -> None:
    floor.service.execute(HoldAgent(agent="a1", by="supervisor"), T0)
    floor.advance(30)
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d", "y")
        table(app).select("c1")
        await pilot.press("a")
        assert question(app) == (
            "1 of Ana (a1)'s conversations are past their deadline and would be unassigned "
            "(dry run: recorded, not sent) now: c1 (10 s late).\nRelease Ana (a1)?"
        )
        await pilot.press("y")
        decided = [e.conv for e in floor.audit if e.type == "unassign.decided"]
        assert floor.types()[-2] == "override.release" and decided[-1] == "c1"


async def test_a_failed_retrying_row_shows_its_threshold(floor: Floor) -> None:
    floor.advance(3)  # c5: offline 30, waited 28 s
    [action] = floor.actions.sent
    floor.service.action_failed(action, "timed out", floor.clock.now())
    app = floor.app()
    async with app.run_test(size=SIZE):
        line = row(app, "c5")
        assert "offline 30s" in line and "failed" in line and "offline off" not in line


async def test_would_unassign_rows_change_when_dry_run_ends(floor: Floor) -> None:
    floor.service.execute(SetDryRun(on=True, by="supervisor"), T0)
    floor.advance(3)
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        assert row(app, "c5").endswith("would-unassign")
        await pilot.press("d", "y")
        await pilot.pause(BATCH_WAIT)
        assert row(app, "c5").endswith("not-sent")
        assert floor.actions.sent == [], "a wait decided in dry run is never decided again"
