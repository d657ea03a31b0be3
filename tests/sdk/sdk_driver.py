"""The node driver (`driver.js`) as an asyncio subprocess: commands in, JSON events out.

Every event the driver prints is kept, in order, stamped with the platform's clock at the
moment it was read (`platform_at`, epoch seconds), so a test can bound what the SDK saw by what
the platform knew.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "driver.js"
LINE_LIMIT = 64 * 1024 * 1024
"""A snapshot notification is one line; the default 64 KiB reader limit is far too small."""

Event = dict[str, Any]
Match = Callable[[Event], bool]


class DriverError(AssertionError):
    """The driver did not do what was asked in time; the message holds its stderr."""


@dataclass(frozen=True, slots=True)
class SdkConfig:
    """What the SDK's constructor gets (`csds_domain`: the platform's `host:port`)."""

    account_id: str
    username: str
    password: str = field(repr=False)
    csds_domain: str
    refresh_interval_ms: int
    request_timeout_ms: int = 5000

    def to_json(self) -> str:
        return json.dumps(
            {
                "accountId": self.account_id,
                "username": self.username,
                "password": self.password,
                "csdsDomain": self.csds_domain,
                "refreshSessionInterval": self.refresh_interval_ms,
                "requestTimeout": self.request_timeout_ms,
            }
        )


class SdkDriver:
    """One running driver. Start with `start()`; always `close()` it."""

    def __init__(self, process: asyncio.subprocess.Process, stamp: Callable[[], float]) -> None:
        self._process = process
        self._stamp = stamp
        self.events: list[Event] = []
        self._arrived = asyncio.Event()
        self._stderr = bytearray()
        self._next_id = 0
        self._tasks = (
            asyncio.create_task(self._read_events()),
            asyncio.create_task(self._read_stderr()),
        )

    @classmethod
    async def start(cls, config: SdkConfig, ca_path: Path, stamp: Callable[[], float]) -> SdkDriver:
        """Run the driver with the platform's CA trusted (the SDK speaks only https/wss)."""
        node = shutil.which("node")
        if node is None:
            raise DriverError("node is not on PATH")
        env = {**os.environ, "NODE_EXTRA_CA_CERTS": str(ca_path)}
        process = await asyncio.create_subprocess_exec(
            node,
            str(DRIVER),
            cwd=HERE,
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            limit=LINE_LIMIT,
        )
        driver = cls(process, stamp)
        await driver._write(config.to_json())
        return driver

    # ------------------------------------------------------------------ events

    async def _read_events(self) -> None:
        assert self._process.stdout is not None
        while line := await self._process.stdout.readline():
            event: Event = json.loads(line)
            event["platform_at"] = self._stamp()
            self.events.append(event)
            self._arrived.set()
        self._arrived.set()

    async def _read_stderr(self) -> None:
        assert self._process.stderr is not None
        while chunk := await self._process.stderr.read(65536):
            self._stderr.extend(chunk)

    @property
    def stderr(self) -> str:
        return self._stderr.decode(errors="replace")

    def position(self, event: Event) -> int:
        """The index of `event` (this very event) in `events`."""
        return next(i for i, seen in enumerate(self.events) if seen is event)

    def of(self, kind: str) -> list[Event]:
        """The events named `kind`, in order."""
        return [event for event in self.events if event["event"] == kind]

    async def wait_for(self, match: Match, timeout: float, *, after: int = 0) -> Event | None:
        """The first event from index `after` on that `match`es, or None after `timeout`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        seen = after
        while True:
            for event in self.events[seen:]:
                if match(event):
                    return event
            seen = len(self.events)
            if self._process.returncode is not None and self._tasks[0].done():
                return None
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)

    async def expect(self, match: Match, timeout: float, what: str, *, after: int = 0) -> Event:
        """Like `wait_for`, but a timeout is a DriverError naming `what`."""
        event = await self.wait_for(match, timeout, after=after)
        if event is None:
            raise DriverError(f"no {what} within {timeout} s; driver stderr:\n{self.stderr}")
        return event

    # ------------------------------------------------------------------ commands

    async def _write(self, line: str) -> None:
        assert self._process.stdin is not None
        self._process.stdin.write(line.encode() + b"\n")
        await self._process.stdin.drain()

    async def command(self, op: str, timeout: float, **fields: Any) -> Event:
        """Send command `op` and return its reply event (a DriverError after `timeout`)."""
        self._next_id += 1
        command_id = self._next_id
        await self._write(json.dumps({"id": command_id, "op": op, **fields}))
        reply = await self.expect(
            lambda e: e["event"] == "reply" and e["id"] == command_id, timeout, f"reply to {op}"
        )
        return reply

    async def request(self, method: str, body: dict[str, Any], timeout: float = 10.0) -> Event:
        """`agent.<method>(body, callback)`; the reply holds the callback's error and body."""
        return await self.command("request", timeout, method=method, body=body)

    async def close(self) -> None:
        """Dispose of the SDK (when it still runs) and reap the process."""
        if self._process.returncode is None:
            with contextlib.suppress(DriverError, ConnectionError):
                await self.command("dispose", 5.0)
        try:
            await asyncio.wait_for(self._process.wait(), 5.0)
        except TimeoutError:
            self._process.kill()
            await self._process.wait()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
