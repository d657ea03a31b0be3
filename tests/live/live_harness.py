"""The live harness: a running `LiveFloor` and its audit, fast settings for loopback tests,
and waiting on a condition."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from live_wire import ACCOUNT, PASSWORD, USERNAME

from engine.config import FloorwatchConfig, load_config
from engine.core import AuditEvent
from engine.runner import LiveFloor

if TYPE_CHECKING:
    from live_platform import FakePlatform


@dataclass
class Live:
    """A running `LiveFloor` and the audit events it produced."""

    floor: LiveFloor
    audit: list[AuditEvent]
    task: asyncio.Task[None]

    def types(self, conv: str | None = None) -> list[str]:
        return [e.type.value for e in self.audit if conv is None or e.conv == conv]

    def first(self, type_: str, conv: str | None = None) -> AuditEvent:
        return next(e for e in self.audit if e.type == type_ and (conv is None or e.conv == conv))

    async def stop(self) -> None:
        self.floor.stop()
        await self.task


def live_config(platform: FakePlatform, tmp_path: Path, **values: Any) -> FloorwatchConfig:
    """Fast settings for loopback tests; `values` override them."""
    settings: dict[str, Any] = {
        "account": ACCOUNT,
        "username": USERNAME,
        "password": PASSWORD,
        "csds_url": platform.csds_url,
        "insecure_http": True,
        "data_path": tmp_path / "floorwatch.db",
        "policy": {"online": 0.5, "away": 0.5, "offline": 0.5},
        "poll_interval": 0.2,
        "keepalive_interval": 0.5,
        "request_timeout": 2.0,
        "tick_interval": 0.02,
        "reconnect": {"base": 0.02, "factor": 2.0, "cap": 0.2},
    }
    settings.update(values)
    return load_config(**settings)


async def until(
    condition: Callable[[], bool], timeout: float = 3.0, what: str = "condition"
) -> None:
    """Wait until `condition()` holds, checking every few milliseconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.005)


StartLive = Callable[..., Awaitable[Live]]
