"""`floorwatch demo --team N`: one fixture platform, a private PostgreSQL and N dashboards
on one floor, each a `watch` process of its own supervisor in a tmux pane.

Outside tmux the command starts itself again inside a new tmux session. Inside, its own pane
runs the platform and the database (started like the tests start theirs: a temporary
directory, a free port) and says what to try; the dashboards open in panes below it. One of
them says ACTING, the others WATCHING: quit or kill the acting one and another takes over
within the lease's time to live (`TEAM_LEASE_TTL`). Ctrl-C in the first pane (or the end of
the session) stops every dashboard, the platform and the database, and removes their files.
The floor runs at real time: each dashboard learns the platform's clock as in live mode.
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from contextlib import suppress
from pathlib import Path

from fixtures.platform.server import FixtureServer, serve
from fixtures.postgres import PostgresUnavailableError, private_postgres
from fixtures.scenario import Scenario
from fixtures.team_floor import STORE_ENV, watch_settings

TEAM_LEASE_TTL = 6.0
"""Seconds the acting dashboard's lease lasts unless renewed: short, so a takeover shows."""
TEAM_REQUEST_TIMEOUT = 2.0
"""An unassign's timeout (two thirds of the lease must exceed it)."""
FLOOR = "demo"
TOP_PANE_LINES = 9


def _tmux(*args: str) -> str:
    done = subprocess.run(["tmux", *args], capture_output=True, text=True, check=True, timeout=10)
    return done.stdout.strip()


def _cli(*args: str) -> str:
    """The command line that runs `floorwatch <args>` with this Python."""
    return shlex.join([sys.executable, "-m", "tui.cli", *args])


def start_in_tmux(argv: list[str]) -> int:
    """Outside tmux: run `floorwatch <argv>` in a new tmux session, attached (returns when
    it ends)."""
    if shutil.which("tmux") is None:
        print("demo --team: needs tmux (apt-get install tmux)", file=sys.stderr)
        return 1
    session = f"floorwatch-team-{os.getpid()}"
    return subprocess.run(
        ["tmux", "new-session", "-s", session, _cli(*argv)], check=False
    ).returncode


def _open_dashboards(server: FixtureServer, url: str, root: Path) -> list[str]:
    """One pane per supervisor of `server`, below this one; their pane ids."""
    here = os.environ.get("TMUX_PANE", "")
    panes = []
    for login in server.logins:
        config = root / f"{login.username}.json"
        settings = watch_settings(
            server,
            login,
            root / f"{login.username}.sqlite3",
            floor=FLOOR,
            lease_ttl=TEAM_LEASE_TTL,
            request_timeout=TEAM_REQUEST_TIMEOUT,
        )
        config.write_text(json.dumps(settings))
        command = (
            f"exec env {STORE_ENV}={shlex.quote(url)} {_cli('watch', '--config', str(config))}"
        )
        panes.append(_tmux("split-window", "-d", "-P", "-F", "#{pane_id}", "-t", here, command))
    window = _tmux("display-message", "-p", "-t", here, "#{window_id}")
    _tmux("set-window-option", "-t", window, "main-pane-height", str(TOP_PANE_LINES))
    _tmux("select-layout", "-t", window, "main-horizontal")
    return panes


def _live_panes(panes: list[str]) -> list[str]:
    listed = _tmux("list-panes", "-a", "-F", "#{pane_id}").split()
    return [pane for pane in panes if pane in listed]


async def _serve_team(scenario: Scenario, count: int, url: str, root: Path) -> int:
    server = await serve(scenario, supervisors=count)
    panes: list[str] = []
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stop.set)
    try:
        panes = _open_dashboards(server, url, root)
        print(
            f"team demo: {count} dashboards on floor {FLOOR!r} of one fixture platform "
            f"({scenario.name}) and one PostgreSQL\n"
            "one says ACTING, the others WATCHING: quit (q) or kill the acting one and "
            f"another takes over within {TEAM_LEASE_TTL:g} s\n"
            "Ctrl-C here stops them all",
            flush=True,
        )
        while not stop.is_set() and _live_panes(panes):
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)
    finally:
        for pane in _live_panes(panes):
            with suppress(subprocess.CalledProcessError):
                _tmux("kill-pane", "-t", pane)
        await server.close()
    return 0


async def run_team_demo(scenario: Scenario, count: int) -> int:
    """Inside tmux: the platform, the database and `count` dashboards until stopped."""
    root = Path(tempfile.mkdtemp(prefix="floorwatch-team-"))
    try:
        with private_postgres() as postgres:
            return await _serve_team(scenario, count, postgres.new_database(), root)
    except PostgresUnavailableError as exc:
        print(f"demo --team: cannot start PostgreSQL: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(root, ignore_errors=True)
