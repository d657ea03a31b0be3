"""`floorwatch demo` in a real terminal: tmux runs it, the test reads the screen and types.

Every wait is a poll with a generous deadline; the tmux server is private to the test (its
own socket), so it sees this environment and is always killed at the end.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

FLOORWATCH = Path(sys.executable).parent / "floorwatch"
TMUX = shutil.which("tmux")
START_TIMEOUT = 30.0
STEP_TIMEOUT = 20.0
POLL = 0.2

ROW = re.compile(r"^│\s*(?P<conv>c\d{5}|vip-\d+)\s", re.MULTILINE)
COUNTDOWN = re.compile(r"\b\d+:\d\d (?:watching|extended)\b")
UNASSIGN_QUESTION = re.compile(r"Unassign (?P<conv>\S+) from (?P<agent>\S+) now\?")

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not on PATH")


@dataclass
class Terminal:
    """A detached tmux session on a private server."""

    socket: str
    session: str

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        assert TMUX is not None
        return subprocess.run(
            [TMUX, "-L", self.socket, *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=check,
        )

    def screen(self) -> str:
        result = self.tmux("capture-pane", "-p", "-t", self.session, check=False)
        return result.stdout if result.returncode == 0 else ""

    def press(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.session, *keys)

    def alive(self) -> bool:
        return self.tmux("has-session", "-t", self.session, check=False).returncode == 0

    def wait_for(self, what: str, test: Callable[[str], bool], timeout: float) -> str:
        """Poll the screen until `test(screen)` holds; fail with the last screen if not."""
        deadline = time.monotonic() + timeout
        screen = self.screen()
        while not test(screen):
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; the screen:\n{screen}")
            time.sleep(POLL)
            screen = self.screen()
        return screen


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    terminal = Terminal(f"fw-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}", "demo")
    exit_file = tmp_path / "exit-code"
    command = f"'{FLOORWATCH}' demo --speed 5; echo $? > '{exit_file}'"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLOORWATCH_", "TMUX"))}
    assert TMUX is not None
    subprocess.run(
        [TMUX, "-L", terminal.socket, "-f", os.devnull, "new-session", "-d",
         "-s", terminal.session, "-x", "160", "-y", "45", command],
        check=True,
        env=env,
        timeout=10,
    )  # fmt: skip
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

    terminal.press("q")
    deadline = time.monotonic() + STEP_TIMEOUT
    while terminal.alive():
        if "Quit anyway?" in terminal.screen():
            terminal.press("y")
        if time.monotonic() > deadline:
            pytest.fail(f"the demo did not quit; the screen:\n{terminal.screen()}")
        time.sleep(POLL)
    assert exit_file.read_text().strip() == "0"
