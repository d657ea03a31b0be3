"""The team floor's database load benchmark: its hour of commits repeats each audit line once
per copy, inside the hour, and a quick run measures a real PostgreSQL."""

from __future__ import annotations

from bench.report import QUICK
from bench.team_load import HOUR, TICK, _batches, run
from engine.core.audit import AuditEvent, AuditType


def test_the_hours_commits_repeat_each_line_once_per_copy_within_the_hour() -> None:
    events = [
        AuditEvent(1.1, AuditType.UNASSIGN_DECIDED, "c1", key="k1"),
        AuditEvent(3599.9, AuditType.UNASSIGN_CONFIRMED, "c1", key="k1"),
        AuditEvent(5.0, AuditType.FEED_FRESH),
    ]
    batches = list(_batches(events, 3))
    rows = [event for batch in batches for event in batch]
    assert len(rows) == 2 * 3 + 1  # the floor-wide line once
    decided = [e.key or "" for e in rows if e.type is AuditType.UNASSIGN_DECIDED]
    assert sorted(decided) == ["k1.0", "k1.1", "k1.2"]  # a decided key stays unique
    assert all(0 <= e.at < HOUR for e in rows)
    assert len(batches) == len({int(e.at // TICK) for e in rows})  # one commit per busy tick


def test_a_quick_run_measures_the_writes_of_a_real_postgresql() -> None:
    figures = {row.measure: row.value for row in run(QUICK)}
    rows = next(v for m, v in figures.items() if m.startswith("audit rows per floor-hour"))
    assert int(rows.replace(",", "")) > 1_000
    assert figures["database time for the hour's writes"].endswith("of the hour)")
