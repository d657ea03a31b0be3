"""The store tests: the contract run against SQLite and PostgreSQL (`postgres_server` and
`postgres_url` come from tests/conftest.py: a private server, a database per test)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from engine.store import Store
from engine.store.contract import FloorStore
from engine.store.pg import PgStore

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
