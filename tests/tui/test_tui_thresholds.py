"""The thresholds screen: Enter moves on, applying shows what changes and asks first, an empty
skill cell inherits (and shows what), every skill known is listed, and a row can be added."""

from __future__ import annotations

from textual.widgets import Input, Label, Static
from tui_harness import Floor, events_text, row, waiting

from engine.core import ConversationGone
from tui.app import FloorwatchApp
from tui.screens.confirm import ConfirmModal
from tui.screens.thresholds import ThresholdsScreen

SIZE = (120, 40)


def grid(app: FloorwatchApp) -> ThresholdsScreen:
    screen = app.screen
    assert isinstance(screen, ThresholdsScreen)
    return screen


def cell(app: FloorwatchApp, cell_id: str) -> Input:
    return grid(app).query_one(f"#{cell_id}", Input)


def error(app: FloorwatchApp) -> str:
    return str(grid(app).query_one("#policy-error", Static).content)


def question(app: FloorwatchApp) -> str:
    assert isinstance(app.screen, ConfirmModal)
    return str(app.screen.query_one("#question", Static).content)


async def test_enter_moves_to_the_next_cell_and_applies_nothing(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", *"50", "enter")  # typing replaces the selected cell
        assert cell(app, "cell-0-online").value == "50"
        assert app.focused is cell(app, "cell-0-away")
        await pilot.press("enter")
        assert app.focused is cell(app, "cell-0-offline")
        assert floor.audit == [] and floor.engine.read.policy.default.online == 120


async def test_applying_shows_what_changes_and_asks_first(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        cell(app, "cell-0-online").value = "50"  # c1 (waited 100 s) due now; c7 earlier
        cell(app, "cell-0-away").value = "90"  # c2 and c6 (away, back soon) later
        await pilot.press("ctrl+s")
        assert question(app) == (
            "1 conversation becomes due now, 2 get later deadlines, 1 gets an earlier one.\n"
            "Due now, so unassigned at once: c1.\n"
            "Apply the new thresholds?"
        )
        await pilot.press("n")
        assert isinstance(app.screen, ThresholdsScreen) and floor.audit == []
        await pilot.press("ctrl+s", "y")
        await pilot.pause()
        assert not isinstance(app.screen, (ThresholdsScreen, ConfirmModal))
        assert floor.types() == ["policy.changed", "unassign.decided"], "as the preview said"
        assert [action.conv_id for action in floor.actions.sent] == ["c1"]
        assert floor.engine.read.policy.default.online == 50
        assert "policy.changed" in events_text(app)


async def test_in_dry_run_the_preview_says_nothing_is_sent(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d", "y", "t")
        cell(app, "cell-0-online").value = "1"
        await pilot.press("ctrl+s")
        assert "decided and recorded at once, not sent (dry run): c1, c7." in question(app)


async def test_an_empty_skill_cell_inherits_and_shows_the_value(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        sales_online = cell(app, "cell-2-online")
        assert (sales_online.value, sales_online.placeholder) == ("", "120 (default)")
        cell(app, "cell-0-online").value = "150"
        await pilot.pause()
        assert sales_online.placeholder == "150 (default)", "follows the default row"
        cell(app, "cell-1-online").value = ""  # billing: inherit instead of 300
        cell(app, "cell-1-offline").value = "off"
        await pilot.press("ctrl+s", "y")
        await pilot.pause()
        assert floor.engine.read.policy.to_mapping() == {
            "online": 150.0,
            "away": 60.0,
            "offline": 30.0,
            "skills": {"billing": {"away": None, "offline": None}},
        }
        assert "online 150s" in row(app, "c3")


async def test_wrong_cells_are_named_in_the_supervisors_words(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        cell(app, "cell-0-online").value = "abc"
        await pilot.pause()
        assert error(app) == "Online: type a number of seconds, or off"
        assert cell(app, "cell-0-online").has_class("-invalid")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ThresholdsScreen), "nothing wrong is applied or asked"
        cell(app, "cell-0-online").value = "120"
        cell(app, "cell-1-away").value = "-5"
        await pilot.pause()
        assert error(app) == "billing away: cannot be negative; type a number of seconds, or off"
        assert not cell(app, "cell-0-online").has_class("-invalid")
        cell(app, "cell-1-away").value = "off"
        cell(app, "cell-0-offline").value = "999999"
        await pilot.pause()
        assert error(app) == "Offline: a week at most; type fewer seconds, or off"
        cell(app, "cell-0-offline").value = ""
        await pilot.pause()
        assert error(app).startswith("Offline: type a number of seconds, or off")
        cell(app, "cell-0-offline").value = "off"
        await pilot.pause()
        assert error(app) == ""
        await pilot.press("escape")
        assert floor.audit == [], "leaving with Escape changes nothing"


async def test_every_skill_seen_is_listed_and_a_row_can_be_added(floor: Floor) -> None:
    floor.feed(waiting("c20", "returns", None, floor.clock.now()), ConversationGone("c20"))
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        labels = [str(label.content) for label in grid(app).query(".grid-skill").results(Label)]
        assert labels == ["default", "billing", "returns", "sales", "support"]
        await pilot.press("ctrl+n", *"vip", "enter")
        await pilot.pause()
        assert app.focused is cell(app, "cell-5-online")
        await pilot.press(*"45", "ctrl+s", "y")
        await pilot.pause()
        assert floor.engine.read.policy.to_mapping()["skills"]["vip"] == {"online": 45.0}
