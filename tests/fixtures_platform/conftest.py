"""Fixture-platform tests; those over real sockets use `start_server` and `served_support`."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from fixtures.platform.server import FixtureServer, serve
from fixtures.scenario import Scenario

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
async def start_server() -> AsyncIterator[Callable[..., Awaitable[FixtureServer]]]:
    """`await start_server(scenario, **serve_options)`: closed after the test."""
    servers: list[FixtureServer] = []

    async def start(scenario: Scenario, **options: Any) -> FixtureServer:
        server = await serve(scenario, **options)
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.close()
