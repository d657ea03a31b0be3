"""A Floorwatch restarted after the consumer wrote twice to an agent who did not answer dates
the wait from the first message: the feed shows only the newest, so the engine reads the
conversation's messages (QueryMessages, as the official SDK asks for them) and decides when
the first one's threshold runs out, as the oracle expects; without the read it is late."""

from __future__ import annotations

from pathlib import Path

from crash_support import Restart, judged, killed_and_restarted, stored_audit

from fixtures.platform.record import RecordKind
from fixtures.scenario import Scenario, parse_scenario

KILLED_AT, STARTED_AT = 1.0, 2.5
"""Scenario seconds when the first Floorwatch is killed (after the consumer's first message)
and a second starts (after the second)."""
UNTIL = 10.0


def twice_unanswered() -> Scenario:
    document = {
        "name": "wrote-twice-before-the-start",
        "policy": {"online": 6, "away": 6, "offline": 6},
        "agents": [{"id": "a1", "name": "Ana", "skills": ["sales"], "state": "ONLINE"}],
        "conversations": [{"id": "c1", "skill": "sales", "agent": "a1"}],
        "timeline": [
            {"at": 0.3, "consumer_message": {"conv": "c1"}},
            {"at": 2.0, "consumer_message": {"conv": "c1"}},
        ],
        "until": UNTIL,
        "expect_all_decisions": False,
    }
    return parse_scenario(document, "wrote twice")


async def test_a_wait_begun_before_the_start_is_dated_from_the_first_unanswered_message(
    tmp_path: Path,
) -> None:
    scenario = twice_unanswered()
    data = tmp_path / "floor.sqlite3"
    restart = Restart("feed.fresh", KILLED_AT, STARTED_AT, UNTIL)
    server, _, _ = await killed_and_restarted(scenario, data, tmp_path / "floor.json", restart)

    [decided] = [r for r in stored_audit(data) if r["type"] == "unassign.decided"]
    assert decided["at"] - server.origin < 7.5  # due at 6.3 (0.3 + 6), not at 8.0
    removed = [e for e in server.platform.record if e.kind is RecordKind.AGENT_REMOVED]
    assert [e.conv for e in removed] == ["c1"]
    verdict = judged(server, scenario, stored_audit(data))
    assert verdict.ok, [str(f) for f in [*verdict.wrong, *verdict.missed]]
