"""The live client against the fixture platform as it stands in for the real service: over
TLS it trusts only an authority it is given, a 10,000-conversation snapshot in frames of
realistic size arrives whole, and a transfer to an agent is watched only once accepted."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from pathlib import Path

from wire_support import small_scenario

from engine.runner import LiveFloor
from fixtures.generate import large_floor
from fixtures.platform.server import FixtureServer, serve
from fixtures.replay import replay
from fixtures.scenario import load_scenario, parse_scenario
from fixtures.wire import loopback_config, replay_wire, scaled_clock

SPEED = 10.0


async def _until(done: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    give_up = loop.time() + timeout
    while not done():
        assert loop.time() < give_up, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


async def _run_floor(server: FixtureServer, floor_check: Callable[[LiveFloor], bool]) -> LiveFloor:
    """A live floor on `server` until `floor_check` holds (then it is stopped)."""
    with tempfile.TemporaryDirectory() as tmp:
        scenario = server.platform.scenario
        config = loopback_config(server, scenario, Path(tmp) / "floor.sqlite3")
        floor = LiveFloor.open(config, clock=scaled_clock(server.speed))
        task = asyncio.create_task(floor.run())
        try:
            await _until(lambda: floor_check(floor) or task.done(), "the floor")
            assert not task.done(), task.exception()
        finally:
            floor.stop()
            await asyncio.gather(task, return_exceptions=True)
            floor.close()
    return floor


async def test_over_tls_the_client_trusts_the_platforms_authority_and_plays_a_scenario() -> None:
    scenario = load_scenario("away-agent")
    result = await replay_wire(scenario, speed=SPEED, tls=True)
    assert result.report.met, result.report.diff_lines()
    assert [r["type"] for r in result.records] == [r["type"] for r in replay(scenario).records]


async def test_without_that_authority_the_client_refuses_the_certificate() -> None:
    server = await serve(small_scenario(), speed=SPEED, tls=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = loopback_config(server, server.platform.scenario, Path(tmp) / "f.sqlite3")
            untrusting = config.model_copy(update={"ca_file": None})
            floor = LiveFloor.open(untrusting, clock=scaled_clock(SPEED))
            task = asyncio.create_task(floor.run())
            try:
                await _until(lambda: "CERTIFICATE_VERIFY_FAILED" in floor.status.detail, "why")
                assert not server.started, "no feed connected"
            finally:
                floor.stop()
                await asyncio.gather(task, return_exceptions=True)
                floor.close()
    finally:
        await server.close()


async def test_a_10k_snapshot_arrives_whole_in_frames_of_realistic_size() -> None:
    server = await serve(parse_scenario(large_floor(10_000)), speed=1.0)
    try:
        floor = await _run_floor(server, lambda f: f.service.synced)
    finally:
        await server.close()
    stats = floor.stats
    assert floor.service.read.watched_count() == 10_000
    assert stats.dropped_total == 0
    assert stats.notifications >= 200, "50 changes to a frame at most"
    assert 100_000 < stats.largest_frame <= 256 * 1024, stats.largest_frame
