"""Start-up of the command line: `floorwatch --help` against `python -c "import httpx"`.

Both are whole processes (interpreter start included), run alternately the same number of
times so a noisy machine disturbs both alike; the medians and their ratio are reported.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.report import Row, render

SAMPLES = 15
GOAL = 3.0
"""`floorwatch --help` may take at most this many times as long as importing httpx."""

HELP = [str(Path(sys.executable).parent / "floorwatch"), "--help"]
HTTPX = [sys.executable, "-c", "import httpx"]


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def run(samples: int = SAMPLES) -> list[Row]:
    for command in (HELP, HTTPX):  # warm the file cache before measuring either
        _timed(command)
    help_times: list[float] = []
    httpx_times: list[float] = []
    for _ in range(samples):
        help_times.append(_timed(HELP))
        httpx_times.append(_timed(HTTPX))
    help_median = statistics.median(help_times)
    httpx_median = statistics.median(httpx_times)
    ratio = help_median / httpx_median
    return [
        Row("cli", f"`floorwatch --help`, median of {samples}", f"{help_median * 1000:.0f} ms"),
        Row(
            "cli",
            f'`python -c "import httpx"`, median of {samples}',
            f"{httpx_median * 1000:.0f} ms",
        ),
        Row("cli", "--help / import httpx", f"{ratio:.2f}x", f"<= {GOAL:g}x", ratio <= GOAL),
    ]


if __name__ == "__main__":  # this suite alone: python -m bench.cli_bench
    print(render(run()))
