"""`floorwatch replay` of a generated 8-hour floor: today's code beside the pinned baseline.

Both run in child processes with this interpreter, the baseline from a `git archive` of
commit `BASELINE` in a temporary folder (its path first on `PYTHONPATH`, checked in the
child), so the ratio is measured on the same machine in the same run.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.report import Row, Settings

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "1e6a42e"
GOAL_SECONDS = 10.0
FULL = (300, 10_000, 8.0)
QUICK = (30, 300, 1.0)
"""Agents, conversations, hours."""
CHILD = """
import sys, time
import fixtures
from fixtures.generate import FloorShape, floor
from fixtures.replay import replay
from fixtures.scenario import parse_scenario
agents, conversations, hours = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
document = floor("eight-hours", FloorShape(agents=agents, conversations=conversations, hours=hours))
start = time.perf_counter()
result = replay(parse_scenario(document))
print(time.perf_counter() - start, len(result.records), fixtures.__file__)
"""


@dataclass(frozen=True)
class Timing:
    seconds: float | None
    events: int = 0
    problem: str = ""


def _replay(code: Path, shape: tuple[int, int, float], cap: float) -> Timing:
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [sys.executable, "-c", CHILD, *map(str, shape)]
    try:
        done = subprocess.run(
            command, cwd=code, env=env, capture_output=True, text=True, timeout=cap, check=False
        )
    except subprocess.TimeoutExpired:
        return Timing(None, problem=f"did not finish in {cap:g} s")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return Timing(None, problem=f"failed: {last[:80]}")
    seconds, events, where = done.stdout.split()
    if not Path(where).resolve().is_relative_to(code.resolve()):
        return Timing(None, problem=f"ran {where}, not {code}")
    return Timing(float(seconds), int(events))


def _baseline(into: Path) -> str:
    """Extract the baseline commit's files into `into`; a problem's text, or ''."""
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", BASELINE],
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        return "git is not installed"
    if archive.returncode != 0:
        return f"commit {BASELINE} is not available: {archive.stderr.decode().strip()[:60]}"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return ""


def _best(runs: list[Timing]) -> Timing:
    timed = [run for run in runs if run.seconds is not None]
    return min(timed, key=lambda run: run.seconds or 0.0) if timed else runs[0]


def run(settings: Settings) -> list[Row]:
    shape = QUICK if settings.quick else FULL
    repeats = 1 if settings.quick else 2
    cap = settings.cap_seconds
    ours_runs: list[Timing] = []
    base_runs: list[Timing] = []
    with tempfile.TemporaryDirectory(prefix="floorwatch-baseline-") as folder:
        problem = _baseline(Path(folder))
        for _ in range(repeats):  # interleaved, so a busy spell hits both alike
            ours_runs.append(_replay(ROOT, shape, cap))
            if not problem:
                base_runs.append(_replay(Path(folder), shape, cap))
    ours = _best(ours_runs)
    agents, conversations, hours = shape
    name = f"{conversations:,} conversations, {hours:g} h, {agents} agents"
    rows = []
    if ours.seconds is None:
        rows.append(Row("replay", name, ours.problem, f"< {GOAL_SECONDS:g} s", False))
    else:
        margin = GOAL_SECONDS - ours.seconds
        value = f"{ours.seconds:.2f} s ({ours.events:,} audit events), margin {margin:+.2f} s"
        goal = f"< {GOAL_SECONDS:g} s"
        rows.append(Row("replay", name, value, goal, None if settings.quick else margin > 0))
    goal = "<= 0.5x"
    label = f"{name}: today / baseline {BASELINE} (best of {repeats} each)"
    base = _best(base_runs) if base_runs else Timing(None, problem=problem)
    if base.seconds is None or ours.seconds is None:
        rows.append(Row("replay", label, base.problem or "not measured", goal, None))
    else:
        ratio = ours.seconds / base.seconds
        value = f"x{ratio:.2f} ({ours.seconds:.2f} s vs {base.seconds:.2f} s)"
        rows.append(Row("replay", label, value, goal, None if settings.quick else ratio <= 0.5))
    return rows
