"""Keys as the anchors have them: a keymap from the config, a palette of Floorwatch's own
actions with their keys, help generated from the bindings, a footer that fits, sorting that
reads the way it goes, columns that share spare room, and an event log that keeps up."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette
from textual.widgets import Static
from tui_harness import Floor, main_screen, shown, table, text_of

from engine.core import Status
from tui.app import FloorwatchApp
from tui.keymap import bindings
from tui.screens.help import HelpScreen
from tui.screens.help_topics import STATUSES
from tui.screens.thresholds import ThresholdsScreen
from tui.widgets.column_header import ColumnHeader
from tui.widgets.columns import COLUMNS, layout
from tui.widgets.floor_footer import FloorFooter

SIZE = (120, 40)


def help_text(app: FloorwatchApp) -> str:
    assert isinstance(app.screen, HelpScreen)
    return "\n".join(text_of(s) for s in app.screen.query(Static))


async def palette_entries(app: FloorwatchApp) -> list[str]:
    assert isinstance(app.screen, CommandPalette)
    options = app.screen.query_one(CommandList)
    prompts = (str(options.get_option_at_index(i).prompt) for i in range(options.option_count))
    return [prompt.splitlines()[0] for prompt in prompts]


async def test_the_keymap_setting_moves_keys_and_help_follows(floor: Floor) -> None:
    app = FloorwatchApp(floor.service, floor.clock, keymap={"thresholds": "f2", "freeze": "z"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert not isinstance(app.screen, ThresholdsScreen), "t is no longer the key"
        await pilot.press("f2")
        assert isinstance(app.screen, ThresholdsScreen)
        await pilot.press("escape", "z")
        assert table(app).frozen
        await pilot.press("z")
        assert not table(app).frozen, "resume moved with freeze: they share a key"
        await pilot.press("question_mark")
        lines = help_text(app).splitlines()
        assert any(line.split()[:2] == ["f2", "Thresholds"] for line in lines)


async def test_help_lists_every_binding_of_the_floor_and_explains_it(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=(160, 45)) as pilot:
        active = [a.binding for a in app.screen.active_bindings.values() if a.binding.id]
        await pilot.press("question_mark")
        text = help_text(app)
        lines = text.splitlines()
        for binding in active:
            key = app.get_key_display(binding)
            assert any(line.split()[:1] == [key] and binding.description in line for line in lines)
        ours = {b.id for b in bindings()}
        assert {b.id for b in active} <= ours, "nothing listed is Textual's own"
        assert "Focus Next" not in text and "Copy selected text" not in text
        assert "Release agent" not in text, "only the bindings active here are listed"
        for column in COLUMNS:
            assert column.about in " ".join(text.split()), column.key
        assert set(STATUSES) == set(Status), "every status is explained"
        for heading in ("Keys", "Counters", "Columns", "Statuses", "Colours"):
            assert heading in lines
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_on_the_thresholds_screen_lists_its_keys(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "f1")  # ? would be typed into the cell
        text = help_text(app)
        for description in ("Apply", "Add skill", "Back"):
            assert description in text


async def test_the_palette_offers_only_floorwatch_actions_each_with_its_key(
    floor: Floor,
) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        entries = await palette_entries(app)
        assert entries[:3] == ["Unassign  u", "Hold  h", "Hold for…  H"]
        assert "Thresholds  t" in entries and "Help  ?" in entries
        assert not any(word in " ".join(entries) for word in ("theme", "Theme", "screenshot"))
        assert "Up  ↑" not in entries, "cursor keys are no commands"
        await pilot.press(*"shortest")
        await pilot.pause(0.5)
        assert await palette_entries(app) == ["Sort by waiting: shortest first"]
        await pilot.press("enter")
        await pilot.pause()
        assert table(app).sort == ("waiting", False)
        assert shown(app)[:2] == ["c7", "c4"], "the shortest wait (5 s) first"
        assert shown(app)[-1] == "c1", "the longest (100 s) last"


async def test_a_sorted_header_keeps_its_arrow_when_cut(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=(80, 24)):
        header = main_screen(app).query_one(ColumnHeader)
        table(app).sort_by("waiting", True)
        header.sort_column, header.reverse = "waiting", True
        titles = text_of(header)
        assert "Wait… ▼" in titles, titles


def test_spare_width_goes_to_the_columns_whose_text_runs_long() -> None:
    for width in (80, 100, 160, 220):
        widths = {column.key: cells for column, cells in layout(width)}
        assert sum(widths.values()) + len(widths) == width, width
    narrow = {column.key: cells for column, cells in layout(100)}
    wide = {column.key: cells for column, cells in layout(220)}
    assert wide["conversation"] > narrow["conversation"] and wide["agent"] > narrow["agent"]
    assert wide["skill"] > narrow["skill"]
    assert wide["state"] == narrow["state"] == 9, "fixed texts stay as wide as they need"
    most = {column.key: column.most for column in COLUMNS if column.flex}
    assert all(wide[key] <= most[key] for key in most)


async def test_the_footer_fits_at_80_and_100_columns(floor: Floor) -> None:
    for width, height in ((80, 24), (100, 30)):
        app = floor.app()
        async with app.run_test(size=(width, height)) as pilot:
            await pilot.pause()
            footer = main_screen(app).query_one(FloorFooter)
            line = "  ".join(str(key.render()) for key in footer.children)
            assert "u Unassign" in line and "t Thresholds" in line, line
            assert "? Help" in line and "^p Commands" in line, line
            used = sum(key.outer_size.width for key in footer.children)
            assert used <= width, (width, line)
