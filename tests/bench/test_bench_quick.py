"""The benchmarks stay runnable: both tables probed at a small size, rendered as RESULTS.md."""

from __future__ import annotations

from datetime import UTC, datetime

from bench.__main__ import document, machine
from bench.probe import CPU, MEASURES
from bench.report import Settings
from bench.ui_bench import LABELS, measure, probe, side_by_side, table_rows

SIZE = 200


def test_quick_probes_render_every_measure_side_by_side_and_a_capped_one_says_so() -> None:
    settings = Settings(quick=True, samples=1, idle_seconds=0.1, cap_seconds=90.0)
    ours = {SIZE: measure("ours", SIZE, settings)}
    theirs = {SIZE: measure("datatable", SIZE, settings)}
    for run in (ours[SIZE], theirs[SIZE]):
        assert run.short == ""
        assert set(run.figures) == {*MEASURES, *CPU.values()}
        assert run.figures["floor"] > 0
        for timed, cpu in CPU.items():  # the work within its span, never more than the span
            assert 0 < run.figures[cpu] <= run.figures[timed] * 1.05

    started = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    text = document(table_rows(ours, theirs), settings, started, machine())
    assert "- date: 2026-12-02 09:00 UTC" in text
    assert "- commit: " in text and "- machine: " in text
    for label in LABELS.values():
        line = next(line for line in text.splitlines() if f"{label}, {SIZE}" in line)
        assert "ours " in line and "| DataTable " in line
        assert "not measured" not in line and "did not finish" not in line
    assert "not measured at both sizes" in text  # no 100k in a quick run: no verdict guessed

    stopped = probe("datatable", "keys", 100_000, Settings(cap_seconds=0.3))
    assert stopped.figures == {}
    assert stopped.short == "did not finish in 0.3 s"
    row = side_by_side("sort", 100_000, ours[SIZE], stopped)
    assert "DataTable did not finish in 0.3 s" in row.value and " x" not in row.value
