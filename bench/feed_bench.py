"""The feed path (parse + translate + engine) against `json.loads` alone on the same frames."""

from __future__ import annotations

import json
import time

from bench.report import Row
from engine.core import Engine
from engine.link.session import LinkSession
from engine.service import FloorService
from fixtures.generate import FloorShape, floor
from fixtures.platform import Platform
from fixtures.scenario import parse_scenario


def platform_frames(conversations: int = 2_000, hours: float = 2.0) -> list[str]:
    """Every frame the fixture platform sends for a generated floor, as JSON text."""
    scenario = parse_scenario(floor("bench", FloorShape(conversations=conversations, hours=hours)))
    platform = Platform(scenario)
    session = LinkSession(brand_id=platform.account)
    platform.connect()
    for request in session.connected(0.0).writes:
        platform.handle_request(json.loads(request))
    frames: list[str] = []
    t = 0.0
    while (t_next := platform.next_event_at()) is not None and t_next <= scenario.until:
        t = t_next
        platform.advance_to(t)
        frames += [json.dumps(frame) for frame in platform.take_outgoing(t)]
    return frames


def _through_session(frames: list[str], scenario_start: float) -> float:
    service = FloorService(Engine(), LinkSession(brand_id="12345678"))
    service.connected(scenario_start)
    service.take_writes()
    start = time.perf_counter()
    for frame in frames:
        service.receive(frame, scenario_start)
    return time.perf_counter() - start


def run() -> list[Row]:
    frames = platform_frames()
    start = time.perf_counter()
    for frame in frames:
        json.loads(frame)
    baseline = time.perf_counter() - start
    ours = _through_session(frames, 1_732_500_000.0)
    ratio = ours / baseline
    return [
        Row("feed", "frames", f"{len(frames):,}"),
        Row("feed", "frames/s through parse+translate+engine", f"{len(frames) / ours:,.0f}"),
        Row("feed", "frames/s through json.loads alone", f"{len(frames) / baseline:,.0f}"),
        Row("feed", "overhead vs json.loads", f"{ratio:.2f}x", "<= 5x", ratio <= 5.0),
    ]
