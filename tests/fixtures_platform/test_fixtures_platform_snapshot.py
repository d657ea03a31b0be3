"""A subscription's snapshot comes in frames of a bounded number of changes and bytes; a
10,000-conversation floor arrives whole, in frames of realistic size."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from served_support import StartServer, call, open_feed, receive

from engine.protocol import ExConversationChangeBody, parse_frame
from fixtures.generate import large_floor
from fixtures.platform import Platform
from fixtures.platform.frames import DEFAULT_CHANGES_PER_FRAME, MAX_FRAME_BYTES
from fixtures.scenario import parse_scenario

Frame = dict[str, Any]
SUBSCRIBE = {"kind": "req", "id": "s", "type": "cqm.SubscribeExConversations", "body": {}}


def snapshot(conversations: int, **options: Any) -> list[Frame]:
    platform = Platform(parse_scenario(large_floor(conversations)), **options)
    platform.advance_to(0)
    platform.connect()
    platform.handle_request(SUBSCRIBE)
    _, *frames = platform.take_outgoing(0)
    return frames


def test_the_snapshot_is_chunked_by_count() -> None:
    assert DEFAULT_CHANGES_PER_FRAME == 50
    counts = [len(f["body"]["changes"]) for f in snapshot(120)]
    assert counts == [50, 50, 20]
    assert [len(f["body"]["changes"]) for f in snapshot(7, changes_per_frame=3)] == [3, 3, 1]
    with pytest.raises(ValueError, match="changes_per_frame"):
        snapshot(1, changes_per_frame=0)


def test_the_snapshot_is_chunked_by_size_too() -> None:
    frames = snapshot(300, changes_per_frame=1000)
    sizes = [len(json.dumps(f)) for f in frames]
    assert len(frames) > 1
    assert all(size <= MAX_FRAME_BYTES for size in sizes)
    assert sum(len(f["body"]["changes"]) for f in frames) == 300


async def test_a_10k_floor_arrives_whole_in_frames_of_realistic_size(
    start_server: StartServer,
) -> None:
    server = await start_server(parse_scenario(large_floor(10_000)))
    seen: list[str] = []
    sizes: list[int] = []
    async with await open_feed(server) as ws:
        await ws.send(json.dumps(SUBSCRIBE))
        response = await receive(ws)
        assert response["code"] == 200
        while len(seen) < 10_000:
            raw = await ws.recv()
            sizes.append(len(raw))
            frame = parse_frame(raw)  # within Floorwatch's own frame limit
            body = ExConversationChangeBody.model_validate(frame.body)
            seen += [change.result.conv_id for change in body.changes]
            assert len(body.changes) <= DEFAULT_CHANGES_PER_FRAME
        clock = await call(ws, "g", "GetClock")  # the snapshot went out before it
    assert clock["code"] == 200
    assert sorted(seen) == [f"c{n:05d}" for n in range(1, 10_001)]
    assert len(sizes) == 200
    assert max(sizes) <= MAX_FRAME_BYTES
    assert sum(sizes) / len(seen) > 2000, "a realistic change is some 3 KB"


def test_a_large_floor_prints_as_a_scenario_file_for_serve_fixtures() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "fixtures.generate", "large-floor", "5"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    floor = parse_scenario(json.loads(printed.stdout))
    assert [c.id for c in floor.conversations] == ["c00001", "c00002", "c00003", "c00004", "c00005"]
    assert {c.agent for c in floor.conversations} == {"a0001"}
