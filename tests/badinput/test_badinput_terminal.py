"""A terminal too small for the floor: a message instead of the floor, through any resize,
and keys pressed meanwhile do not crash the app."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widget import Widget

from engine.core import (
    AgentChanged,
    AgentState,
    ConversationChanged,
    Engine,
    FeedFresh,
    LastMessage,
    LinkEvent,
    Policy,
)
from engine.link.session import LinkSession
from engine.service import FloorService
from tui.app import FloorwatchApp
from tui.clock import FrozenClock
from tui.screens.main import MIN_SIZE, MainScreen

T0 = 1_700_000_000.0
BIG = (120, 40)
MESSAGE = f"The terminal is too small: Floorwatch needs {MIN_SIZE[0]}x{MIN_SIZE[1]}."
TOO_SMALL = [(20, 5), (1, 1), (MIN_SIZE[0] - 1, 40), (120, MIN_SIZE[1] - 1), (0, 0)]
KEYS = [
    *("h", "r", "a", "a", "slash", "c", "escape", "s", "S"),
    *("question_mark", "escape", "down", "end", "home", "enter", "escape"),
]
"""Keys that act at once or open a full screen (the modals have a test of their own)."""


def make_app() -> FloorwatchApp:
    clock = FrozenClock(T0)
    engine = Engine(Policy.from_mapping({"online": 120, "away": 60}))
    service = FloorService(engine, LinkSession(brand_id="12345678"))
    events: list[LinkEvent] = [AgentChanged("a1", AgentState.ONLINE, T0 - 60, "Ana")]
    events += [
        ConversationChanged(
            f"c{i}",
            metadata_ts=T0 - 200,
            skill="sales",
            agent="a1",
            consumer=f"consumer-{i}",
            open=True,
            last_message=LastMessage(1, T0 - 10 * i, from_consumer=True),
        )
        for i in range(1, 6)
    ]
    service.apply([*events, FeedFresh(T0)], T0)
    return FloorwatchApp(service, clock)


def main(app: FloorwatchApp) -> MainScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    return screen


def painted(widget: Widget) -> str:
    lines = (widget.render_line(y).text.strip() for y in range(widget.size.height))
    return " ".join(line for line in lines if line)


async def resize(pilot: Pilot[None], size: tuple[int, int]) -> None:
    await pilot.resize_terminal(*size)
    await pilot.pause()


def assert_too_small(app: FloorwatchApp) -> None:
    screen = main(app)
    assert app.is_running
    assert screen.has_class("-too-small")
    assert screen.query_one("#too-small").display
    assert not screen.query_one("#conversations").display
    assert not screen.query_one("#bottom").display


def assert_floor_shown(app: FloorwatchApp) -> None:
    screen = main(app)
    assert app.is_running
    assert not screen.has_class("-too-small")
    assert not screen.query_one("#too-small").display
    assert screen.query_one("#conversations").display
    assert painted(screen.table).split()[0] == "c5", "the longest wait is on top"


async def test_shrinking_to_any_tiny_size_and_back() -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        assert_floor_shown(app)
        for size in TOO_SMALL:
            await resize(pilot, size)
            assert_too_small(app)
            await resize(pilot, BIG)
            assert_floor_shown(app)
        await resize(pilot, MIN_SIZE)
        assert_floor_shown(app)


async def test_the_message_is_readable_when_it_fits() -> None:
    app = make_app()
    async with app.run_test(size=(20, 5)) as pilot:
        assert_too_small(app)
        assert painted(main(app).query_one("#too-small")) == MESSAGE
        await resize(pilot, (59, 14))
        assert painted(main(app).query_one("#too-small")) == MESSAGE


async def test_keys_pressed_while_too_small_do_not_crash() -> None:
    app = make_app()
    async with app.run_test(size=(20, 5)) as pilot:
        await pilot.press(*KEYS)
        await pilot.pause()
        assert app.screen is main(app)
        assert_too_small(app)
        await resize(pilot, BIG)
        assert_floor_shown(app)


async def test_a_modal_opened_while_too_small_survives_any_resize() -> None:
    app = make_app()
    async with app.run_test(size=(20, 5)) as pilot:
        for opens in ("u", "t"):  # the confirmation and the thresholds editor
            await pilot.press(opens)
            await pilot.pause()
            modal = app.screen
            assert modal is not main(app)
            for size in [(1, 1), BIG, (20, 5)]:
                await resize(pilot, size)
                assert app.screen is modal and app.is_running
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is main(app)
            assert_too_small(app)
        await resize(pilot, BIG)
        assert_floor_shown(app)


async def test_starting_at_one_cell_and_quitting_there() -> None:
    app = make_app()
    async with app.run_test(size=(1, 1)) as pilot:
        assert_too_small(app)
        await pilot.press("down", "s", "q")
        await pilot.pause()
    assert app.return_code == 0
