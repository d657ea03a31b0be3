"""Fixtures every test folder may use: a fixture platform on loopback, closed after the test;
a private PostgreSQL server for the session (`fixtures.postgres`), a database per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from fixtures.platform.server import FixtureServer, serve
from fixtures.scenario import Scenario

if TYPE_CHECKING:
    from fixtures.postgres import PostgresServer


@pytest.fixture
async def start_server() -> AsyncIterator[Callable[..., Awaitable[FixtureServer]]]:
    """`await start_server(scenario, **serve_options)`: a platform closed after the test."""
    servers: list[FixtureServer] = []

    async def start(scenario: Scenario, **options: Any) -> FixtureServer:
        server = await serve(scenario, **options)
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's own PostgreSQL server (skipped where none can be started)."""
    from fixtures.postgres import PostgresUnavailableError, private_postgres  # noqa: PLC0415

    try:
        with private_postgres() as server:
            yield server
    except PostgresUnavailableError as e:  # raised only before the server starts
        pytest.skip(str(e))


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a new, empty database on the session's server."""
    return postgres_server.new_database()
