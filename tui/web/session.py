"""One browser tab's dashboard: a process of its own, relayed to the tab's websocket.

The process is the Floorwatch command run with Textual's web driver (textual-serve's
protocol): it prints `__GANGLION__` when the app starts, then writes packets (a type byte, a
4-byte big-endian length, the payload: `D` screen bytes, `M` JSON meta); it reads the same
packets on stdin (`D` keys, `M` resize, focus, blur and quit). Each process leads its own
process group, so stopping a session ends everything it started. A process that ends before
its app starts (a refused data file, a bad setting) or that fails leaves what it said on the
tab, as text, until the tab is closed: never a blank page.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aiohttp import WSMsgType, web

from engine.core.text import clean

READY = b"__GANGLION__\n"
PRELUDE_LINES = 50
"""Lines a process may print before `READY` (kept to show if it never starts)."""
STDERR_KEPT = 16 * 1024
QUIT_GRACE = 5.0
"""Seconds a session process has to quit when asked, before it is terminated."""
TERM_GRACE = 2.0
"""Seconds after SIGTERM before SIGKILL."""
SHOWN_LINES = 20
MAX_CELLS = 1000


PR_SET_PDEATHSIG = 1


def _die_with_server() -> Callable[[], None] | None:
    """On Linux, what a session process runs before its command: ask for SIGTERM when the
    server dies (a killed server must leave no dashboard acting on the floor unseen)."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here, not after the fork
    server = os.getpid()

    def ask() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != server:  # it died before the request was made
            os._exit(1)

    return ask


def packet(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


def cells(value: object, default: int) -> int:
    """A terminal width or height from the browser (untrusted): a bounded whole number."""
    try:
        number = int(str(value))
    except ValueError:
        return default
    return min(max(number, 1), MAX_CELLS)


def failure_screen(code: int | None, said: bytes | bytearray) -> bytes:
    """What the tab shows when its process ended before starting or with an error."""
    lines = [clean(line) for line in said.decode("utf-8", "replace").splitlines() if line]
    title = "This dashboard could not start." if code is None else "This dashboard stopped."
    body = "\r\n".join(f"  {line}" for line in lines[-SHOWN_LINES:]) or "  (it said nothing)"
    return (
        "\x1b[?1049l\x1b[2J\x1b[H\x1b[0m"  # leave the app's screen, clear, home
        f"\x1b[1m{title}\x1b[0m\r\n\r\n{body}\r\n\r\nClose this tab, or reload it to try again."
    ).encode()


class Session:
    """Run `command` for one websocket until either side ends; `stop` ends the process."""

    def __init__(
        self,
        command: Sequence[str],
        env: Mapping[str, str],
        socket: web.WebSocketResponse,
        quit_grace: float = QUIT_GRACE,
    ) -> None:
        self._command = list(command)
        self._quit_grace = quit_grace
        self._env = dict(env)
        self._socket = socket
        self._process: asyncio.subprocess.Process | None = None
        self._said = bytearray()
        self._started = False
        self._stopping = False

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    async def run(self, width: int, height: int) -> None:
        env = {**self._env, "COLUMNS": str(width), "ROWS": str(height)}
        self._process = await asyncio.create_subprocess_exec(
            *self._command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
            start_new_session=True,
            preexec_fn=_die_with_server(),
        )
        output = asyncio.create_task(self._relay_output(self._process))
        try:
            await self._relay_input()
        finally:
            await self.stop()
            await asyncio.gather(output, return_exceptions=True)

    async def stop(self) -> None:
        """End the session (the tab closed, or the server stops)."""
        self._stopping = True
        await self._end_process()

    async def _end_process(self) -> None:
        """Ask the app to quit; terminate, then kill, its process group if it does not."""
        process = self._process
        if process is None or process.returncode is not None:
            return
        await self._send(b"M", {"type": "quit"})
        for sig, grace in (
            (None, self._quit_grace),
            (signal.SIGTERM, TERM_GRACE),
            (signal.SIGKILL, None),
        ):
            if sig is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, sig)
            try:
                await asyncio.wait_for(process.wait(), grace)
                return
            except TimeoutError:
                continue

    async def _relay_input(self) -> None:
        """The tab's keys, size and focus to the process, until the tab closes."""
        async for message in self._socket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            await self._from_tab(envelope[0], envelope[1] if len(envelope) > 1 else None)

    async def _from_tab(self, kind: object, data: Any) -> None:
        if kind == "stdin" and isinstance(data, str):
            await self._send(b"D", data.encode())
        elif kind == "resize" and isinstance(data, dict):
            width, height = cells(data.get("width"), 80), cells(data.get("height"), 24)
            await self._send(b"M", {"type": "resize", "width": width, "height": height})
        elif kind in ("focus", "blur"):
            await self._send(b"M", {"type": kind})
        elif kind == "ping" and isinstance(data, str):
            await self._socket.send_json(["pong", data])

    async def _send(self, kind: bytes, data: bytes | dict[str, object]) -> None:
        process = self._process
        if process is None or process.stdin is None or process.returncode is not None:
            return
        payload = data if isinstance(data, bytes) else json.dumps(data).encode()
        try:
            process.stdin.write(packet(kind, payload))
            await process.stdin.drain()
        except (ConnectionError, RuntimeError):
            return  # the process is ending; its end is reported by the output relay

    async def _relay_output(self, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None and process.stderr is not None
        errors = asyncio.create_task(self._keep_stderr(process.stderr))
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            await self._read_screen(process.stdout)  # until the process closes its output
        if not self._started:  # it printed too much without starting: show that, not a hang
            await self._end_process()
        code = await process.wait()
        await errors
        if self._socket.closed:
            return
        if self._stopping or (self._started and code == 0):
            await self._socket.close()
        else:
            await self._socket.send_bytes(
                failure_screen(code if self._started else None, self._said)
            )

    async def _read_screen(self, stdout: asyncio.StreamReader) -> None:
        for _ in range(PRELUDE_LINES):
            line = await stdout.readline()
            if not line:
                return
            if line == READY:
                break
            self._said += line
        else:
            return
        self._started = True
        while True:
            kind = await stdout.readexactly(1)
            size = int.from_bytes(await stdout.readexactly(4), "big")
            payload = await stdout.readexactly(size)
            if kind == b"D" and not self._socket.closed:
                await self._socket.send_bytes(payload)

    async def _keep_stderr(self, stderr: asyncio.StreamReader) -> None:
        while chunk := await stderr.read(4096):
            self._said += chunk
            del self._said[:-STDERR_KEPT]
