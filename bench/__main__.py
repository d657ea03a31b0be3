"""`make bench`: every benchmark, then one table."""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime

from bench import engine_bench, feed_bench, memory_bench, replay_bench, table_bench
from bench.report import Row, render

SUITES = (engine_bench, feed_bench, memory_bench, replay_bench, table_bench)


def main() -> int:
    rows: list[Row] = []
    for suite in SUITES:
        print(f"running {suite.__name__} ...", file=sys.stderr, flush=True)
        rows += suite.run()
    machine = f"{platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores"
    print(f"Floorwatch benchmarks, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine}")
    print(render(rows))
    return 0 if all(row.met is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
