"""The loopback platform's REST side: a tiny HTTP/1.1 server for CSDS (the domain lookup),
login, refresh and agent-view, answering from the platform's agents and tokens."""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from live_wire import ACCOUNT, PASSWORD, USERNAME, Frame, pid

if TYPE_CHECKING:
    from live_platform import FakePlatform


async def serve_rest(
    platform: FakePlatform, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Answer one request on a connection, then close it."""
    try:
        try:
            method, target, _ = (await reader.readline()).decode().split(" ", 2)
        except (UnicodeDecodeError, ValueError):  # not HTTP (a TLS hello, say): hang up
            return
        headers: dict[str, str] = {}
        while (line := (await reader.readline()).decode().strip()) != "":
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        raw = await reader.readexactly(int(headers.get("content-length", "0")))
        path = urlsplit(target).path
        platform.rest_paths.append(path)
        status, payload = _route(platform, method, path, headers, raw)
        data = json.dumps(payload).encode()
        location = "Location: http://127.0.0.1:9/elsewhere\r\n" if 300 <= status < 400 else ""
        head = (
            f"HTTP/1.1 {status} X\r\n{location}Content-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\nSet-Cookie: session=s1\r\n"
            "Connection: close\r\n\r\n"
        )
        writer.write(head.encode() + data)
        await writer.drain()
    finally:
        writer.close()


def _route(
    platform: FakePlatform, method: str, path: str, headers: dict[str, str], raw: bytes
) -> tuple[int, Any]:
    account = f"/api/account/{ACCOUNT}"
    if method == "GET" and path == f"{account}/service/baseURI.json":
        platform.lookups += 1
        return 200, {"baseURIs": _base_uris(platform)}
    if method == "POST" and path == f"{account}/login":
        return _login(platform, json.loads(raw))
    if method == "POST" and path == f"{account}/refresh":
        if platform.faults.refresh_error:
            return 200, {"error": "could not refresh the session"}
        return (200, {}) if platform.tokens else (401, {"error": "session expired"})
    if method == "POST" and path == f"/messaging_history{account}/agent-view/status":
        return _agent_view(platform, headers.get("authorization", ""))
    return 404, {"error": "not found"}


def _base_uris(platform: FakePlatform) -> list[Frame]:
    hosts = {
        "agentVep": platform.rest_port,
        "asyncMessagingEnt": platform.ws_port,
        "msgHist": platform.rest_port,
    }
    return [
        {
            "service": name,
            "account": ACCOUNT,
            "baseURI": platform.domains.get(name, f"127.0.0.1:{port}"),
        }
        for name, port in hosts.items()
        if name in platform.services
    ]


def _login(platform: FakePlatform, body: Frame) -> tuple[int, Any]:
    if body.get("username") != USERNAME or body.get("password") != PASSWORD:
        return 401, {"error": "Invalid username or password"}
    platform.logins += 1
    token = f"tok{secrets.token_hex(16)}"
    platform.tokens.append(token)
    platform.issued.append(token)
    config = {
        "userId": "900",
        "userPid": pid("900"),
        "loginName": USERNAME,
        "serverCurrentTime": platform.now_ms(),
    }
    return 200, {"bearer": token, "csrf": "csrf-1", "config": config}


def _agent_view(platform: FakePlatform, authorization: str) -> tuple[int, Any]:
    if authorization.removeprefix("Bearer ") not in platform.tokens:
        return 401, {"error": "unauthorized"}
    platform.agent_view_calls += 1
    if platform.agent_view_redirect is not None:
        return platform.agent_view_redirect, {}
    records = [
        {
            "agentId": agent_id,
            "agentName": agent.name,
            "currentStatus": agent.state,
            "currentStatusStartTimeL": agent.since_ms,
            "currentConnectionState": "CONNECTED",
            "isBot": False,
        }
        for agent_id, agent in platform.agents.items()
    ]
    return 200, {"_metadata": {"count": len(records)}, "agentStatusRecords": records}
