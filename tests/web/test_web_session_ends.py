"""A session process's end, with stand-in commands that speak textual-serve's protocol: one
that ignores quit and SIGTERM is killed with its whole process group; one that fails shows
what it said on the tab, control characters replaced."""

from __future__ import annotations

import sys
import time

import pytest
from aiohttp import ClientSession, ClientWebSocketResponse, WSMsgType
from aiohttp.test_utils import TestServer
from web_support import alive, wait_for

from tui.web.server import WebServer
from tui.web.session import TERM_GRACE

STUBBORN = """
import signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)  # inherited by the child below
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print("__GANGLION__", flush=True)
said = f"child {child.pid}".encode()
sys.stdout.buffer.write(b"D" + len(said).to_bytes(4, "big") + said)
sys.stdout.flush()
while True:
    sys.stdin.buffer.read(1) or time.sleep(600)  # reads quit, and ignores it
"""
NEVER_STARTS = r"""
import sys
sys.stderr.write("cannot open: \x1b]52;c;aGk=\x07 in use\n")
sys.exit(1)
"""
FAILS_LATER = r"""
import sys
print("__GANGLION__", flush=True)
sys.stderr.write("the platform link failed: \x1b[2J refused\n")
sys.exit(1)
"""
CHATTY = """
import time
for n in range(100):
    print(f"line {n}", flush=True)
time.sleep(600)
"""
QUIT_GRACE = 0.5
KILLED_WITHIN = 5.0


async def first_bytes(ws: ClientWebSocketResponse) -> bytes:
    message = await ws.receive(timeout=20)
    assert message.type == WSMsgType.BINARY, message
    data: bytes = message.data
    return data


async def test_a_session_that_ignores_quit_and_sigterm_is_killed_with_its_group() -> None:
    server = WebServer([sys.executable, "-c", STUBBORN], "stub", None, quit_grace=QUIT_GRACE)
    async with (
        TestServer(server.application(), host="127.0.0.1") as http,
        ClientSession() as client,
    ):
        page = str(http.make_url("")).rstrip("/")
        async with client.ws_connect(http.make_url("/ws"), origin=page) as ws:
            child = int((await first_bytes(ws)).split()[1])
            (session,) = server.sessions
            assert session.pid is not None and alive(session.pid) and alive(child)
            started = time.monotonic()
            await server.stop_sessions()
            assert time.monotonic() - started < QUIT_GRACE + TERM_GRACE + 2
            assert not alive(session.pid)
            # The group's SIGKILL reaches the child as well, but it dies when the kernel
            # next runs it: on a loaded machine a moment after its parent was reaped.
            wait_for("the killed group's child to end", lambda: not alive(child), KILLED_WITHIN)


@pytest.mark.parametrize(
    ("script", "title", "said"),
    [
        (NEVER_STARTS, "This dashboard could not start.", "cannot open: ␛]52;c;aGk=␇ in use"),
        (FAILS_LATER, "This dashboard stopped.", "the platform link failed: ␛[2J refused"),
        (CHATTY, "This dashboard could not start.", "line 49"),
    ],
)
async def test_a_failed_session_says_why_on_its_tab(script: str, title: str, said: str) -> None:
    server = WebServer([sys.executable, "-c", script], "stub", None, quit_grace=QUIT_GRACE)
    async with (
        TestServer(server.application(), host="127.0.0.1") as http,
        ClientSession() as client,
    ):
        page = str(http.make_url("")).rstrip("/")
        async with client.ws_connect(http.make_url("/ws"), origin=page) as ws:
            shown = (await first_bytes(ws)).decode()
            assert title in shown and said in shown
            assert "\x07" not in shown and "\x1b]52" not in shown and "\x1b[2J refused" not in shown
            assert not ws.closed  # the reason stays on the tab until it is closed
