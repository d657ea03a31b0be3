"""The engine at 1k, 10k and 100k watched conversations, beside a naive rescanning engine."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bench.floors import POLICY, event_stream, watched_floor
from bench.report import Row, Settings, best_of
from engine.core import AgentState, Policy, SetPolicy
from engine.core.model import reason_for

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000,)
EVENTS = 50_000
TICKS = 200


@dataclass
class _NaiveConversation:
    agent: str
    skill: str
    waiting_since: float | None


class NaiveEngine:
    """What a developer would write first: every tick rescans every conversation."""

    def __init__(self, size: int) -> None:
        agents = max(1, size // 5)
        self.states = {f"a{i}": AgentState.ONLINE for i in range(agents)}
        self.conversations = {
            f"c{i}": _NaiveConversation(f"a{i % agents}", "sales", -float(i % 200))
            for i in range(size)
        }
        self.policy: Policy = POLICY

    def tick(self, now: float) -> list[str]:
        due = []
        for conv_id, conv in self.conversations.items():
            if conv.waiting_since is None:
                continue
            threshold = self.policy.threshold(conv.skill, reason_for(self.states[conv.agent]))
            if threshold is not None and conv.waiting_since + threshold <= now:
                due.append(conv_id)
        return due


def _events_per_second(size: int) -> float:
    engine = watched_floor(size)
    events = event_stream(size, EVENTS)
    start = time.perf_counter()
    for event in events:
        engine.apply(event, 0.0)
    elapsed = time.perf_counter() - start
    return EVENTS / elapsed


def _idle_tick(size: int) -> tuple[float, float]:
    """Seconds per tick with nothing due: the engine and the naive reference."""
    engine = watched_floor(size)
    naive = NaiveEngine(size)

    def engine_ticks() -> None:
        for i in range(TICKS):
            engine.tick(i * 0.001)

    def naive_ticks() -> None:
        for i in range(max(1, TICKS // 20)):
            naive.tick(i * 0.001)

    ours = best_of(3, engine_ticks) / TICKS
    theirs = best_of(3, naive_ticks) / max(1, TICKS // 20)
    return ours, theirs


def _policy_change(size: int) -> float:
    engine = watched_floor(size)
    stricter = Policy.from_mapping({"online": 500, "away": 250, "offline": 100})
    return best_of(
        3,
        lambda: engine.execute(
            SetPolicy(policy=stricter if engine.read.policy is POLICY else POLICY, by="b"), 0.0
        ),
    )


def run(settings: Settings) -> list[Row]:
    sizes = QUICK_SIZES if settings.quick else SIZES
    rows: list[Row] = []
    rates = {size: _events_per_second(size) for size in sizes}
    for size, rate in rates.items():
        met = rate >= 100_000 if size == 100_000 else None
        rows.append(Row("engine", f"events/s at {size:,}", f"{rate:,.0f}", ">= 100,000", met))
    ticks = {size: _idle_tick(size) for size in sizes}
    for size, (ours, naive) in ticks.items():
        rows.append(
            Row(
                "engine",
                f"idle tick at {size:,} (naive rescan)",
                f"{ours * 1e6:.2f} us ({naive * 1e3:.2f} ms, x{naive / ours:,.0f})",
                "context",
            )
        )
    if 100_000 in ticks:
        ratio = ticks[100_000][0] / ticks[1_000][0]
        rows.append(Row("engine", "idle tick 100k / 1k", f"{ratio:.2f}x", "<= 2x", ratio <= 2.0))
        change = _policy_change(100_000)
        rows.append(
            Row("engine", "live policy change at 100,000", f"{change * 1e3:.0f} ms", "context")
        )
    return rows
