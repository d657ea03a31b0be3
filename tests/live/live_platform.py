"""A minimal loopback platform (REST + websocket, /tmp/wire.md conventions): its world and faults.

`FakePlatform` serves CSDS, login, refresh and agent-view over a tiny HTTP/1.1 server
(`live_rest`), and the brand websocket (GetClock, conversation and agent-state subscriptions,
UpdateConversationField) with `websockets`. Tests drive it directly: messages, agent states,
faults (drop, stall, refuse, ignore, raw frames). Its clock is the wall clock shifted to the
fixture epoch, so platform time runs at real speed. Its frames are built in `live_wire`; the
harness that runs a floor against it is `live_harness`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import time
from dataclasses import dataclass, field

from live_rest import serve_rest
from live_wire import (
    ACCOUNT,
    EPOCH_MS,
    Agent,
    Conv,
    Frame,
    agent_states,
    conv_notification,
    legacy,
    resp,
)
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from engine.protocol import normalize_type

_QUIET = logging.getLogger("tests.live.platform")
_QUIET.setLevel(logging.WARNING)


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
    refresh_error: bool = False
    """Refresh answers 200 with an `error` body (the official SDK counts that as a failure)."""


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
    lookups: int = 0
    """Domain lookups answered (CSDS baseURI.json)."""
    rest_paths: list[str] = field(default_factory=list)
    """The path of every REST request, in order."""
    domains: dict[str, str] = field(default_factory=dict)
    """Base URIs the domain lookup answers instead of its own (service -> baseURI)."""
    agent_view_redirect: int | None = None
    """An HTTP 3xx status agent-view answers with (a Location and an empty body) when set."""
    handshakes: int = 0
    agent_view_calls: int = 0
    flowing: asyncio.Event = field(default_factory=asyncio.Event)
    rest_port: int = 0
    ws_port: int = 0
    _t0: float = field(default_factory=time.time)
    _ids: itertools.count[int] = field(default_factory=itertools.count)
    _rest: asyncio.Server | None = None
    _ws: Server | None = None

    def requests_of(self, kind: str) -> list[Frame]:
        """The requests received of type `kind` (the documented name; either spelling)."""
        return [r for r in self.requests if normalize_type(r["type"]) == kind]

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
                peer.send(agent_states(peer.agent_sub, self.agents, [agent]))

    def _message(self, conv_id: str, role: str) -> None:
        conv = self.convs[conv_id]
        conv.seq, conv.last_role, conv.last_ms = conv.seq + 1, role, self.now_ms()
        self._broadcast(conv)

    def _broadcast(self, conv: Conv) -> None:
        for peer in self.peers:
            if peer.conv_sub is not None:
                peer.send(conv_notification(peer.conv_sub, [conv]))

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
            peer.send(resp(req_id, 200, ".GetClock$Response", {"currentTime": self.now_ms()}))
        elif kind == "cqm.SubscribeExConversations":
            peer.conv_sub = f"sub-{next(self._ids)}"
            body = {"subscriptionId": peer.conv_sub}
            peer.send(resp(req_id, 200, "cqm.SubscribeExConversationsResponse", body))
            if self.convs:
                peer.send(conv_notification(peer.conv_sub, list(self.convs.values())))
        elif kind == "routing.SubscribeAgentsState" and self.push_presence:
            peer.agent_sub = f"sub-{next(self._ids)}"
            body = {"subscriptionId": peer.agent_sub}
            peer.send(resp(req_id, 200, "GenericSubscribeResponse", body))
            peer.send(agent_states(peer.agent_sub, self.agents, list(self.agents)))
        elif kind == "cm.UpdateConversationField":
            self._unassign(peer, req_id, frame["body"])
        else:
            peer.send(resp(req_id, 400, ".ReqBody$StringResp", f"unknown request {kind}"))

    def _unassign(self, peer: Peer, req_id: str, body: Frame) -> None:
        if self.faults.ignore_actions > 0:
            self.faults.ignore_actions -= 1
            return
        if self.faults.fail_actions > 0:
            self.faults.fail_actions -= 1
            peer.send(resp(req_id, 400, ".ReqBody$StringResp", "fault: action refused"))
            return
        fields = body["conversationField"]
        user = (fields[0] if isinstance(fields, list) else fields)["userId"]
        conv = self.convs.get(body["conversationId"])
        if conv is None or conv.agent is None or legacy(conv.agent) != user:
            peer.send(resp(req_id, 400, ".ReqBody$StringResp", "agent does not hold the role"))
            return
        peer.send(resp(req_id, 200, ".ReqBody$StringResp", "OK Agent removed successfully"))
        conv.agent, conv.meta_ms = None, self.now_ms()
        self._broadcast(conv)

    # ------------------------------------------------------------------ REST

    async def _http(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await serve_rest(self, reader, writer)


def _ws_token(path: str) -> str | None:
    prefix = f"/ws_api/account/{ACCOUNT}/messaging/brand/"
    if not path.startswith(prefix):
        return None
    return path.removeprefix(prefix).partition("?")[0] or None
