"""SIGKILL in the middle of a run, then a restart on the same data file.

The fixture platform runs in this process on loopback and survives; Floorwatch runs as a real
`floorwatch watch --headless --commands` process with a real SQLite file. The scenario's
supervisor steps reach it on stdin. It is killed after its holds, extension and policy
change are in, restarted, and the independent oracle judges the whole run from the
platform's record: nothing wrong, nothing missed, no wait decided or removed twice.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path
from typing import Any

from crash_support import Engine, forward_supervisor, judged, stored_audit, write_config

from engine.store import Store
from fixtures.platform.server import serve
from fixtures.scenario import Scenario, parse_scenario

KILL_AT = 7.0
UNTIL = 20.0
PING_PONG = {
    "moves_per_hour": 1,
    "skills": {
        "sales": {"on_unassign": "skill:overflow"},
        "overflow": {"on_unassign": "skill:sales"},
    },
}
"""Each conversation moves to the other skill once an hour at most: every later unassign,
the restarted engine's included, leaves it in its queue."""
POLICY_AFTER = {"online": 5, "away": 2, "offline": 1, **PING_PONG}


def small_floor(seed: int) -> Scenario:
    """12 conversations on 4 agents with thresholds of seconds; supervisor steps before the
    kill: an indefinite hold, a hold past the restart, an agent hold, an extension and a
    policy change; faults on both sides of the kill."""
    rng = random.Random(seed)
    agents = [f"a{n}" for n in range(1, 5)]  # each on both skills
    convs = [f"c{n:02d}" for n in range(1, 13)]
    timeline: list[dict[str, Any]] = []
    timeline.append({"at": 0.3, "consumer_message": {"conv": "c05"}})  # waits all along
    for conv in convs:
        if conv == "c05":
            continue
        t = rng.uniform(0.2, 3.0)
        while t < UNTIL - 1:
            timeline.append({"at": round(t, 2), "consumer_message": {"conv": conv}})
            if rng.random() < 0.5:
                t += rng.uniform(0.5, 3.0)
                timeline.append({"at": round(t, 2), "agent_message": {"conv": conv}})
            t += rng.uniform(2.0, 8.0)
    for at, state in ((4.0, "AWAY"), (9.0, "OFFLINE"), (12.0, "ONLINE")):
        timeline.append({"at": at, "agent_state": {"agent": "a4", "state": state}})
    timeline += [
        {"at": 1.0, "supervisor": {"hold": "c01"}},
        {"at": 1.2, "supervisor": {"hold": "c02", "until": 14.0}},
        {"at": 1.4, "supervisor": {"hold_agent": "a3"}},
        {"at": 2.0, "supervisor": {"extend": {"conv": "c05", "seconds": 30}}},
        {"at": 3.0, "supervisor": {"policy": POLICY_AFTER}},
        {"at": 4.5, "fault": "fail_next_action"},
        {"at": 5.5, "fault": "duplicate_last"},
        {"at": 11.0, "fault": "drop_socket"},
        {"at": 13.0, "fault": "lose_next_action"},
        {"at": 15.0, "fault": {"stall_feed": 1.5}},
    ]
    document = {
        "name": f"crash-{seed}",
        "policy": {"online": 4, "away": 2, "offline": 1, **PING_PONG},
        "routing": {"delay": 0.5},
        "agents": [
            {
                "id": a,
                "name": a,
                "skills": ["sales", "overflow"],
                "state": "ONLINE",
                "max_conversations": 8,
            }
            for a in agents
        ],
        "conversations": [
            {"id": c, "skill": "sales", "agent": agents[n % 4]} for n, c in enumerate(convs)
        ],
        "timeline": sorted(timeline, key=lambda s: float(s["at"])),
        "until": UNTIL,
        "expect_all_decisions": False,
    }
    return parse_scenario(document, "crash floor")


async def test_sigkill_mid_run_then_restart_loses_nothing_and_decides_nothing_twice(
    tmp_path: Path,
) -> None:
    scenario = small_floor(seed=4)
    server = await serve(scenario, speed=1.0)
    data, config = tmp_path / "floor.sqlite3", tmp_path / "floor.json"
    write_config(server, scenario, config, data)
    password = server.credentials.password
    try:
        engines = [await Engine.start(config, password)]
        forwarder = asyncio.create_task(forward_supervisor(server, engines))
        await engines[0].wait_for(1, "feed.fresh")
        await engines[0].wait_for(1, "policy.changed")
        await asyncio.sleep(max(0.0, KILL_AT - server.scenario_time()))
        first = engines[0]
        await first.kill()

        engines.append(await Engine.start(config, password))
        second = engines[1]
        await second.wait_for(1, "feed.fresh")

        # A third Floorwatch on the same data file is refused while the second runs.
        third = await Engine.start(config, password)
        await third.process.wait()
        stderr = await third.stop()
        assert third.process.returncode == 1
        assert "is in use by another Floorwatch" in stderr

        await asyncio.sleep(max(0.0, UNTIL - server.scenario_time()))
        forwarder.cancel()
        assert await second.stop() == "" or second.process.returncode == 0
    finally:
        for engine in engines:
            if engine.process.returncode is None:
                engine.process.kill()
        await server.close()

    stored = stored_audit(data)
    with Store.open(data, read_only=True) as store:
        overrides = store.load_overrides()
        policy = store.load_policy()

    # Every event the first process printed had been committed before it was printed.
    def identity(record: dict[str, Any]) -> tuple[Any, ...]:
        return (record["at"], record["type"], record.get("conv"), record.get("key"))

    assert first.printed, "the first process printed nothing before the kill"
    assert {identity(r) for r in first.printed} <= {identity(r) for r in stored}
    # Holds, the agent hold and the policy survived the kill (the second process saw them).
    assert "c01" in overrides.conv_holds and overrides.conv_holds["c01"] is None
    assert overrides.extensions.get("c05") == 30
    assert "a3" in overrides.agent_holds
    assert policy is not None and policy.to_mapping()["online"] == POLICY_AFTER["online"]
    # The same wait is never decided twice, across both processes.
    keys = [r["key"] for r in stored if r["type"] == "unassign.decided"]
    assert keys and len(keys) == len(set(keys))
    assert second.printed and any(r["type"] == "unassign.decided" for r in second.printed)

    verdict = judged(server, scenario, stored)
    findings = [str(f) for f in [*verdict.wrong, *verdict.missed, *verdict.double_actions]]
    assert verdict.ok, findings
