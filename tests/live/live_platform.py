"""A minimal loopback platform (REST + websocket, /tmp/wire.md conventions) and a live harness.

`FakePlatform` serves CSDS, login, refresh and agent-view over a tiny HTTP/1.1 server, and
the brand websocket (GetClock, conversation and agent-state subscriptions,
UpdateConversationField) with `websockets`. Tests drive it directly: messages, agent states,
faults (drop, stall, refuse, ignore, raw frames). Its clock is the wall clock shifted to the
fixture epoch, so platform time runs at real speed.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from engine.config import FloorwatchConfig, load_config
from engine.core import AuditEvent
from engine.protocol import normalize_type
from engine.runner import LiveFloor

ACCOUNT = "12345678"
USERNAME = "sup@example.com"
PASSWORD = "correct-horse-battery-staple-7731"
EPOCH_MS = 1_732_500_000_000
CONV_NOTIFICATION = "cqm.ExConversationChangeNotification"
AGENT_NOTIFICATION = "routing.AgentStateNotification"

_QUIET = logging.getLogger("tests.live.platform")
_QUIET.setLevel(logging.WARNING)

Frame = dict[str, Any]


def pid(agent: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"floorwatch-agent:{agent}"))


def legacy(agent: str) -> str:
    return f"{ACCOUNT}.{agent}"


@dataclass
class Agent:
    state: str
    since_ms: int
    name: str


@dataclass
class Conv:
    conv_id: str
    skill: str
    agent: str | None
    start_ms: int
    meta_ms: int
    seq: int = -1
    last_role: str | None = None
    last_ms: int = 0

    def change(self) -> Frame:
        """One UPSERT result in the public shape of the wire conventions."""
        consumer = f"consumer-{self.conv_id}"
        participants = [{"id": consumer, "role": "CONSUMER"}]
        in_dialog = [{"id": consumer, "role": "CONSUMER", "state": "ACTIVE"}]
        unread = {consumer: 0}
        if self.agent is not None:
            participants.append({"id": pid(self.agent), "role": "ASSIGNED_AGENT"})
            in_dialog.append(
                {"id": legacy(self.agent), "role": "ASSIGNED_AGENT", "state": "ACTIVE"}
            )
            unread[legacy(self.agent)] = 0
        details: Frame = {
            "skillId": self.skill,
            "participants": participants,
            "dialogs": [
                {
                    "dialogId": self.conv_id,
                    "participantsDetails": in_dialog,
                    "dialogType": "MAIN",
                    "channelType": "MESSAGING",
                    "state": "OPEN",
                    "creationTs": self.start_ms,
                    "metaDataLastUpdateTs": self.meta_ms,
                }
            ],
            "brandId": ACCOUNT,
            "state": "OPEN",
            "stage": "OPEN",
            "startTs": self.start_ms,
            "metaDataLastUpdateTs": self.meta_ms,
            "ttr": {"ttrType": "NORMAL", "value": 3600},
        }
        consumer_last = self.last_role == "CONSUMER"
        result: Frame = {
            "convId": self.conv_id,
            "effectiveTTR": self.last_ms + 3_600_000 if consumer_last else -1,
            "conversationDetails": details,
            "numberOfunreadMessages": unread,
        }
        if self.seq >= 0:
            agent = self.agent or "nobody"
            result["lastContentEventNotification"] = {
                "sequence": self.seq,
                "dialogId": self.conv_id,
                "serverTimestamp": self.last_ms,
                "originatorId": consumer if consumer_last else legacy(agent),
                "originatorPId": consumer if consumer_last else pid(agent),
                "originatorMetadata": {"role": self.last_role},
                "event": {"type": "ContentEvent", "contentType": "text/plain", "message": "hi"},
            }
        return {"type": "UPSERT", "result": result}


class Peer:
    """One client connection; frames leave in order, and not while the platform stalls."""

    def __init__(self, ws: ServerConnection, flowing: asyncio.Event) -> None:
        self.ws = ws
        self.conv_sub: str | None = None
        self.agent_sub: str | None = None
        self._flowing = flowing
        self._queue: asyncio.Queue[str | bytes] = asyncio.Queue()

    def send(self, frame: Frame | str | bytes) -> None:
        self._queue.put_nowait(frame if isinstance(frame, str | bytes) else json.dumps(frame))

    async def pump(self) -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                data = await self._queue.get()
                await self._flowing.wait()
                await self.ws.send(data)


@dataclass
class Faults:
    refuse_connections: bool = False
    fail_actions: int = 0
    ignore_actions: int = 0


@dataclass
class FakePlatform:
    push_presence: bool = False
    services: set[str] = field(default_factory=lambda: {"agentVep", "asyncMessagingEnt", "msgHist"})
    agents: dict[str, Agent] = field(default_factory=dict)
    convs: dict[str, Conv] = field(default_factory=dict)
    faults: Faults = field(default_factory=Faults)
    peers: list[Peer] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    """The bearers currently accepted."""
    issued: list[str] = field(default_factory=list)
    requests: list[Frame] = field(default_factory=list)
    logins: int = 0
    handshakes: int = 0
    agent_view_calls: int = 0
    flowing: asyncio.Event = field(default_factory=asyncio.Event)
    rest_port: int = 0
    ws_port: int = 0
    _t0: float = field(default_factory=time.time)
    _ids: itertools.count[int] = field(default_factory=itertools.count)
    _rest: asyncio.Server | None = None
    _ws: Server | None = None

    # ------------------------------------------------------------------ life cycle

    async def start(self) -> None:
        self.flowing.set()
        self._rest = await asyncio.start_server(self._http, "127.0.0.1", 0)
        self.rest_port = self._rest.sockets[0].getsockname()[1]
        self._ws = await serve(
            self._socket,
            "127.0.0.1",
            0,
            process_request=self._handshake,
            logger=_QUIET,
            ping_interval=None,
        )
        self.ws_port = self._ws.sockets[0].getsockname()[1]

    async def close(self) -> None:
        self.flowing.set()
        for server in (self._ws, self._rest):
            if server is not None:
                server.close()
        if self._ws is not None:
            await self._ws.wait_closed()
        if self._rest is not None:
            await self._rest.wait_closed()

    @property
    def csds_url(self) -> str:
        return f"http://127.0.0.1:{self.rest_port}"

    def now_ms(self) -> int:
        return EPOCH_MS + round((time.time() - self._t0) * 1000)

    # ------------------------------------------------------------------ the world

    def add_agent(self, agent: str, state: str = "ONLINE") -> None:
        self.agents[agent] = Agent(state, self.now_ms(), agent.upper())

    def open_conversation(self, conv_id: str, agent: str | None, skill: str = "sales") -> None:
        now = self.now_ms()
        self.convs[conv_id] = Conv(conv_id, skill, agent, now, now)
        self._broadcast(self.convs[conv_id])

    def consumer_message(self, conv_id: str) -> None:
        self._message(conv_id, "CONSUMER")

    def agent_message(self, conv_id: str) -> None:
        self._message(conv_id, "ASSIGNED_AGENT")

    def set_agent_state(self, agent: str, state: str) -> None:
        self.agents[agent] = Agent(state, self.now_ms(), agent.upper())
        for peer in self.peers:
            if peer.agent_sub is not None:
                peer.send(self._agent_states(peer.agent_sub, [agent]))

    def _message(self, conv_id: str, role: str) -> None:
        conv = self.convs[conv_id]
        conv.seq, conv.last_role, conv.last_ms = conv.seq + 1, role, self.now_ms()
        self._broadcast(conv)

    def _broadcast(self, conv: Conv) -> None:
        for peer in self.peers:
            if peer.conv_sub is not None:
                peer.send(self._conv_notification(peer.conv_sub, [conv]))

    # ------------------------------------------------------------------ faults

    def drop(self) -> None:
        """Every socket dies without a close frame (code 1006 on the client)."""
        for peer in self.peers:
            peer.ws.transport.abort()

    async def close_sockets(self, code: int, reason: str = "") -> None:
        for peer in list(self.peers):
            await peer.ws.close(code, reason)

    def revoke_tokens(self) -> None:
        self.tokens.clear()

    def stall(self) -> None:
        self.flowing.clear()

    def resume(self) -> None:
        self.flowing.set()

    def send_raw(self, data: str | bytes) -> None:
        for peer in self.peers:
            peer.send(data)

    # ------------------------------------------------------------------ websocket

    def _handshake(self, connection: ServerConnection, request: Request) -> Response | None:
        self.handshakes += 1
        if self.faults.refuse_connections:
            return connection.respond(503, "try later\n")
        if _ws_token(request.path) is None:
            return connection.respond(404, "no such path\n")
        return None

    async def _socket(self, ws: ServerConnection) -> None:
        if _ws_token(ws.request.path if ws.request else "") not in self.tokens:
            await ws.close(4401, "unauthorized")
            return
        peer = Peer(ws, self.flowing)
        self.peers.append(peer)
        sender = asyncio.create_task(peer.pump())
        try:
            async for raw in ws:
                self._request(peer, json.loads(raw))
        except ConnectionClosed:
            pass
        finally:
            self.peers.remove(peer)
            sender.cancel()

    def _request(self, peer: Peer, frame: Frame) -> None:
        self.requests.append(frame)
        kind = normalize_type(frame["type"])
        req_id = frame["id"]
        if kind == "GetClock":
            peer.send(_resp(req_id, 200, ".GetClock$Response", {"currentTime": self.now_ms()}))
        elif kind == "cqm.SubscribeExConversations":
            peer.conv_sub = f"sub-{next(self._ids)}"
            body = {"subscriptionId": peer.conv_sub}
            peer.send(_resp(req_id, 200, "cqm.SubscribeExConversationsResponse", body))
            if self.convs:
                peer.send(self._conv_notification(peer.conv_sub, list(self.convs.values())))
        elif kind == "routing.SubscribeAgentsState" and self.push_presence:
            peer.agent_sub = f"sub-{next(self._ids)}"
            body = {"subscriptionId": peer.agent_sub}
            peer.send(_resp(req_id, 200, "GenericSubscribeResponse", body))
            peer.send(self._agent_states(peer.agent_sub, list(self.agents)))
        elif kind == "cm.UpdateConversationField":
            self._unassign(peer, req_id, frame["body"])
        else:
            peer.send(_resp(req_id, 400, ".ReqBody$StringResp", f"unknown request {kind}"))

    def _unassign(self, peer: Peer, req_id: str, body: Frame) -> None:
        if self.faults.ignore_actions > 0:
            self.faults.ignore_actions -= 1
            return
        if self.faults.fail_actions > 0:
            self.faults.fail_actions -= 1
            peer.send(_resp(req_id, 400, ".ReqBody$StringResp", "fault: action refused"))
            return
        fields = body["conversationField"]
        user = (fields[0] if isinstance(fields, list) else fields)["userId"]
        conv = self.convs.get(body["conversationId"])
        if conv is None or conv.agent is None or legacy(conv.agent) != user:
            peer.send(_resp(req_id, 400, ".ReqBody$StringResp", "agent does not hold the role"))
            return
        peer.send(_resp(req_id, 200, ".ReqBody$StringResp", "OK Agent removed successfully"))
        conv.agent, conv.meta_ms = None, self.now_ms()
        self._broadcast(conv)

    def _conv_notification(self, sub: str, convs: list[Conv]) -> Frame:
        body = {"subscriptionId": sub, "changes": [conv.change() for conv in convs]}
        return {"kind": "notification", "type": CONV_NOTIFICATION, "body": body}

    def _agent_states(self, sub: str, agents: list[str]) -> Frame:
        changes = [
            {
                "type": "UPSERT",
                "result": {
                    "agentUserId": legacy(agent),
                    "channels": ["MESSAGING"],
                    "availability": self.agents[agent].state,
                    "description": "",
                    "stateChangedTs": self.agents[agent].since_ms,
                    "agentName": self.agents[agent].name,
                    "isBot": False,
                },
            }
            for agent in agents
        ]
        body = {"subscriptionId": sub, "changes": changes}
        return {"kind": "notification", "type": AGENT_NOTIFICATION, "body": body}

    # ------------------------------------------------------------------ REST

    async def _http(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            method, target, _ = (await reader.readline()).decode().split(" ", 2)
            headers: dict[str, str] = {}
            while (line := (await reader.readline()).decode().strip()) != "":
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            raw = await reader.readexactly(int(headers.get("content-length", "0")))
            status, payload = self._route(method, urlsplit(target).path, headers, raw)
            data = json.dumps(payload).encode()
            head = (
                f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(data)}\r\nSet-Cookie: session=s1\r\n"
                "Connection: close\r\n\r\n"
            )
            writer.write(head.encode() + data)
            await writer.drain()
        finally:
            writer.close()

    def _route(
        self, method: str, path: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, Any]:
        account = f"/api/account/{ACCOUNT}"
        if method == "GET" and path == f"{account}/service/baseURI.json":
            return 200, {"baseURIs": self._base_uris()}
        if method == "POST" and path == f"{account}/login":
            return self._login(json.loads(raw))
        if method == "POST" and path == f"{account}/refresh":
            return (200, {}) if self.tokens else (401, {"error": "session expired"})
        if method == "POST" and path == f"/messaging_history{account}/agent-view/status":
            return self._agent_view(headers.get("authorization", ""))
        return 404, {"error": "not found"}

    def _base_uris(self) -> list[Frame]:
        hosts = {
            "agentVep": self.rest_port,
            "asyncMessagingEnt": self.ws_port,
            "msgHist": self.rest_port,
        }
        return [
            {"service": name, "account": ACCOUNT, "baseURI": f"127.0.0.1:{port}"}
            for name, port in hosts.items()
            if name in self.services
        ]

    def _login(self, body: Frame) -> tuple[int, Any]:
        if body.get("username") != USERNAME or body.get("password") != PASSWORD:
            return 401, {"error": "Invalid username or password"}
        self.logins += 1
        token = f"tok{secrets.token_hex(16)}"
        self.tokens.append(token)
        self.issued.append(token)
        config = {
            "userId": "900",
            "userPid": pid("900"),
            "loginName": USERNAME,
            "serverCurrentTime": self.now_ms(),
        }
        return 200, {"bearer": token, "csrf": "csrf-1", "config": config}

    def _agent_view(self, authorization: str) -> tuple[int, Any]:
        if authorization.removeprefix("Bearer ") not in self.tokens:
            return 401, {"error": "unauthorized"}
        self.agent_view_calls += 1
        records = [
            {
                "agentId": agent_id,
                "agentName": agent.name,
                "currentStatus": agent.state,
                "currentStatusStartTimeL": agent.since_ms,
                "currentConnectionState": "CONNECTED",
                "isBot": False,
            }
            for agent_id, agent in self.agents.items()
        ]
        return 200, {"_metadata": {"count": len(records)}, "agentStatusRecords": records}


def _ws_token(path: str) -> str | None:
    prefix = f"/ws_api/account/{ACCOUNT}/messaging/brand/"
    if not path.startswith(prefix):
        return None
    return path.removeprefix(prefix).partition("?")[0] or None


def _resp(req_id: str, code: int, type_: str, body: Frame | str) -> Frame:
    return {"kind": "resp", "reqId": req_id, "code": code, "type": type_, "body": body}


# ---------------------------------------------------------------------- the live harness


@dataclass
class Live:
    """A running `LiveFloor` and the audit events it produced."""

    floor: LiveFloor
    audit: list[AuditEvent]
    task: asyncio.Task[None]

    def types(self, conv: str | None = None) -> list[str]:
        return [e.type.value for e in self.audit if conv is None or e.conv == conv]

    def first(self, type_: str, conv: str | None = None) -> AuditEvent:
        return next(e for e in self.audit if e.type == type_ and (conv is None or e.conv == conv))

    async def stop(self) -> None:
        self.floor.stop()
        await self.task


def live_config(platform: FakePlatform, tmp_path: Path, **values: Any) -> FloorwatchConfig:
    """Fast settings for loopback tests; `values` override them."""
    settings: dict[str, Any] = {
        "account": ACCOUNT,
        "username": USERNAME,
        "password": PASSWORD,
        "csds_url": platform.csds_url,
        "insecure_http": True,
        "data_path": tmp_path / "floorwatch.db",
        "policy": {"online": 0.5, "away": 0.5, "offline": 0.5},
        "poll_interval": 0.2,
        "keepalive_interval": 0.5,
        "request_timeout": 2.0,
        "tick_interval": 0.02,
        "reconnect": {"base": 0.02, "factor": 2.0, "cap": 0.2},
    }
    settings.update(values)
    return load_config(**settings)


async def until(
    condition: Callable[[], bool], timeout: float = 3.0, what: str = "condition"
) -> None:
    """Wait until `condition()` holds, checking every few milliseconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.005)


StartLive = Callable[..., Awaitable[Live]]
