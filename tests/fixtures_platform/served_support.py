"""Helpers of the fixture-platform tests over real sockets: a floor, a login, the websocket."""

from __future__ import annotations

import json
import ssl
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from fixtures.platform.server import FixtureServer
from fixtures.scenario import Scenario, parse_scenario

ACCOUNT = "12345678"
Frame = dict[str, Any]
StartServer = Callable[..., Awaitable[FixtureServer]]


def floor(timeline: list[dict[str, Any]] | None = None, **changes: Any) -> Scenario:
    """Ana (a1) and Ben (a2, AWAY) on sales, Cleo (a3) on billing; c1 with Ana, c2 with Ben."""
    return parse_scenario(
        {
            "name": "served",
            "agents": [
                {"id": "a1", "name": "Ana", "skills": ["sales"], "state": "ONLINE"},
                {"id": "a2", "name": "Ben", "skills": ["sales"], "state": "AWAY"},
                {"id": "a3", "name": "Cleo", "skills": ["billing"], "state": "ONLINE"},
            ],
            "conversations": [
                {"id": "c1", "skill": "sales", "agent": "a1"},
                {"id": "c2", "skill": "sales", "agent": "a2"},
            ],
            "timeline": timeline or [],
            "until": 600,
            **changes,
        }
    )


def trusting(server: FixtureServer) -> ssl.SSLContext:
    """A client context that trusts the server's CA (and nothing else)."""
    assert server.ca_path is not None
    return ssl.create_default_context(cafile=server.ca_path)


def http_client(server: FixtureServer) -> httpx.AsyncClient:
    """A client that keeps cookies and trusts the server's CA when it has one."""
    verify: ssl.SSLContext | bool = trusting(server) if server.ca_path is not None else True
    return httpx.AsyncClient(verify=verify)


async def log_in(
    http: httpx.AsyncClient,
    server: FixtureServer,
    username: str = "supervisor",
    password: str = "fixture",
) -> Frame:
    response = await http.post(
        f"{server.base_url}/api/account/{ACCOUNT}/login",
        params={"v": "1.3"},
        json={"username": username, "password": password},
    )
    assert response.status_code == 200, response.text
    body: Frame = response.json()
    return body


async def open_feed(
    server: FixtureServer, version: str = "2.1", username: str = "supervisor"
) -> ClientConnection:
    """Log in (as `username`, with that supervisor's password) and open the brand websocket,
    as the SDK does (wss when the server has TLS)."""
    [login] = [c for c in server.logins if c.username == username]
    async with http_client(server) as http:
        bearer = (await log_in(http, server, login.username, login.password))["bearer"]
    tls = server.ca_path is not None
    scheme = "wss" if tls else "ws"
    url = (
        f"{scheme}://127.0.0.1:{server.feed_port}/ws_api/account/{ACCOUNT}"
        f"/messaging/brand/{bearer}?v={version}"
    )
    return await connect(url, ssl=trusting(server) if tls else None, open_timeout=5)


async def call(ws: ClientConnection, req_id: str, type_: str, body: object = None) -> Frame:
    """Send a request and return its response (notifications on the way are skipped)."""
    await ws.send(json.dumps({"kind": "req", "id": req_id, "type": type_, "body": body or {}}))
    while True:
        frame = await receive(ws)
        if frame.get("kind") == "resp" and frame.get("reqId") == req_id:
            return frame


async def receive(ws: ClientConnection) -> Frame:
    frame: Frame = json.loads(await ws.recv())
    return frame
