"""The loopback platform's clock: scenario time 0 is the real time when it starts, unless a
test fixes it."""

from __future__ import annotations

import time

from served_support import StartServer, call, floor, open_feed

from fixtures.platform import DEFAULT_EPOCH_MS


async def test_scenario_time_zero_is_the_real_time_at_start(start_server: StartServer) -> None:
    before = time.time()
    server = await start_server(floor(), speed=1.0)
    after = time.time()
    assert before - 0.001 <= server.origin <= after + 0.001
    async with await open_feed(server) as ws:
        clock = await call(ws, "1", ".GetClock")
        now = time.time()
    assert abs(clock["body"]["currentTime"] / 1000 - now) < 2.0


async def test_a_fixed_epoch_gives_fixed_timestamps(start_server: StartServer) -> None:
    server = await start_server(floor(), epoch_ms=DEFAULT_EPOCH_MS)
    assert server.platform.epoch_ms == DEFAULT_EPOCH_MS
    assert server.origin == DEFAULT_EPOCH_MS / 1000
    async with await open_feed(server) as ws:
        clock = await call(ws, "1", "GetClock")
    assert 0 <= clock["body"]["currentTime"] - DEFAULT_EPOCH_MS < 2000
