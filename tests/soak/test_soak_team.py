"""The team soak, short: two `watch` processes on one floor of a private PostgreSQL, a
random floor at real time with the platform's faults and the floor's own packed tight
(kills, pauses, database restarts), judged per engine by the oracle."""

from __future__ import annotations

import pytest

from fixtures.chaos import ChaosShape
from fixtures.postgres import why_unavailable
from fixtures.soak_team import run_team_soak

SHAPE = ChaosShape(conversations=200, agents=20, supervisor_steps_per_minute=0.0)
POLICY = {"online": 8, "away": 5, "offline": 3}
"""Short thresholds: the short run decides often."""

pytestmark = pytest.mark.skipif(why_unavailable() is not None, reason=str(why_unavailable()))


async def test_kills_pauses_and_restarts_leave_nothing_wrong_missed_or_twice() -> None:
    report = await run_team_soak(21, 0.75, engines=2, shape=SHAPE, fault_every=9.0, policy=POLICY)
    summary = "\n".join(report.lines())
    assert report.verdict.wrong == [], summary
    assert report.verdict.missed == [], summary
    assert report.decided_twice == 0, summary
    assert report.verdict.double_actions == [], summary
    assert report.uncommitted == 0, summary
    assert sum(report.faults[kind] for kind in ("kill", "pause", "database")) >= 2, summary
    assert report.verdict.decisions > 5, summary
    assert all(took < 3 * 3.0 for took in [*report.failovers, *report.recoveries]), summary
    assert report.rows_written > 0, summary
