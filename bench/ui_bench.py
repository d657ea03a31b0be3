"""The real Floorwatch screen beside the fair `DataTable` app, at 1k to 100k conversations.

Each table at each size runs in its own process (`bench.probe`), stopped at a cap: a measure
it did not reach reads "did not finish in N s", never a guess. Ratios are DataTable / ours,
both timed from the key to the first frame that shows its effect (`bench.frames`), the wait
for the app's frame timer included; that floor alone is its own row. Each timing also has
its CPU time (the process's, over the same span): the work without the idle wait for the
frame, the fairer ratio when both tables are near the floor.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.probe import CPU, MEASURES, PARTS
from bench.report import Row, Settings

ROOT = Path(__file__).resolve().parent.parent
AREA = "ui"
SIZES = (1_000, 10_000, 50_000, 100_000)
QUICK_SIZES = (1_000,)
SMALL, LARGE, THEIRS_AT = 1_000, 100_000, 50_000
MEMORY_GOAL = 1_536
LABELS = {
    "mount": "mount to first paint",
    "rss": "engine + UI resident memory per conversation",
    "floor": "a repaint to its frame (the floor under every timing)",
    "poll": "poll: loop blocked by one periodic poll",
    "idle_cpu": "idle CPU (share of one core; longest loop lag)",
    "tick": "countdown tick to frame",
    "cursor": "cursor move (down) to frame",
    "page": "page move (pagedown) to frame",
    "sort": "sort by the next column (s) to frame",
    "reverse": "reverse the sort (S) to frame",
    "filter": "filter keystroke to frame",
    "batch": "feed batch of 1,000 changes to frame",
} | {cpu: f"CPU time of one {name} (no waits)" for name, cpu in CPU.items()}
WITHIN_2X = ("poll", "idle_cpu", "filter", "sort", "reverse", "cursor")
TEN_TIMES = ("filter", "sort", "reverse", "cursor")


@dataclass(frozen=True)
class Run:
    """What one probe printed, and why it stopped short if it did."""

    figures: dict[str, float]
    short: str = ""
    """E.g. "did not finish in 180 s"; empty when every measure was taken."""

    def get(self, measure: str) -> float | None:
        return self.figures.get(measure)


def measure(kind: str, size: int, settings: Settings) -> Run:
    """Every measure of one table at one size: each part in its own process."""
    keys, feed = (probe(kind, part, size, settings) for part in PARTS)
    batch = {name: feed.figures[name] for name in PARTS["feed"] if name in feed.figures}
    short = feed.short if len(batch) < len(PARTS["feed"]) else ""
    return Run(keys.figures | batch, keys.short or short)


def probe(kind: str, part: str, size: int, settings: Settings) -> Run:
    command = [sys.executable, "-m", "bench.probe", kind, part, str(size)]
    command += ["--samples", str(settings.samples), "--idle", str(settings.idle_seconds)]
    cap = settings.cap_seconds
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=cap, check=False
        )
    except subprocess.TimeoutExpired as stopped:
        out = stopped.stdout or b""
        text = out.decode() if isinstance(out, bytes) else out
        return Run(_figures(text), f"did not finish in {cap:g} s")
    figures = _figures(done.stdout)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return Run(figures, f"failed: {last[:80]}")
    return Run(figures)


def _figures(text: str) -> dict[str, float]:
    found = (json.loads(line) for line in text.splitlines() if line.startswith("{"))
    return {item["measure"]: float(item["value"]) for item in found}


def _ten_times(name: str, mine: float | None, other: Run | None, goal: str) -> Row:
    if other is not None and other.get(name) is None and other.short and mine:
        value = f"DataTable {other.short} at 50k (ours {show(name, mine)} at 100k)"
        return Row(AREA, f"{LABELS[name]}: DataTable 50k / ours 100k", value, goal, None)
    return _ratio_row(
        f"{LABELS[name]}: DataTable 50k / ours 100k",
        other.get(name) if other else None,
        mine,
        goal,
        lambda ratio: ratio >= 10.0,
    )


def show(measure: str, value: float) -> str:
    if measure == "rss":
        return f"{value:,.0f} B"
    if measure == "idle_cpu":
        return f"{value * 100:.1f}%"
    return f"{value * 1e3:,.1f} ms"


def _cell(run: Run, measure: str) -> str:
    value = run.get(measure)
    if value is None:
        return run.short or "not measured"
    text = show(measure, value)
    if measure == "idle_cpu" and (lag := run.get("idle_lag")) is not None:
        text += f", lag {lag * 1e3:.0f} ms"
    return text


def side_by_side(measure: str, size: int, ours: Run, theirs: Run) -> Row:
    value = f"ours {_cell(ours, measure)} | DataTable {_cell(theirs, measure)}"
    mine, other = ours.get(measure), theirs.get(measure)
    if mine and other and measure not in {"floor", "rss", "idle_cpu"}:
        value += f" | x{other / mine:,.1f}"
    return Row(AREA, f"{LABELS[measure]}, {size:,}", value, "context")


def _ratio_row(
    name: str, top: float | None, bottom: float | None, goal: str, met: Callable[[float], bool]
) -> Row:
    if top is None or bottom is None or bottom <= 0:
        return Row(AREA, name, "not measured at both sizes", goal, None)
    ratio = top / bottom
    return Row(AREA, name, f"x{ratio:,.2f}", goal, met(ratio))


def goal_rows(ours: dict[int, Run], theirs: dict[int, Run]) -> list[Row]:
    rows: list[Row] = []
    small, large = ours.get(SMALL), ours.get(LARGE)
    for measure in WITHIN_2X:
        rows.append(
            _ratio_row(
                f"{LABELS[measure]}: ours at 100k / ours at 1k",
                large.get(measure) if large else None,
                small.get(measure) if small else None,
                "<= 2x",
                lambda ratio: ratio <= 2.0,
            )
        )
    other = theirs.get(THEIRS_AT)
    for goal, names in (
        (">= 10x (to the frame)", TEN_TIMES),
        (">= 10x (CPU time)", tuple(CPU[name] for name in TEN_TIMES)),
    ):
        for name in names:
            rows.append(_ten_times(name, large.get(name) if large else None, other, goal))
    memory = large.get("rss") if large else None
    if memory is None:
        rows.append(
            Row(AREA, "engine + UI memory per conversation at 100k", "not measured", "<= 1,536 B")
        )
    else:
        rows.append(
            Row(AREA, "engine + UI memory per conversation at 100k", show("rss", memory),
                "<= 1,536 B", memory <= MEMORY_GOAL)
        )  # fmt: skip
    return rows


def run(settings: Settings) -> list[Row]:
    ours: dict[int, Run] = {}
    theirs: dict[int, Run] = {}
    for size in QUICK_SIZES if settings.quick else SIZES:
        print(f"  ui at {size:,} ...", file=sys.stderr, flush=True)
        ours[size] = measure("ours", size, settings)
        theirs[size] = measure("datatable", size, settings)
    return table_rows(ours, theirs)


def table_rows(ours: dict[int, Run], theirs: dict[int, Run]) -> list[Row]:
    """The goals first, then every measure at every size, ours beside DataTable's."""
    rows = [
        side_by_side(measure, size, ours[size], theirs[size])
        for measure in (*MEASURES, *CPU.values())
        if measure != "idle_lag"
        for size in ours
    ]
    return goal_rows(ours, theirs) + rows
