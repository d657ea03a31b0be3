"""Fixtures every test folder may use: a fixture platform on loopback, closed after the test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from fixtures.platform.server import FixtureServer, serve
from fixtures.scenario import Scenario


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
