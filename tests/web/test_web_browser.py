"""`floorwatch web --demo` in a real headless Chromium (the system's `chromium`, driven by
Playwright): the floor's rows and countdowns show and tick, `/` filters them, `?` opens the
help, and a screenshot is kept (in $FLOORWATCH_ARTIFACTS, else the test's temporary folder).

The page draws on a canvas, so the test reads the screen from the page's terminal (xterm.js):
an init script keeps the terminal object textual.js makes, and the test reads its rows.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, ViewportSize, sync_playwright
from web_support import web

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)

VIEWPORT: ViewportSize = {"width": 1400, "height": 860}
FIRST_SCREEN_TIMEOUT = 45.0
"""Seconds for the first floor: a session process starts the demo (on a busy machine)."""
STEP_TIMEOUT = 20.0
"""Seconds for the page to show what a later step waits for."""
KEEP_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, enumerable: true});
    window.floorwatchTerminal = value;
  },
});
"""
SCREEN = """() => {
  const terminal = window.floorwatchTerminal;
  if (!terminal) return "";
  const buffer = terminal.buffer.active, rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""
ROW = re.compile(r"^│\s*(?:c\d{5}|vip-\d+)\s", re.MULTILINE)
COUNTDOWN = re.compile(r"\b\d+:\d\d (?:watching|extended)\b")


def artifacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("FLOORWATCH_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page() -> Iterator[Page]:
    assert CHROMIUM is not None
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        try:
            tab = browser.new_page(viewport=VIEWPORT)
            tab.add_init_script(KEEP_TERMINAL)
            yield tab
        finally:
            browser.close()


def wait_screen(
    page: Page, what: str, test: Callable[[str], bool], timeout: float = STEP_TIMEOUT
) -> str:
    """The screen's text once it passes `test`."""
    deadline = time.monotonic() + timeout
    while True:
        screen: str = page.evaluate(SCREEN)
        if test(screen):
            return screen
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; the screen:\n{screen}")
        time.sleep(0.1)


def rows(screen: str) -> int:
    return len(ROW.findall(screen))


def test_the_demo_in_chromium_ticks_filters_and_helps(page: Page, tmp_path: Path) -> None:
    with web(["--demo", "--port", "0"]) as served:
        page.goto(served.url())
        first = wait_screen(
            page,
            "rows with countdowns",
            lambda s: ROW.search(s) is not None and COUNTDOWN.search(s) is not None,
            FIRST_SCREEN_TIMEOUT,
        )
        ticked = wait_screen(
            page,
            "a countdown to change",
            lambda s: COUNTDOWN.findall(s) not in ([], COUNTDOWN.findall(first)),
        )
        assert rows(ticked) > 1
        shot = artifacts(tmp_path) / "browser-view.png"
        page.screenshot(path=str(shot))

        page.focus(".xterm-helper-textarea")  # where xterm.js takes the keyboard
        page.keyboard.press("/")
        wait_screen(page, "the filter", lambda s: "filter: agent, skill" in s)
        page.keyboard.type("billing")
        filtered = wait_screen(
            page,
            "fewer rows, under the filter's title",
            lambda s: "matching “billing”" in s and 0 < rows(s) < rows(ticked),
        )

        page.keyboard.press("Escape")  # clears the filter: all rows again
        wait_screen(page, "all the rows again", lambda s: rows(s) > rows(filtered))
        page.keyboard.press("?")
        wait_screen(page, "the help", lambda s: "Help (Esc closes)" in s)
        page.screenshot(path=str(artifacts(tmp_path) / "browser-help.png"))
        assert served.stop() == 0
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
