"""Helpers of the wire tests: small scenarios, a login, the brand websocket."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from fixtures.platform.server import FixtureServer
from fixtures.scenario import Scenario, parse_scenario

ACCOUNT = "12345678"
Frame = dict[str, Any]


def small_scenario(timeline: list[dict[str, Any]] | None = None, until: float = 60) -> Scenario:
    """Two agents, one conversation with Ana, and the given timeline."""
    return parse_scenario(
        {
            "name": "wire-small",
            "policy": {"online": 60, "away": 30, "offline": 10},
            "agents": [
                {"id": "a1", "name": "Ana", "skills": ["sales"], "state": "ONLINE"},
                {"id": "a2", "name": "Ben", "skills": ["sales"], "state": "AWAY"},
            ],
            "conversations": [{"id": "c1", "skill": "sales", "agent": "a1"}],
            "timeline": timeline or [],
            "until": until,
        }
    )


StartServer = Callable[..., Awaitable[FixtureServer]]
"""The `start_server` fixture: `await start_server(scenario, speed=...)`."""


async def login(
    server: FixtureServer, password: str = "fixture", *, client: httpx.AsyncClient | None = None
) -> httpx.Response:
    """A login by `client` (which keeps its session cookie), or by a client of its own."""
    if client is None:
        async with httpx.AsyncClient() as http:
            return await login(server, password, client=http)
    return await client.post(
        f"{server.base_url}/api/account/{ACCOUNT}/login",
        params={"v": "1.3"},
        json={"username": "supervisor", "password": password},
    )


async def bearer(server: FixtureServer) -> str:
    response = await login(server)
    assert response.status_code == 200
    token: str = response.json()["bearer"]
    return token


def brand_url(server: FixtureServer, token: str, account: str = ACCOUNT) -> str:
    return f"ws://127.0.0.1:{server.feed_port}/ws_api/account/{account}/messaging/brand/{token}?v=2"


async def open_feed(server: FixtureServer) -> ClientConnection:
    return await connect(brand_url(server, await bearer(server)), open_timeout=5)


def request(req_id: str, type_: str, body: Frame | None = None) -> str:
    return json.dumps({"kind": "req", "id": req_id, "type": type_, "body": body or {}})


async def receive(ws: ClientConnection) -> Frame:
    frame: Frame = json.loads(await ws.recv())
    return frame
