"""What the screens look like, on the frozen clock (refresh with `--snapshot-update`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from tui_harness import T0, Floor, table

from engine.core import ConversationGone, SetDryRun
from engine.status import FeedState, FeedStatus
from tui.app import FloorwatchApp
from tui.screens.path_prompt import PathPrompt

SnapCompare = Callable[..., bool]


async def _hold_and_extend(pilot: Pilot[None]) -> None:
    """A held row, an extended row and a few events in the log."""
    assert isinstance(pilot.app, FloorwatchApp)
    conversations = table(pilot.app)
    conversations.select("c7")
    await pilot.press("h")
    conversations.select("c6")
    await pilot.press("e", "enter")
    conversations.select("c1")
    await pilot.pause()


def test_main_screen(floor: Floor, snap_compare: SnapCompare) -> None:
    assert snap_compare(floor.app(), terminal_size=(120, 40), run_before=_hold_and_extend)


SIZES = pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])


@SIZES
def test_thresholds_screen(floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """Inherited cells dimmed with the default they take."""
    assert snap_compare(floor.app(), press=["t"], terminal_size=size)


@SIZES
def test_thresholds_error(floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    keys = ["t", "tab", "backspace", "backspace", "-", "5"]
    assert snap_compare(floor.app(), press=keys, terminal_size=size)


@SIZES
def test_thresholds_preview(floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """Online 50, away 90: one conversation becomes due now, two get later deadlines."""
    keys = [
        "t",
        "5",
        "0",
        "enter",
        "9",
        "0",
        "ctrl+s",
    ]  # a cell entered is selected: typing replaces it
    assert snap_compare(floor.app(), press=keys, terminal_size=size)


@SIZES
def test_help_screen(floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(floor.app(), press=["question_mark"], terminal_size=size)


@SIZES
def test_main_screen_header(floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """The link down with its reason and retry, and how old the data is."""
    reason = "cannot reach va.agentvep.liveperson.net (timed out)"
    app = floor.app(FeedStatus(FeedState.RECONNECTING, T0 - 31.5, reason, retry_in=7.2))
    assert snap_compare(app, terminal_size=size)


def test_main_screen_wide(floor: Floor, snap_compare: SnapCompare) -> None:
    assert snap_compare(floor.app(), terminal_size=(160, 45), run_before=_hold_and_extend)


@SIZES
def test_unassign_confirmation(
    floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    """The confirmation modal (the same one asks before quitting, releasing an overdue hold,
    turning dry run off and applying thresholds)."""
    assert snap_compare(floor.app(), press=["down", "u"], terminal_size=size)


@SIZES
def test_extend_prompt(floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """The number prompt (extend by, hold for)."""
    assert snap_compare(floor.app(), press=["down", "e"], terminal_size=size)


@SIZES
def test_save_audit_prompt(floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """The path prompt `w` opens when the audit cannot be saved (pushed as `w` pushes it: a
    lost data file's toast would name a temporary path)."""

    async def run_before(pilot: Pilot[None]) -> None:
        pilot.app.push_screen(PathPrompt("Write the audit to a new data file:"))
        await pilot.press(*"/srv/floorwatch/saved.db")
        await pilot.pause()

    assert snap_compare(floor.app(), terminal_size=size, run_before=run_before)


@SIZES
def test_command_palette(floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """Floorwatch's actions only, each with its key."""
    assert snap_compare(floor.app(), press=["ctrl+p"], terminal_size=size)


def test_stale_feed(floor: Floor, snap_compare: SnapCompare) -> None:
    floor.clock.advance(12)
    floor.service.feed_stale(T0 + 8, "no pong for 4 s")
    assert snap_compare(floor.app(), terminal_size=(120, 40))


def test_reconnecting_in_dry_run(floor: Floor, snap_compare: SnapCompare) -> None:
    floor.service.execute(SetDryRun(on=True, by="supervisor"), T0)
    app = floor.app(FeedStatus(FeedState.RECONNECTING, T0 - 31.5))
    assert snap_compare(app, terminal_size=(120, 40))


def test_narrow_terminal(floor: Floor, snap_compare: SnapCompare) -> None:
    assert snap_compare(floor.app(), terminal_size=(80, 24))


def test_too_small_terminal(floor: Floor, snap_compare: SnapCompare) -> None:
    assert snap_compare(floor.app(), terminal_size=(50, 12))


def test_frozen_table(floor: Floor, snap_compare: SnapCompare) -> None:
    """Frozen, with the selected conversation gone: its row stays, dimmed, marked "left"."""

    async def run_before(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app, FloorwatchApp)
        table(pilot.app).select("c1")
        await pilot.press("f")
        floor.feed(ConversationGone("c1"))
        await pilot.pause(1.2)  # a batch, and the header's once-a-second figures

    assert snap_compare(floor.app(), terminal_size=(120, 40), run_before=run_before)


async def _a_busy_minute(floor: Floor, pilot: Pilot[None]) -> None:
    """c5 unassigned and routed again to a1 after 14 s, c2 unassigned and still in the queue,
    c7 held: every figure of the data bar has something to count."""
    assert isinstance(pilot.app, FloorwatchApp)
    floor.advance(3)
    floor.route("c5", None)
    floor.advance(10)
    floor.route("c2", None)
    floor.clock.advance(4)
    floor.route("c5", "a1")
    table(pilot.app).select("c7")
    await pilot.press("h")
    await pilot.pause(0.3)


def _busy(floor: Floor, *keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await _a_busy_minute(floor, pilot)
        await pilot.press(*keys)
        await pilot.pause(0.3)

    return run_before


@SIZES
def test_data_bar(floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """The main screen with the data bar's figures, a filter by one of them (3: waiting)."""
    assert snap_compare(floor.app(), terminal_size=size, run_before=_busy(floor, "3"))


@SIZES
def test_queue_view(floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(floor.app(), terminal_size=size, run_before=_busy(floor, "6"))


@SIZES
def test_skills_view(floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(floor.app(), terminal_size=size, run_before=_busy(floor, "7"))


@SIZES
def test_agents_view(floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """The agents view focused, sorted by waiting, its cursor on the second agent."""
    assert snap_compare(floor.app(), press=["tab", "s", "down"], terminal_size=size)


@SIZES
def test_agent_chosen(floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """Enter on Ana: the table shows only her conversations, its title says so."""
    assert snap_compare(floor.app(), press=["tab", "enter"], terminal_size=size)


def _detail_of(floor: Floor, conv_id: str, *keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await _a_busy_minute(floor, pilot)
        assert isinstance(pilot.app, FloorwatchApp)
        table(pilot.app).select(conv_id)
        await pilot.press("enter", *keys)
        await pilot.pause(0.3)

    return run_before


@SIZES
def test_detail_view(stored_floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """c5 after a busy minute: unassigned, routed again to Ana; its history and audit."""
    run_before = _detail_of(stored_floor, "c5")
    assert snap_compare(stored_floor.app(), terminal_size=size, run_before=run_before)


@SIZES
def test_detail_of_a_held_conversation(
    stored_floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    """c7, held: the hold is part of how its deadline is worked out; Enter on its newest
    audit event shows that event whole over the detail."""
    run_before = _detail_of(stored_floor, "c7", "enter")
    assert snap_compare(stored_floor.app(), terminal_size=size, run_before=run_before)


@SIZES
def test_event_shown_whole(floor: Floor, snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """Enter on the newest event of the floor's event log: every field of it."""
    assert snap_compare(
        floor.app(), terminal_size=size, run_before=_busy(floor, "tab", "tab", "enter")
    )
