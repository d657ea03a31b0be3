"""Hostile text on every screen: ids, names, skills and details full of markup, terminal
escapes and very long strings never crash the app, are drawn literally (markup as text,
control characters as their stand-ins), and no escape of theirs reaches the terminal output.

"The terminal output" here is what the app's compositor hands the driver for a full repaint
(the same renderable `App.export_screenshot` prints); the real terminal's bytes are checked
by `tests/e2e/test_hostile_tmux.py`.
"""

from __future__ import annotations

import io
import re

from rich.console import Console
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input, Label
from tui_harness import (
    T0,
    Floor,
    main_screen,
    status_line,
    table,
    text_of,
    title,
    toasts,
    waiting,
)

from engine.core import AgentChanged, AgentState, ConversationGone
from engine.core.text import clean, shown
from engine.status import FeedState, FeedStatus
from tui.app import FloorwatchApp
from tui.identity import NAME_LIMIT
from tui.screens.prompt import NumberPrompt

SIZE = (140, 45)
BATCH_WAIT = 0.3
OSC52 = "\x1b]52;c;ZXZpbA==\x07"
CSI = "\x1b[>0;7777m"
PAYLOADS = (OSC52, CSI, "\x9b2J", "\x7f", "\x00", "\x1b]8;;https://evil.example\x1b\\")
SLASH = "c[/]x"
EVIL = "[bold red]EVIL[/]"
LINK = "[link=https://evil.example]click[/link]"
HOSTILE_CONVS = (
    SLASH,
    EVIL,
    LINK,
    f"osc{OSC52}",
    f"csi{CSI}",
    "c1\x9b2J",
    "del\x7f\x00nul",
    "L" * 3000 + OSC52,
)
AGENT = "a[/]"
AGENT_NAME = f"[bold]Eve{OSC52}" + "e" * 400
SKILL = f"s[/]{CSI}"
ANA = shown(f"Ana{OSC52}{LINK}", NAME_LIMIT)
EVE = shown(AGENT_NAME, NAME_LIMIT)
"""The agents' names as a label draws them: cleaned, the long one capped."""
OWN_ESCAPES = re.compile(
    r"\x1b\[[0-9;:]*m|\x1b\[\d+;\d+H|\x1b\[\?\d+[hl]|\x1b\]8;[^\x07\x1b]*\x1b\\"
)
"""What Textual itself writes: colours and styles, cursor moves, modes, its own links."""


def hostile_floor(floor: Floor) -> Floor:
    floor.feed(AgentChanged(AGENT, AgentState.ONLINE, T0 - 60, AGENT_NAME))
    floor.feed(AgentChanged("a1", AgentState.ONLINE, T0 - 60, f"Ana{OSC52}{LINK}"))
    for i, conv in enumerate(HOSTILE_CONVS):
        agent = AGENT if i % 2 else "a1"
        floor.feed(waiting(conv, SKILL if i % 2 else "sales", agent, T0 - 200 - i))
    return floor


def drawn(app: FloorwatchApp) -> str:
    """What a full repaint of the screen (and the screens under it) writes to the terminal."""
    out = io.StringIO()
    width, height = app.size
    console = Console(
        file=out, width=width, height=height, force_terminal=True, color_system="truecolor"
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    assert update is not None
    console.print(update)
    return out.getvalue()


def assert_no_hostile_bytes(output: str) -> None:
    for payload in PAYLOADS:
        assert payload not in output
    assert "\x1b]52" not in output and "7777m" not in output.replace("␛[>0;7777m", "")
    rest = OWN_ESCAPES.sub("", output)
    controls = [c for c in rest if c != "\n" and clean(c) != c]
    assert not controls, f"control characters reached the terminal: {controls[:5]!r}"


async def check(pilot: Pilot[None], where: str) -> str:
    await pilot.pause()
    app = pilot.app
    assert isinstance(app, FloorwatchApp)
    assert app.is_running, f"the app stopped at {where}"
    output = drawn(app)
    assert_no_hostile_bytes(output)
    return output


def squeezed(text: str) -> str:
    return "".join(text.split())


def prompt_text(app: FloorwatchApp) -> str:
    assert isinstance(app.screen, NumberPrompt)
    return squeezed(text_of(app.screen.query_one(Label)))


async def test_markup_in_an_id_then_hold_for_shows_it_literally(floor: Floor) -> None:
    app = hostile_floor(floor).app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select(SLASH)
        await pilot.press("H")
        await check(pilot, "hold for")
        assert prompt_text(app) == squeezed(f"Hold {SLASH} ({ANA} (a1)) for how many minutes?")
        await pilot.press("escape")
    assert app.return_code in (None, 0)


async def test_markup_typed_into_the_filter_is_shown_literally(floor: Floor) -> None:
    app = hostile_floor(floor).app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "left_square_bracket", "slash", "right_square_bracket", "x")
        await check(pilot, "the filter")
        assert main_screen(app).query_one("#filter", Input).value == "[/]x"
        assert "matching “[/]x”" in title(app)
        order = table(app).order
        assert SLASH in order and f"csi{CSI}" not in order, "the filter matches it as text"


async def test_markup_in_the_extend_prompt_is_not_styling(floor: Floor) -> None:
    app = hostile_floor(floor).app()
    async with app.run_test(size=SIZE) as pilot:
        table(app).select(EVIL)
        await pilot.press("e")
        await check(pilot, "extend")
        assert prompt_text(app) == squeezed(
            f"Extend {EVIL}'s deadline ({EVE} ({AGENT})) by how many seconds?"
        )


async def test_every_place_that_draws_hostile_text(floor: Floor) -> None:
    hostile_floor(floor)
    feed = FeedStatus(FeedState.STALE, 1.0, detail=f"link said {OSC52}{EVIL}")
    app = floor.app(feed)
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        screen = main_screen(app)
        output = await check(pilot, "the floor")
        assert clean(f"osc{OSC52}") in output, "the table shows the replaced form"
        assert "[bold]Eve␛]5" in output, "the agents panel too"
        floor.advance(1.0)  # the hostile waits are due: decided, sent, logged
        await pilot.pause(BATCH_WAIT)
        floor.service.action_failed(floor.actions.sent[0], f"HTTP 503 {OSC52}{SLASH}", T0 + 1)
        floor.route(floor.actions.sent[1].conv_id, None)  # confirmed: in the event log
        await pilot.pause(BATCH_WAIT)
        output = await check(pilot, "the event log and toasts")
        assert [t.title for t in toasts(seen)].count("Unassign failed") == 1
        assert all(clean(t.message) == t.message for t in toasts(seen))
        table(app).select(LINK)
        for key, where in (("u", "confirm"), ("H", "hold for"), ("e", "extend")):
            await pilot.press(key)
            await check(pilot, where)
            await pilot.press("escape")
        await pilot.press("d")
        await check(pilot, "dry run")
        await pilot.press("escape", "t")
        await check(pilot, "thresholds")
        await pilot.press("left_square_bracket", "slash")
        thresholds = await check(pilot, "a threshold cell holding markup")
        assert "[/" in thresholds and clean(SKILL) in thresholds
        await pilot.press("escape", "question_mark")
        await check(pilot, "help")
        await pilot.press("escape", "ctrl+p")
        await check(pilot, "the command palette")
        await pilot.press("left_square_bracket", "slash", "s", "o")
        await check(pilot, "a palette search holding markup")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        screen.query_one("#filter", Input).value = f"{EVIL}{OSC52}" + "z" * 500
        await check(pilot, "a hostile filter and its title")
        await pilot.press("escape")
        table(app).select(f"osc{OSC52}")
        floor.feed(ConversationGone(f"osc{OSC52}"))
        await pilot.pause(BATCH_WAIT)
        output = await check(pilot, "the status line")
        assert f"osc{clean(OSC52)} left the table" in status_line(app)
        assert app.is_running
