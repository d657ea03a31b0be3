"""The engine alone, by tracemalloc: bytes per watched conversation at 100,000 (the engine
is also the read model). The process's resident memory, engine + UI, is `bench.ui_bench`'s."""

from __future__ import annotations

import gc
import tracemalloc

from bench.floors import watched_floor
from bench.report import Row, Settings

SIZE = 100_000
QUICK_SIZE = 1_000


def run(settings: Settings) -> list[Row]:
    size = QUICK_SIZE if settings.quick else SIZE
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    engine = watched_floor(size)
    views = sum(
        1 for conv_id in engine.read.watched_ids() if engine.read.conversation(conv_id) is not None
    )
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    per_conversation = (after - before) / size
    return [
        Row("memory", f"watched conversations ({views:,} with a view)", f"{size:,}", "context"),
        Row(
            "memory",
            "engine bytes per watched conversation (tracemalloc)",
            f"{per_conversation:,.0f} B",
            "<= 2,048 B",
            per_conversation <= 2048 if size == SIZE else None,
        ),
    ]
