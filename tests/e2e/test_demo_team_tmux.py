"""`floorwatch demo --team 2` in a real terminal: two dashboards of one floor in tmux panes,
one ACTING and one WATCHING; the acting one's process killed, the other takes over; Ctrl-C
in the demo's pane stops everything."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tmux_support import TMUX, Terminal, start

from fixtures.postgres import why_unavailable
from tui.demo_team import TEAM_LEASE_TTL

FLOORWATCH = Path(sys.executable).parent / "floorwatch"
START_TIMEOUT = 60.0
POLL = 0.2

pytestmark = [
    pytest.mark.skipif(TMUX is None, reason="tmux is not on PATH"),
    pytest.mark.skipif(why_unavailable() is not None, reason=str(why_unavailable())),
]


@pytest.fixture
def team_demo() -> Iterator[Terminal]:
    terminal = start(f"'{FLOORWATCH}' demo --team 2")
    try:
        yield terminal
    finally:
        terminal.tmux("kill-server", check=False)


Panes = dict[str, tuple[int, str]]


def dashboards(terminal: Terminal) -> Panes:
    """Each dashboard pane's process and the first line of its screen, by pane id (the
    demo's own pane, the first, left out)."""
    listed = terminal.tmux("list-panes", "-a", "-F", "#{pane_id} #{pane_pid}", check=False)
    found: Panes = {}
    for line in listed.stdout.split("\n")[1:]:
        if line:
            pane, pid = line.split()
            shown = terminal.tmux("capture-pane", "-p", "-t", pane, check=False).stdout
            found[pane] = (int(pid), shown.split("\n", 1)[0])
    return found


def wait_until(
    what: str, terminal: Terminal, test: Callable[[Panes], bool], timeout: float
) -> Panes:
    deadline = time.monotonic() + timeout
    seen = dashboards(terminal)
    while not test(seen):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}; the dashboards' first lines: {seen}")
        time.sleep(POLL)
        seen = dashboards(terminal)
    return seen


def acting(seen: Panes) -> list[str]:
    return [pane for pane, (_, line) in seen.items() if "Floorwatch  ACTING" in line]


def watching(seen: Panes) -> list[str]:
    return [pane for pane, (_, line) in seen.items() if "WATCHING (acting: supervisor" in line]


def test_one_dashboard_acts_the_other_watches_and_takes_over_when_it_is_killed(
    team_demo: Terminal,
) -> None:
    seen = wait_until(
        "one ACTING and one WATCHING",
        team_demo,
        lambda s: len(acting(s)) == 1 and len(watching(s)) == 1,
        START_TIMEOUT,
    )
    [actor], [watcher] = acting(seen), watching(seen)
    os.kill(seen[actor][0], signal.SIGKILL)
    seen = wait_until(
        "the watcher to act",
        team_demo,
        lambda s: actor not in s and acting(s) == [watcher],
        TEAM_LEASE_TTL + 10,
    )
    assert "WATCHING" not in seen[watcher][1]
    team_demo.press("C-c")  # in the demo's own pane: everything stops, the session ends
    deadline = time.monotonic() + 20
    while team_demo.alive():
        assert time.monotonic() < deadline, "the team demo did not stop"
        time.sleep(POLL)
