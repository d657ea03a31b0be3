"""Two and three real `watch --headless` processes on one fixture platform and one real
PostgreSQL floor: exactly one acts; a hold given at a watching one is respected by the acting
one within a second; when the acting one is killed, paused or cut off from the database,
another takes over within the lease's time to live, nothing is decided or removed twice, and
the oracle finds no wrong decision and no missed wait outside the failover."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from team_support import (
    LEASE_TTL,
    Dashboard,
    acting,
    busy_floor,
    decided,
    given,
    rows_of,
    start_dashboard,
    stop_watch,
    uncommitted,
    until,
    verdict,
)

from fixtures.oracle import MISSED_AFTER
from fixtures.platform.record import RecordKind
from fixtures.platform.server import FixtureServer
from fixtures.postgres import PostgresServer

START = 30.0
"""Real seconds for the processes to start, log in and one of them to act."""
TAKEOVER = LEASE_TTL + LEASE_TTL / 3 + 1.0
"""The lease lapses within its time to live after the last renewal, another engine asks
within a third of it, and takes the floor up (a second, generously)."""
FAILOVER = LEASE_TTL + 2.0
"""The failover window the oracle excuses missed waits in (after the fault, in floor time)."""

StartFloor = Callable[[int], Awaitable[tuple[FixtureServer, str, list[Dashboard]]]]


@pytest.fixture
async def team_floor(
    start_server: Callable[..., Awaitable[FixtureServer]], postgres_url: str, tmp_path: Path
) -> AsyncIterator[StartFloor]:
    """`await team_floor(n)`: a busy platform for n supervisors, and n dashboards on it and on
    one floor of the test's database, one of them acting; all stopped after the test."""
    started: list[Dashboard] = []

    async def start(count: int) -> tuple[FixtureServer, str, list[Dashboard]]:
        server = await start_server(busy_floor(), supervisors=count)
        for login in server.logins:
            started.append(await start_dashboard(tmp_path, server, login, postgres_url))
        await until("a dashboard to act", lambda: acting(postgres_url, started) is not None, START)
        await until("a decision", lambda: bool(decided(rows_of(postgres_url))), START)
        return server, postgres_url, started

    yield start
    await asyncio.gather(*(stop_watch(d) for d in started))


def actions_by(server: FixtureServer, login: str, after: float = 0.0) -> list[str]:
    """The conversations `login` removed an agent from, after `after` (scenario seconds)."""
    return [
        e.conv or ""
        for e in server.platform.record
        if e.kind is RecordKind.ACTION_APPLIED and e.by == login and e.at > after
    ]


async def test_a_hold_given_at_a_watching_dashboard_is_respected_by_the_acting_one(
    team_floor: StartFloor,
) -> None:
    server, url, dashboards = await team_floor(2)
    actor = acting(url, dashboards)
    assert actor is not None
    [watcher] = [d for d in dashboards if d is not actor]
    await until("the watcher to say who acts", lambda: watcher.said("WATCHING (acting:"), 10)
    held_at = server.scenario_time()
    await watcher.command({"hold": "c1"})
    await asyncio.sleep(5)
    rows = rows_of(url)
    respected = held_at + 1.0
    late = [
        r for r in decided(rows) if r.event.conv == "c1" and r.event.at - server.origin > respected
    ]
    assert late == []
    assert [c for c in actions_by(server, actor.login.username, respected) if c == "c1"] == []
    assert actions_by(server, watcher.login.username) == []  # the watcher never acted
    assert decided(rows, watcher.engine) == []
    holds = [(r.event.conv, r.supervisor) for r in rows if r.event.type.value == "override.hold"]
    assert holds == [("c1", watcher.login.username)]
    found = verdict(server, rows, dashboards, commands=[given(respected, {"hold": "c1"})])
    assert found.decisions >= 3
    assert (found.wrong, found.missed, found.double_actions) == ([], [], [])
    assert actor.roles()[-1] == "ACTING" and actor.roles().count("ACTING") == 1
    assert watcher.roles()[-1] == f"WATCHING (acting: {actor.engine})"
    assert "ACTING" not in watcher.roles()


def other_than(dashboards: list[Dashboard], *gone: Dashboard) -> list[Dashboard]:
    return [d for d in dashboards if d not in gone]


def assert_clean(
    server: FixtureServer,
    url: str,
    dashboards: list[Dashboard],
    fault_at: float,
    until: float | None = None,
) -> None:
    """Nothing decided twice, every printed event committed, and the oracle's verdict clean
    outside the failover window from `fault_at` (to `until`, when the fault lasted; scenario
    seconds)."""
    rows = rows_of(url)
    keys = [r.event.key for r in decided(rows)]
    assert len(keys) == len(set(keys)), "a wait was decided twice"
    for dashboard in dashboards:
        assert uncommitted(dashboard, rows) == [], f"{dashboard.engine} printed uncommitted events"
    found = verdict(
        server,
        rows,
        dashboards,
        excused=[(fault_at - MISSED_AFTER, (until or fault_at) + FAILOVER)],
    )
    assert found.decisions >= 5
    assert (found.wrong, found.missed, found.double_actions) == ([], [], [])


async def test_the_acting_one_killed_another_takes_over_and_nothing_is_lost(
    team_floor: StartFloor,
) -> None:
    server, url, dashboards = await team_floor(3)
    actor = acting(url, dashboards)
    assert actor is not None
    killed_at, killed = server.scenario_time(), time.monotonic()
    actor.signal(signal.SIGKILL)
    await actor.process.wait()
    took = await until(
        "another to act", lambda: acting(url, dashboards) not in (None, actor), TAKEOVER
    )
    heir = acting(url, dashboards)
    assert heir is not None
    await until("the heir to decide", lambda: bool(decided(rows_of(url), heir.engine)), 10)
    await asyncio.sleep(3)
    [third] = other_than(dashboards, actor, heir)
    assert decided(rows_of(url), third.engine) == [] and "ACTING" not in third.roles()
    assert took - killed <= TAKEOVER
    assert_clean(server, url, dashboards, killed_at)


async def test_the_acting_one_paused_stops_acting_first_and_comes_back_watching(
    team_floor: StartFloor,
) -> None:
    server, url, dashboards = await team_floor(2)
    actor = acting(url, dashboards)
    assert actor is not None
    [heir] = other_than(dashboards, actor)
    paused_at, paused = server.scenario_time(), time.monotonic()
    actor.signal(signal.SIGSTOP)
    took = await until("the other to act", lambda: acting(url, dashboards) is heir, TAKEOVER)
    assert took - paused <= TAKEOVER
    await until("the heir to decide", lambda: bool(decided(rows_of(url), heir.engine)), 10)
    resumed_at = server.scenario_time()
    actor.signal(signal.SIGCONT)
    await until("the paused one to watch", lambda: actor.roles()[-1].startswith("WATCHING"), 5)
    await asyncio.sleep(3)
    assert actor.roles()[-1] == f"WATCHING (acting: {heir.engine})"
    assert actor.roles().count("ACTING") == 1
    assert acting(url, dashboards) is heir
    # It stopped acting before the heir began: no decision of its after the heir's first.
    order = [r.engine for r in decided(rows_of(url))]
    assert actor.engine not in order[order.index(heir.engine) :]
    assert actions_by(server, actor.login.username, after=resumed_at) == []
    assert_clean(server, url, dashboards, paused_at)


async def test_a_database_restart_stops_the_acting_one_and_the_floor_acts_again_after(
    team_floor: StartFloor, postgres_server: PostgresServer
) -> None:
    server, url, dashboards = await team_floor(2)
    actor = acting(url, dashboards)
    assert actor is not None
    cut_at = server.scenario_time()
    await asyncio.to_thread(postgres_server.stop)
    await asyncio.sleep(LEASE_TTL + 1)
    await asyncio.to_thread(postgres_server.start)
    back_at = server.scenario_time()
    await until("one to act again", lambda: acting(url, dashboards) is not None, TAKEOVER)

    def decided_since() -> bool:
        return any(r.event.at - server.origin > back_at for r in decided(rows_of(url)))

    await until("a decision after the restart", decided_since, 10)
    await asyncio.sleep(2)
    assert all(d.process.returncode is None for d in dashboards)
    assert any(role.startswith("WATCHING") for role in actor.roles()[1:])  # it stopped acting
    assert_clean(server, url, dashboards, cut_at, until=back_at)
