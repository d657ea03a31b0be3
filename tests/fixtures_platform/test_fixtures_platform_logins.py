"""Several supervisors on one fixture platform: each logs in with their own credentials and
has a websocket of their own, every one sees the same floor, and the record names who sent
each action."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from served_support import (
    ACCOUNT,
    Frame,
    StartServer,
    call,
    floor,
    http_client,
    log_in,
    open_feed,
    receive,
)
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from fixtures.platform import Platform
from fixtures.platform.auth import team_logins
from fixtures.platform.feed import REPLACED_CODE
from fixtures.platform.record import RecordKind

SUBSCRIBE = {"kind": "req", "id": "s", "type": "cqm.SubscribeExConversations", "body": {}}
MESSAGE = [{"at": 1, "consumer_message": {"conv": "c1", "text": "Anyone?"}}]


def unassign(conv: str, agent: str) -> Frame:
    field = {"field": "ParticipantsChange", "type": "REMOVE", "role": "ASSIGNED_AGENT"}
    body = {"conversationId": conv, "conversationField": [{**field, "userId": agent}]}
    return {"kind": "req", "id": "u", "type": "cm.UpdateConversationField", "body": body}


def test_each_login_has_its_own_connection_and_the_record_names_who_acted() -> None:
    platform = Platform(floor(MESSAGE))
    dana = platform.connect("supervisor")
    eli = platform.connect("supervisor2")
    for number in (dana, eli):
        platform.handle_request(SUBSCRIBE, number)
        platform.take_outgoing(0, number)
    platform.advance_to(1)
    for number in (dana, eli):  # both see the consumer's message
        [change] = platform.take_outgoing(1, number)
        assert change["body"]["changes"][0]["result"]["convId"] == "c1"
    platform.handle_request(unassign("c1", f"{ACCOUNT}.a1"), eli)
    [applied] = [e for e in platform.record if e.kind is RecordKind.ACTION_APPLIED]
    assert (applied.conv, applied.agent, applied.by) == ("c1", "a1", "supervisor2")
    assert platform.is_open(dana) and platform.is_open(eli)
    again = platform.connect("supervisor")  # Dana's new connection replaces only hers
    assert not platform.is_open(dana) and platform.is_open(eli) and platform.is_open(again)
    closed = [(e.kind, e.by) for e in platform.record if e.kind is RecordKind.DISCONNECTED]
    assert closed == [(RecordKind.DISCONNECTED, "supervisor")]


def test_team_logins_are_distinct_users_with_their_own_passwords() -> None:
    first, second, third = team_logins(3)
    assert (first.username, first.password) == ("supervisor", "fixture")
    assert (second.username, second.password) == ("supervisor2", "fixture2")
    assert third.username == "supervisor3"


async def next_change(ws: ClientConnection) -> Frame:
    while True:
        frame = await asyncio.wait_for(receive(ws), 5)
        if str(frame.get("type")).endswith("ExConversationChangeNotification"):
            return frame


async def test_two_supervisors_watch_one_served_floor_each_on_their_own_websocket(
    start_server: StartServer,
) -> None:
    server = await start_server(floor(MESSAGE), supervisors=2)
    async with http_client(server) as http:
        response = await http.post(
            f"{server.base_url}/api/account/{ACCOUNT}/login?v=1.3",
            json={"username": "supervisor2", "password": "fixture"},  # Dana's password
        )
        assert response.status_code == 401
        assert (await log_in(http, server, "supervisor2", "fixture2"))["config"]["userId"] == (
            "supervisor2"
        )
    dana = await open_feed(server, username="supervisor")
    eli = await open_feed(server, username="supervisor2")
    try:
        for ws in (dana, eli):
            assert (await call(ws, "s", "cqm.SubscribeExConversations"))["code"] == 200
            await next_change(ws)  # the snapshot
        seen = [await next_change(ws) for ws in (dana, eli)]  # the message at t=1, to both
        assert [f["body"]["changes"][0]["result"]["convId"] for f in seen] == ["c1", "c1"]
        answer = await call(
            eli, "u", "cm.UpdateConversationField", unassign("c1", f"{ACCOUNT}.a1")["body"]
        )
        assert answer["code"] == 200
        [applied] = [e for e in server.platform.record if e.kind is RecordKind.ACTION_APPLIED]
        assert applied.by == "supervisor2"
        opened = [e.by for e in server.platform.record if e.kind is RecordKind.CONNECTED]
        assert opened == ["supervisor", "supervisor2"]
        replacing = await open_feed(server, username="supervisor")  # Dana's second websocket
        try:
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    await asyncio.wait_for(dana.recv(), 5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == REPLACED_CODE
            assert (await call(eli, "g", "GetClock"))["code"] == 200  # Eli's is untouched
        finally:
            await replacing.close()
    finally:
        await dana.close()
        await eli.close()


async def test_a_stranger_is_refused(start_server: StartServer) -> None:
    server = await start_server(floor(), supervisors=3)
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{server.base_url}/api/account/{ACCOUNT}/login?v=1.3",
            json={"username": "supervisor4", "password": "fixture4"},
        )
    assert response.status_code == 401
