"""Bytes per watched conversation at 100,000 (the engine is also the read model)."""

from __future__ import annotations

import gc
import tracemalloc

from bench.floors import watched_floor
from bench.report import Row

SIZE = 100_000


def run() -> list[Row]:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    engine = watched_floor(SIZE)
    views = sum(
        1 for conv_id in engine.read.watched_ids() if engine.read.conversation(conv_id) is not None
    )
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    per_conversation = (after - before) / SIZE
    return [
        Row("memory", f"watched conversations ({views:,} with a view)", f"{SIZE:,}"),
        Row(
            "memory",
            "bytes per watched conversation",
            f"{per_conversation:,.0f} B",
            "<= 2,048 B",
            per_conversation <= 2048,
        ),
    ]
