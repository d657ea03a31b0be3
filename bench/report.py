"""One table of results, printed at the end of `make bench`."""

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


def render(rows: list[Row]) -> str:
    headers = ("area", "measure", "value", "target", "")
    cells = [
        (r.area, r.measure, r.value, r.target, "" if r.met is None else ("ok" if r.met else "MISS"))
        for r in rows
    ]
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
