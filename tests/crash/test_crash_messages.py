"""A Floorwatch restarted after the consumer wrote twice to an agent who did not answer dates
the wait from the first message: the feed shows only the newest, so the engine reads the
conversation's messages (QueryMessages, as the official SDK asks for them) and decides when
the first one's threshold runs out, as the oracle expects; without the read it is late."""

from __future__ import annotations

import asyncio
from pathlib import Path

from crash_support import Engine, judged, stored_audit, write_config

from fixtures.platform.record import RecordKind
from fixtures.platform.server import serve
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
    server = await serve(scenario, speed=1.0)
    data, config = tmp_path / "floor.sqlite3", tmp_path / "floor.json"
    write_config(server, scenario, config, data)
    password = server.credentials.password
    engines: list[Engine] = []
    try:
        engines.append(await Engine.start(config, password))
        await engines[0].wait_for(1, "feed.fresh")
        await asyncio.sleep(max(0.0, KILLED_AT - server.scenario_time()))
        await engines[0].kill()
        await asyncio.sleep(max(0.0, STARTED_AT - server.scenario_time()))
        engines.append(await Engine.start(config, password))
        await engines[1].wait_for(1, "unassign.decided", timeout=UNTIL)
        await engines[1].stop()
    finally:
        for engine in engines:
            if engine.process.returncode is None:
                engine.process.kill()
        await server.close()

    [decided] = [r for r in stored_audit(data) if r["type"] == "unassign.decided"]
    assert decided["at"] - server.origin < 7.5  # due at 6.3 (0.3 + 6), not at 8.0
    removed = [e for e in server.platform.record if e.kind is RecordKind.AGENT_REMOVED]
    assert [e.conv for e in removed] == ["c1"]
    verdict = judged(server, scenario, stored_audit(data))
    assert verdict.ok, [str(f) for f in [*verdict.wrong, *verdict.missed]]
