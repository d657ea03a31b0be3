"""Live-link tests: fixtures for the loopback platform and a running floor.

The helpers live in this folder, importable by name as in tests/core: `live_platform` (the
loopback platform), `live_rest` (its REST side), `live_wire` (its frames and credentials) and
`live_harness` (a running floor).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

for _path in (Path(__file__).resolve().parents[2], Path(__file__).resolve().parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from live_harness import Live, StartLive, live_config, until  # noqa: E402
from live_platform import FakePlatform  # noqa: E402

from engine.core import AuditEvent  # noqa: E402
from engine.runner import LiveFloor  # noqa: E402


@pytest.fixture
async def platform() -> AsyncIterator[FakePlatform]:
    fake = FakePlatform()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


@pytest.fixture
async def start_live(platform: FakePlatform, tmp_path: Path) -> AsyncIterator[StartLive]:
    """`await start_live(**config)`: a floor connected to `platform` and synced."""
    running: list[Live] = []

    async def start(**values: Any) -> Live:
        audit: list[AuditEvent] = []
        floor = LiveFloor.open(live_config(platform, tmp_path, **values), on_audit=audit.append)
        live = Live(floor, audit, asyncio.create_task(floor.run()))
        running.append(live)
        await until(lambda: floor.session.synced or live.task.done(), what="the first resync")
        if live.task.done():
            live.task.result()
        return live

    try:
        yield start
    finally:
        for live in running:
            live.floor.stop()
            await asyncio.gather(live.task, return_exceptions=True)
            live.floor.close()
