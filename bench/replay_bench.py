"""Wall time of `floorwatch replay` for the showcase and for a generated 8-hour floor."""

from __future__ import annotations

import time

from bench.report import Row
from fixtures.generate import FloorShape, floor
from fixtures.replay import replay
from fixtures.scenario import load_scenario, parse_scenario


def _timed_replay(document_or_name: object) -> tuple[float, int]:
    start = time.perf_counter()
    if isinstance(document_or_name, str):
        scenario = load_scenario(document_or_name)
    else:
        scenario = parse_scenario(document_or_name)
    result = replay(scenario)
    return time.perf_counter() - start, len(result.records)


def run() -> list[Row]:
    showcase, showcase_events = _timed_replay("showcase")
    big = floor("eight-hours", FloorShape(agents=300, conversations=10_000, hours=8.0))
    eight_hours, big_events = _timed_replay(big)
    return [
        Row("replay", f"showcase ({showcase_events:,} audit events)", f"{showcase:.2f} s"),
        Row(
            "replay",
            f"10,000 conversations, 8 h ({big_events:,} audit events)",
            f"{eight_hours:.2f} s",
            "< 10 s",
            eight_hours < 10.0,
        ),
    ]
