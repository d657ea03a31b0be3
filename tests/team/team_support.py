"""Real `floorwatch watch --headless --commands` processes on one fixture platform and one
PostgreSQL floor: start them, read their audit lines, give commands on their stdin, see who
holds the lease, and judge the platform's record with the oracle."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from engine.store.pg import PgStore
from engine.store.pg.audit import TeamRow
from fixtures.oracle import Decision, Floor, Verdict
from fixtures.oracle.team import judge_team
from fixtures.platform.auth import Credentials
from fixtures.platform.record import RecordEntry, RecordKind
from fixtures.platform.server import FixtureServer
from fixtures.scenario import Scenario, parse_scenario
from fixtures.team_floor import STORE_ENV, watch_settings

FLOORWATCH = Path(sys.executable).parent / "floorwatch"
FLOOR = "f1"
LEASE_TTL = 3.0
ONLINE = 3.0
"""Seconds a consumer may wait on an online agent: each conversation is unassigned, routed
again and due again every few seconds."""
CLOCK_ALLOWANCE = 0.05
"""Seconds the engines' clocks may be off the platform's (learned over loopback)."""


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


@dataclass
class Dashboard:
    """One `watch --headless --commands` process."""

    login: Credentials
    process: asyncio.subprocess.Process
    lines: list[dict[str, Any]] = field(default_factory=list)
    """Its audit events as it printed them (after each was committed)."""
    errors: list[str] = field(default_factory=list)
    readers: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def engine(self) -> str:
        """Its engine's name on the floor (`<supervisor>@<host>:<pid>`)."""
        return f"{self.login.username}@{os.uname().nodename}:{self.process.pid}"

    async def command(self, line: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(line) + "\n").encode())
        await self.process.stdin.drain()

    def signal(self, signum: signal.Signals) -> None:
        self.process.send_signal(signum)

    def said(self, text: str) -> bool:
        """Whether a stderr line began with `floorwatch: <text>` (ACTING, WATCHING ...)."""
        return any(line.startswith(f"floorwatch: {text}") for line in self.errors)

    def roles(self) -> list[str]:
        """What it said it does, in order: ACTING or WATCHING (...)."""
        said = [line.removeprefix("floorwatch: ") for line in self.errors]
        return [line for line in said if line.startswith(("ACTING", "WATCHING"))]


async def _read(stream: asyncio.StreamReader, into: Callable[[str], None]) -> None:
    while raw := await stream.readline():
        into(raw.decode("utf-8", "replace").rstrip("\n"))


def config_file(path: Path, server: FixtureServer, login: Credentials) -> Path:
    """A `watch` config for `login` on the loopback platform (its store set apart)."""
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
    return path


async def start_dashboard(
    tmp: Path, server: FixtureServer, login: Credentials, url: str
) -> Dashboard:
    config = config_file(tmp / f"{login.username}.json", server, login)
    env = {**os.environ, STORE_ENV: url}
    process = await asyncio.create_subprocess_exec(
        str(FLOORWATCH),
        "watch",
        "--headless",
        "--commands",
        "--config",
        str(config),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    dashboard = Dashboard(login, process)
    assert process.stdout is not None and process.stderr is not None
    dashboard.readers = [
        asyncio.create_task(_read(process.stdout, lambda s: dashboard.lines.append(json.loads(s)))),
        asyncio.create_task(_read(process.stderr, dashboard.errors.append)),
    ]
    return dashboard


async def stop_dashboard(dashboard: Dashboard) -> None:
    """SIGTERM (a SIGCONT first, in case it is stopped), then SIGKILL if it lingers."""
    process = dashboard.process
    if process.returncode is None:
        process.send_signal(signal.SIGCONT)
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()
    await asyncio.gather(*dashboard.readers, return_exceptions=True)


def lease_holder(url: str) -> str | None:
    """The engine that holds the floor's lease now, by the database's clock."""
    with psycopg.connect(url, autocommit=True, connect_timeout=2) as conn:
        row = conn.execute(
            "SELECT holder FROM lease WHERE floor = %s AND expires_at > clock_timestamp()",
            (FLOOR,),
        ).fetchone()
    return None if row is None else str(row[0])


async def until(what: str, check: Callable[[], bool], timeout: float) -> float:
    """Poll `check` until it holds; returns the monotonic time it did (fails after `timeout`)."""
    give_up = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < give_up, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)
    return time.monotonic()


def acting(url: str, dashboards: Sequence[Dashboard]) -> Dashboard | None:
    try:
        holder = lease_holder(url)
    except psycopg.Error:  # the server is down, or no engine made the tables yet
        return None
    return next((d for d in dashboards if d.engine == holder), None)


def floor_rows(url: str) -> list[TeamRow]:
    """Every audit row of the floor, in the order committed."""
    with PgStore.open(url, floor=FLOOR, engine="judge", supervisor="judge") as store:
        return store.changes_since(0).events


def decided(rows: Iterator[TeamRow] | list[TeamRow], engine: str | None = None) -> list[TeamRow]:
    return [
        r for r in rows if r.event.type.value == "unassign.decided" and engine in (None, r.engine)
    ]


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
    """The oracle on the platform's record: each engine's decisions on its own connection's
    view; missed waits outside the `excused` windows (scenario seconds)."""
    origin = server.origin
    scenario = server.platform.scenario
    record = sorted([*server.platform.record, *commands], key=lambda e: e.at)
    by_login: dict[str, list[Decision]] = {d.login.username: [] for d in dashboards}
    for row in decided(rows):
        by_login[row.engine.partition("@")[0]].append(
            Decision.from_record(row.event.to_record(origin))
        )
    floor = Floor(
        policy=scenario.policy,
        agent_states={a.id: a.state for a in scenario.agents},
        bots=frozenset(),
        until=server.scenario_time(),
    )
    return judge_team(record, by_login, floor, excused=excused, clock_error=CLOCK_ALLOWANCE)


def committed(dashboard: Dashboard, rows: list[TeamRow]) -> list[dict[str, Any]]:
    """The events `dashboard` printed (each after its commit) that the floor does not hold."""
    stored = [r.event.to_record() for r in rows if r.engine == dashboard.engine]
    return [line for line in dashboard.lines if line not in stored]
