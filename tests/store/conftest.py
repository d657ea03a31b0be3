"""A real PostgreSQL server for the store tests, started here and stopped after the session.

The server runs from Debian's binaries (`/usr/lib/postgresql/<version>/bin`, package
`postgresql`; `.ci/run` installs it) in a temporary directory, on a free loopback port, with
its socket in that directory. `initdb` and `postgres` refuse to run as root: when the tests
run as root (CI), the server runs as the `postgres` OS user, in a directory that user owns.
Each test that asks for `postgres_url` gets a database of its own.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from engine.store import Store
from engine.store.contract import FloorStore
from engine.store.pg import PgStore

SERVER_USER = "postgres"
"""The OS user the server runs as when the tests run as root."""


def _bin_dir() -> Path | None:
    """The newest installed server's binaries, or None."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class PostgresServer:
    """One private server: `url(db)` names a database on it; `stop`/`start` restart it."""

    def __init__(self, bin_dir: Path, root: Path, run_as: list[str]) -> None:
        self._bin = bin_dir
        self._root = root
        self._data = root / "data"
        self._run_as = run_as
        self.port = _free_port()
        self._databases = itertools.count(1)

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run(
            [*self._run_as, str(self._bin / tool), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            log = self._root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} {' '.join(args)} failed: {done.stderr}{tail}")

    def init(self) -> None:
        self._run("initdb", "-D", str(self._data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self._root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c max_connections=200"
        )
        log = str(self._root / "server.log")
        self._run("pg_ctl", "-D", str(self._data), "-l", log, "-w", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self._data), "-m", mode, "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new, empty database; its URL."""
        name = f"t{next(self._databases)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)


def _run_as() -> tuple[list[str], int | None]:
    """The command prefix that runs the server's tools, and the uid that must own its files."""
    if os.geteuid() != 0:
        return [], None
    try:
        user = pwd.getpwnam(SERVER_USER)
    except KeyError:
        pytest.skip(f"running as root and no {SERVER_USER!r} OS user to run PostgreSQL as")
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.skip("running as root and no `runuser` to run PostgreSQL as another user")
    return [runuser, "-u", SERVER_USER, "--"], user.pw_uid


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip(
            "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin: "
            "install Debian's `postgresql` package (.ci/run does when it can)"
        )
    run_as, owner = _run_as()
    # Not under pytest's tmp_path: its parent is private to root, out of the server user's reach.
    root = Path(tempfile.mkdtemp(prefix="floorwatch-pg-"))
    if owner is not None:
        os.chown(root, owner, -1)
    server = PostgresServer(bin_dir, root, run_as)
    try:
        server.init()
        server.start()
        try:
            yield server
        finally:
            server.stop("immediate")
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a new, empty database on the session's server."""
    return postgres_server.new_database()


Opener = Callable[[], FloorStore]


@pytest.fixture(params=["sqlite", "postgresql"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """`open_store()` opens the test's store (again, after a close: the same data), a SQLite
    file or a floor in the test's own PostgreSQL database; a PostgreSQL client takes the
    floor's lease, as the acting engine would. Every store opened is closed after the test."""
    opened: list[FloorStore] = []
    if request.param == "sqlite":
        path = tmp_path / "fw.db"

        def open_sqlite() -> FloorStore:
            opened.append(Store.open(path))
            return opened[-1]

        yield open_sqlite
    else:
        url = request.getfixturevalue("postgres_url")

        def open_postgres() -> FloorStore:
            store = PgStore.open(url, floor="f1", engine="dana@desk1", supervisor="Dana")
            opened.append(store)
            assert store.acquire(ttl=30) is not None
            return store

        yield open_postgres
    for store in opened:
        store.close()
