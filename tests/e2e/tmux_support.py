"""A real terminal for end-to-end tests: a detached tmux session on a private server (its
own socket), read as the screen shows it and, when asked, as the raw bytes the program wrote."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
POLL = 0.2


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

    def press_until(
        self, key: str, what: str, test: Callable[[str], bool], timeout: float, tries: int = 4
    ) -> str:
        """Press `key` until `test(screen)` holds, waiting a share of `timeout` after each
        press (a key may land before a focus change it depends on); fail as `wait_for` does."""
        each = timeout / tries
        for _ in range(tries - 1):
            self.press(key)
            deadline = time.monotonic() + each
            while time.monotonic() < deadline:
                screen = self.screen()
                if test(screen):
                    return screen
                time.sleep(POLL)
        self.press(key)
        return self.wait_for(what, test, each)

    def quit(self, timeout: float) -> None:
        """Press `q`, say yes if the app asks, and wait until it has gone."""
        self.press("q")
        deadline = time.monotonic() + timeout
        while self.alive():
            if "Quit anyway?" in self.screen():
                self.press("y")
            if time.monotonic() > deadline:
                pytest.fail(f"the demo did not quit; the screen:\n{self.screen()}")
            time.sleep(POLL)

    def pipe_to(self, path: Path) -> None:
        """Append every byte the pane's program writes from now on to `path`."""
        self.tmux("pipe-pane", "-o", "-t", self.session, f"cat >> '{path}'")


def start(command: str, size: tuple[int, int] = (160, 45)) -> Terminal:
    """A private tmux server running `command` (no FLOORWATCH_ or TMUX variables) in a
    detached session of `size`; kill it with `terminal.tmux("kill-server", check=False)`."""
    terminal = Terminal(f"fw-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}", "demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLOORWATCH_", "TMUX"))}
    assert TMUX is not None
    width, height = size
    subprocess.run(
        [TMUX, "-L", terminal.socket, "-f", os.devnull, "new-session", "-d",
         "-s", terminal.session, "-x", str(width), "-y", str(height), command],
        check=True,
        env=env,
        timeout=10,
    )  # fmt: skip
    return terminal
