"""`floorwatch demo` on a floor of hostile text, in a real terminal: ids, agent names and
skills full of markup, terminal escapes (OSC 52, CSI, C1, DEL, NUL) and very long strings.

tmux runs the demo and `pipe-pane` records every byte the app writes to the terminal. The app
must survive every screen that shows that text (the floor, the filter and its title, hold
for, extend, thresholds, help, the palette) and keep running the engine (its unassigns of
hostile ids are decided and tried); the screen must show the text in its replaced form;
the bytes must hold no escape of the data's own: only the ones Textual writes for itself.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tmux_support import TMUX, Terminal, start

from engine.core.text import clean

FLOORWATCH = Path(sys.executable).parent / "floorwatch"
START_TIMEOUT = 30.0
STEP_TIMEOUT = 20.0
ESCAPE_PAUSE = 0.6

OSC52 = "\x1b]52;c;ZXZpbA==\x07"
CSI = "\x1b[>0;7777m"
SLASH = "c[/]x"
EVIL = "[bold red]EVIL[/]"
LINK = "[link=https://evil.example]click[/link]"
AGENT = f"a[/]{OSC52}"
SKILL = f"s[/]{CSI}"
CONVERSATIONS = (
    SLASH,
    EVIL,
    LINK,
    f"osc{OSC52}",
    f"csi{CSI}\x9b2J",
    "del\x7f\x00nul",
    "L" * 2000 + OSC52,
)
SHOWN = (SLASH, EVIL, clean(f"osc{OSC52}")[:12], "del␡␀nul", "Ana �2J␡")
"""How the hostile text shows: markup as text, ESC as ␛, DEL as ␡, NUL as ␀, C1 as �."""
ESC = b"\x1b"
TEXTUAL_OSC = frozenset({b"22", b"8"})
"""The OSCs Textual writes: the pointer shape, links (neither comes from the data)."""
PAYLOADS = (OSC52, CSI, "\x9b", "\x7f", "\x00")
OWN_ESCAPES = re.compile(
    rb"\x1b\[[0-9;:?<=>]*[$ ]?[A-Za-z~]"  # CSI: colours, cursor moves, modes
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC (which ones is checked below)
    rb"|\x1b[=>78()][AB0]?"  # keypad modes, cursor save and restore, character sets
    rb"|\x1bP[^\x1b]*\x1b\\"  # DCS (a query, if any)
)

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not on PATH")


def hostile_scenario() -> dict[str, Any]:
    agents = [
        {
            "id": AGENT,
            "name": f"{EVIL}{OSC52}" + "e" * 300,
            "skills": [SKILL],
            "state": "ONLINE",
        },
        {"id": "ana", "name": f"Ana \x9b2J\x7f {LINK}", "skills": [SKILL], "state": "ONLINE"},
    ]
    conversations = [
        {"id": conv, "skill": SKILL, "agent": AGENT if i % 2 else "ana"}
        for i, conv in enumerate(CONVERSATIONS)
    ]
    timeline = [
        {"at": 1 + i, "consumer_message": {"conv": conv, "text": f"hi {OSC52}{EVIL}"}}
        for i, conv in enumerate(CONVERSATIONS)
    ]
    return {
        "name": "hostile-text",
        "description": "Ids, names and skills full of markup, escapes and long strings.",
        "policy": {"online": 20, "away": 20, "offline": 20},
        "agents": agents,
        "conversations": conversations,
        "timeline": timeline,
        "until": 3600,
        "expect_all_decisions": False,
    }


@pytest.fixture
def hostile_demo(tmp_path: Path) -> Iterator[tuple[Terminal, Path, Path]]:
    scenario = tmp_path / "hostile.json"
    scenario.write_text(json.dumps(hostile_scenario()))
    raw, exit_file = tmp_path / "terminal.bytes", tmp_path / "exit-code"
    command = (
        f"sleep 1; '{FLOORWATCH}' demo --speed 4 --scenario '{scenario}'; echo $? > '{exit_file}'"
    )
    terminal = start(command)
    terminal.pipe_to(raw)
    try:
        yield terminal, raw, exit_file
    finally:
        terminal.tmux("kill-server", check=False)


def assert_only_textual_escapes(raw: bytes) -> None:
    for payload in PAYLOADS:
        assert payload.encode() not in raw, f"{payload!r} reached the terminal"
    assert b"\x1b]52" not in raw
    for osc in re.findall(rb"\x1b\]([^\x07\x1b;]*)", raw):
        assert osc in TEXTUAL_OSC, f"an unexpected OSC {osc!r}"
    rest = OWN_ESCAPES.sub(b"", raw)
    stray = rest.find(ESC)
    assert stray < 0, f"a stray ESC: {rest[max(0, stray - 20) : stray + 40]!r}"


def escape(terminal: Terminal) -> None:
    """Escape, then a pause: a key right after it would read as Alt+key."""
    terminal.press("Escape")
    time.sleep(ESCAPE_PAUSE)


def type_filter(terminal: Terminal, query: str) -> None:
    terminal.press("/")
    terminal.wait_for("the filter", lambda s: "filter: agent, skill" in s, STEP_TIMEOUT)
    terminal.tmux("send-keys", "-t", terminal.session, "-l", query)
    terminal.press("Enter")
    time.sleep(ESCAPE_PAUSE)  # the table takes the focus back before the next key


def test_hostile_text_is_shown_replaced_and_never_reaches_the_terminal(
    hostile_demo: tuple[Terminal, Path, Path],
) -> None:
    terminal, raw, exit_file = hostile_demo
    terminal.wait_for(
        "the hostile rows and agents, replaced",
        lambda s: all(text in s for text in SHOWN),
        START_TIMEOUT,
    )
    terminal.wait_for("an unassign of a hostile id", lambda s: "unassign." in s, STEP_TIMEOUT)

    type_filter(terminal, "c[/]")
    terminal.wait_for("the filter's title", lambda s: "matching “c[/]”" in s, STEP_TIMEOUT)
    terminal.press("H")
    terminal.wait_for("the hold-for prompt", lambda s: f"Hold {SLASH}" in s, STEP_TIMEOUT)
    escape(terminal)
    escape(terminal)  # clears the filter
    type_filter(terminal, "EVIL")
    terminal.press("e")
    terminal.wait_for(
        "the extend prompt, its id literal",
        # "EVIL" also matches agents' names now: any hostile row may be the first one
        lambda s: any(f"Extend {conv}"[:40] in s for conv in (SLASH, EVIL, LINK)),
        STEP_TIMEOUT,
    )
    escape(terminal)
    escape(terminal)
    terminal.press("t")
    terminal.wait_for("the thresholds", lambda s: "Thresholds (seconds)" in s, STEP_TIMEOUT)
    terminal.tmux("send-keys", "-t", terminal.session, "-l", "[/")
    terminal.wait_for("the skill row", lambda s: clean(SKILL)[:6] in s, STEP_TIMEOUT)
    escape(terminal)
    terminal.press("?")
    terminal.wait_for("the help", lambda s: "Help (Esc closes)" in s, STEP_TIMEOUT)
    escape(terminal)
    terminal.press("C-p")
    terminal.tmux("send-keys", "-t", terminal.session, "-l", "[/")
    time.sleep(1.0)
    escape(terminal)
    terminal.wait_for(
        "the floor again", lambda s: SLASH in s and "Keys (Esc" not in s, STEP_TIMEOUT
    )
    assert terminal.alive(), "the app (and its engine) is still running"

    terminal.quit(STEP_TIMEOUT)
    assert exit_file.read_text().strip() == "0"
    output = raw.read_bytes()
    assert len(output) > 10_000, "the terminal's bytes were recorded"
    assert_only_textual_escapes(output)
