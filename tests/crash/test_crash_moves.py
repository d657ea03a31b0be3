"""A conversation moved to its fallback skill before a SIGKILL counts against the hourly
limit after the restart: the restarted engine recalls the move from the data file and keeps
the conversation in its queue, as the oracle, reading the platform's record, expects."""

from __future__ import annotations

from pathlib import Path

from crash_support import Restart, judged, killed_and_restarted, stored_audit

from fixtures.scenario import Scenario, parse_scenario

MOVED_BY = 2.5
"""Scenario seconds by which c1 was moved to overflow (due at 1.3 s) and routed to an agent."""
UNTIL = 12.0
POLICY = {
    "online": 1,
    "away": 1,
    "offline": 1,
    "moves_per_hour": 1,
    "skills": {
        "sales": {"on_unassign": "skill:overflow"},
        "overflow": {"on_unassign": "skill:sales"},
    },
}


def moving_floor() -> Scenario:
    document = {
        "name": "moved-before-the-kill",
        "policy": POLICY,
        "routing": {"delay": 0.5},
        "agents": [
            {"id": a, "name": a, "skills": ["sales", "overflow"], "state": "ONLINE"}
            for a in ("a1", "a2")
        ],
        "conversations": [{"id": "c1", "skill": "sales", "agent": "a1"}],
        "timeline": [
            {"at": 0.3, "consumer_message": {"conv": "c1"}},
            {"at": 8.0, "consumer_message": {"conv": "c1"}},
        ],
        "until": UNTIL,
        "expect_all_decisions": False,
    }
    return parse_scenario(document, "moving floor")


async def test_a_move_made_before_a_kill_counts_against_the_limit_after_the_restart(
    tmp_path: Path,
) -> None:
    scenario = moving_floor()
    data = tmp_path / "floor.sqlite3"
    restart = Restart("unassign.confirmed", MOVED_BY, MOVED_BY, UNTIL)
    server, first, second = await killed_and_restarted(
        scenario, data, tmp_path / "floor.json", restart
    )
    verdict = judged(server, scenario, stored_audit(data))
    assert not verdict.wrong, [str(f) for f in verdict.wrong]
    moved = [r for r in first.printed if r["type"] == "unassign.decided"]
    assert [r["detail"].split("; ")[-1] for r in moved] == ["to skill overflow"]
    kept = [r["detail"] for r in second.printed if r["type"] == "unassign.decided"]
    assert kept, "the restarted engine decided nothing"
    assert all("not moved to skill sales: moved 1 time in the last hour" in d for d in kept)
