"""The results table `make bench` prints and writes to bench/RESULTS.md, and the run's settings."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    area: str
    measure: str
    value: str
    target: str = ""
    met: bool | None = None
    """None: no verdict (a figure given as context, or one that could not be measured)."""


@dataclass(frozen=True)
class Settings:
    """How hard to measure: `quick` is the smoke test (small sizes, few samples)."""

    quick: bool = False
    samples: int = 5
    idle_seconds: float = 3.0
    cap_seconds: float = 120.0


QUICK = Settings(quick=True, samples=2, idle_seconds=0.5, cap_seconds=60.0)


def verdict(row: Row) -> str:
    return "-" if row.met is None else ("ok" if row.met else "MISS")


def render(rows: list[Row]) -> str:
    headers = ("area", "measure", "value", "goal", "verdict")
    cells = [(r.area, r.measure, r.value, r.target, verdict(r)) for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    line = " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    rule = "-+-".join("-" * w for w in widths)
    body = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join([line, rule, *body])


def best_of(repeats: int, run: Callable[[], object]) -> float:
    """The fastest of `repeats` runs, in seconds (the least disturbed by a noisy machine)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best
