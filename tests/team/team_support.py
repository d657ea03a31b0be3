"""The team tests' floor: a busy scenario, `watch` processes of its supervisors on one
fixture platform and one PostgreSQL floor (`fixtures.team_floor`), and waiting for things."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from engine.store.pg.audit import TeamRow
from fixtures.oracle import Verdict
from fixtures.platform.auth import Credentials
from fixtures.platform.record import RecordEntry, RecordKind
from fixtures.platform.server import FixtureServer
from fixtures.scenario import Scenario, parse_scenario
from fixtures.team_floor import (
    Dashboard,
    decided,
    floor_rows,
    judge_floor,
    lease_holder,
    start_watch,
    stop_watch,
    uncommitted,
    watch_settings,
)

__all__ = ["Dashboard", "decided", "stop_watch", "uncommitted"]

FLOOR = "f1"
LEASE_TTL = 3.0
ONLINE = 3.0
"""Seconds a consumer may wait on an online agent: each conversation is unassigned, routed
again and due again every few seconds."""


def busy_floor(conversations: int = 6) -> Scenario:
    """Agents who never answer: each conversation's consumer waits, is unassigned, routed to
    another agent, and waits again."""
    agents = [
        {"id": f"a{n}", "name": f"Agent {n}", "skills": ["sales"], "state": "ONLINE"}
        for n in range(1, conversations + 2)
    ]
    convs = [
        {"id": f"c{n}", "skill": "sales", "agent": f"a{n}"} for n in range(1, conversations + 1)
    ]
    messages = [
        {"at": 0.2 * n, "consumer_message": {"conv": f"c{n}", "text": "Hello?"}}
        for n in range(1, conversations + 1)
    ]
    return parse_scenario(
        {
            "name": "team-busy",
            "policy": {"online": ONLINE, "away": 2, "offline": 1},
            "routing": {"delay": 0.5},
            "agents": agents,
            "conversations": convs,
            "timeline": messages,
            "until": 3600,
        }
    )


async def start_dashboard(
    tmp: Path, server: FixtureServer, login: Credentials, url: str
) -> Dashboard:
    """A `watch` process of `login` on floor f1: a short lease, quick ticks and reconnects."""
    path = tmp / f"{login.username}.json"
    settings = watch_settings(
        server,
        login,
        path.with_suffix(".sqlite3"),
        floor=FLOOR,
        lease_ttl=LEASE_TTL,
        request_timeout=1.0,
        tick=0.1,
        reconnect=0.2,
    )
    path.write_text(json.dumps({**settings, "keepalive_interval": 5.0}))
    return await start_watch(path, login, url)


async def until(what: str, check: Callable[[], bool], timeout: float) -> float:
    """Poll `check` until it holds; returns the monotonic time it did (fails after `timeout`)."""
    give_up = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < give_up, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)
    return time.monotonic()


def acting(url: str, dashboards: Sequence[Dashboard]) -> Dashboard | None:
    """The dashboard whose engine holds floor f1's lease now."""
    holder = lease_holder(url, FLOOR)
    return next((d for d in dashboards if d.engine == holder), None)


def rows_of(url: str) -> list[TeamRow]:
    return floor_rows(url, FLOOR)


def given(at: float, step: dict[str, Any]) -> RecordEntry:
    """A supervisor's command as a record entry (scenario seconds), for the oracle."""
    return RecordEntry(at, RecordKind.SUPERVISOR, detail=json.dumps(step))


def verdict(
    server: FixtureServer,
    rows: list[TeamRow],
    dashboards: Sequence[Dashboard],
    *,
    excused: Sequence[tuple[float, float]] = (),
    commands: Sequence[RecordEntry] = (),
) -> Verdict:
    logins = [d.login.username for d in dashboards]
    return judge_floor(server, rows, logins, excused=excused, commands=commands)
