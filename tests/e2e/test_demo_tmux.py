"""`floorwatch demo` in a real terminal: tmux runs it, the test reads the screen and types.

Every wait is a poll with a generous deadline; the tmux server is private to the test (its
own socket), so it sees this environment and is always killed at the end.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tmux_support import TMUX, Terminal, start

FLOORWATCH = Path(sys.executable).parent / "floorwatch"
START_TIMEOUT = 30.0
STEP_TIMEOUT = 20.0
POLL = 0.2

ROW = re.compile(r"^│\s*(?P<conv>c\d{5}|vip-\d+)\s", re.MULTILINE)
COUNTDOWN = re.compile(r"\b\d+:\d\d (?:watching|extended)\b")
ROW_LINE = re.compile(r"^│\s*(?:c\d{5}|vip-\d+)\s.*$", re.MULTILINE)
ONLY_WAITING = "only conversations with a deadline running (3 shows all)"
BUSY_WITHIN = 1.0
"""Real seconds for the opening floor to fill the table (5 s of floor time at speed 5)."""
UNASSIGN_QUESTION = re.compile(r"Unassign (?P<conv>\S+) from (?P<agent>.+?) now\?")
"""The agent is shown as name and id: `Unassign c00410 from Eli (a05) now?`."""

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not on PATH")


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    exit_file = tmp_path / "exit-code"
    terminal = start(f"'{FLOORWATCH}' demo --speed 5; echo $? > '{exit_file}'")
    try:
        yield terminal, exit_file
    finally:
        terminal.tmux("kill-server", check=False)


def test_demo_shows_the_floor_holds_unassigns_and_quits(demo: tuple[Terminal, Path]) -> None:
    terminal, exit_file = demo
    first = terminal.wait_for(
        "conversation rows with countdowns",
        lambda s: ROW.search(s) is not None and COUNTDOWN.search(s) is not None,
        START_TIMEOUT,
    )
    terminal.wait_for(
        "the screen to change (countdowns tick)",
        lambda s: s != first and COUNTDOWN.search(s) is not None,
        STEP_TIMEOUT,
    )

    terminal.press("h")
    terminal.wait_for("a held conversation", lambda s: "held" in s, STEP_TIMEOUT)

    terminal.press("u")
    question = terminal.wait_for(
        "the unassign question", lambda s: UNASSIGN_QUESTION.search(s) is not None, STEP_TIMEOUT
    )
    asked = UNASSIGN_QUESTION.search(question)
    assert asked is not None
    conv = asked["conv"]
    terminal.press("y")

    def unassigned(screen: str) -> bool:
        if UNASSIGN_QUESTION.search(screen):
            return False
        rows = {m["conv"] for m in ROW.finditer(screen)}
        return "unassign_now" in screen or " manual" in screen or conv not in rows

    terminal.wait_for(f"the unassign of {conv} to show", unassigned, STEP_TIMEOUT)

    terminal.quit(STEP_TIMEOUT)
    assert exit_file.read_text().strip() == "0"


def test_demo_is_busy_at_once_and_its_data_bar_filters_and_views_work(
    demo: tuple[Terminal, Path],
) -> None:
    """Rows from the first snapshot; 3 narrows the table to the running deadlines and 3 again
    shows all; 6 opens the queue view and 7 the per-skill view, each closed with escape."""
    terminal, exit_file = demo
    terminal.wait_for("conversation rows", lambda s: ROW.search(s) is not None, START_TIMEOUT)
    # The snapshot comes in frames of 50 changes, so the first screen with rows may be taken
    # half-way through it; ten rows must follow within moments (within 5 s of floor time).
    terminal.wait_for("ten rows at once", lambda s: len(ROW.findall(s)) >= 10, BUSY_WITHIN)

    def only_running(screen: str) -> bool:
        rows = ROW_LINE.findall(screen)
        return ONLY_WAITING in screen and all(COUNTDOWN.search(row) for row in rows)

    terminal.press("3")
    narrowed = terminal.wait_for(
        "the table narrowed to running deadlines", only_running, STEP_TIMEOUT
    )
    assert ROW.search(narrowed) is not None
    terminal.press("3")
    terminal.wait_for(
        "every row again",
        lambda s: ONLY_WAITING not in s and re.search(r"\d+ watched", s) is not None,
        STEP_TIMEOUT,
    )

    terminal.press("6")
    terminal.wait_for(
        "the queue view",
        lambda s: re.search(r"Queue: \d+ with no agent", s) is not None,
        STEP_TIMEOUT,
    )
    terminal.press("Escape")
    terminal.wait_for(
        "the floor again", lambda s: "Queue:" not in s and ROW.search(s) is not None, STEP_TIMEOUT
    )

    terminal.press("7")
    terminal.wait_for(
        "the per-skill view", lambda s: re.search(r"Per skill \(\d+\)", s) is not None, STEP_TIMEOUT
    )
    terminal.press("Escape")
    terminal.wait_for(
        "the floor again",
        lambda s: "Per skill (" not in s and ROW.search(s) is not None,
        STEP_TIMEOUT,
    )

    terminal.quit(STEP_TIMEOUT)
    assert exit_file.read_text().strip() == "0"


FOCUS_MOVES = 0.5
"""Real seconds to let a focus change land before the next key."""
AGENT_CHOSEN = re.compile(r"only (?P<who>.+?)'s (?P<count>\d+) \(esc shows all\)")


def one_agents_table(screen: str) -> bool:
    """The table names one agent and shows their rows (none only when they have none): the
    title may be painted a frame before the rows."""
    found = AGENT_CHOSEN.search(screen)
    return found is not None and (found["count"] == "0" or bool(ROW_LINE.findall(screen)))


def test_demo_drills_down_to_an_agent_and_to_a_conversation(
    demo: tuple[Terminal, Path],
) -> None:
    """Tab to the agents view and Enter on its first agent: the table shows only theirs; Enter
    on a conversation opens its detail (deadline, history, audit); escape goes back."""
    terminal, exit_file = demo
    terminal.wait_for("ten rows", lambda s: len(ROW.findall(s)) >= 10, START_TIMEOUT)

    terminal.press("Tab")
    time.sleep(FOCUS_MOVES)  # Textual moves the focus after the key, not within it
    terminal.press("Enter")
    chosen = terminal.wait_for(
        "the table to show one agent's conversations", one_agents_table, STEP_TIMEOUT
    )
    found = AGENT_CHOSEN.search(chosen)
    assert found is not None
    rows = ROW_LINE.findall(chosen)
    assert all(found["who"] in row for row in rows), "every row is that agent's"

    time.sleep(FOCUS_MOVES)
    detail = terminal.press_until(  # once the focus is back on the table
        "Enter",
        "the conversation's detail",
        lambda s: "Deadline" in s and "State history" in s and "Audit events" in s,
        STEP_TIMEOUT,
    )
    assert found["who"] in detail, "the detail names the same agent"
    assert re.search(r"Threshold: |Not waiting: ", detail) is not None

    terminal.press("Escape")
    terminal.wait_for(
        "the floor again",
        lambda s: "State history" not in s and ROW.search(s) is not None,
        STEP_TIMEOUT,
    )
    terminal.quit(STEP_TIMEOUT)
    assert exit_file.read_text().strip() == "0"
