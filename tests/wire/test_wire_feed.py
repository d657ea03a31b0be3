"""The loopback platform's brand websocket: the bearer check, requests, faults, the clock."""

from __future__ import annotations

import asyncio
import json
import logging
import time

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, ConnectionClosedError, InvalidStatus
from wire_support import (
    StartServer,
    bearer,
    brand_url,
    open_feed,
    receive,
    request,
    small_scenario,
)

from fixtures.platform.record import RecordKind
from fixtures.scenario import SupervisorStep


async def _closed_with(url: str) -> int | None:
    async with connect(url, open_timeout=5) as ws:
        with pytest.raises(ConnectionClosed):
            await ws.recv()
        return ws.close_code


async def test_the_feed_refuses_a_missing_or_wrong_bearer(start_server: StartServer) -> None:
    server = await start_server(small_scenario())
    token = await bearer(server)
    assert await _closed_with(brand_url(server, "not-issued")) == 4401
    assert await _closed_with(brand_url(server, "")) == 4401
    assert await _closed_with(brand_url(server, token, account="999")) == 4401
    with pytest.raises(InvalidStatus) as refused:
        await connect(f"ws://127.0.0.1:{server.feed_port}/ws_api/elsewhere", open_timeout=5)
    assert refused.value.response.status_code == 404
    assert not server.started  # nobody was let in: the scenario clock still waits
    opened = [e for e in server.platform.record if e.kind is RecordKind.CONNECTED]
    assert opened == [], "nobody was let into the feed"


async def test_subscribe_gives_the_response_then_the_snapshot(start_server: StartServer) -> None:
    server = await start_server(small_scenario())
    async with await open_feed(server) as ws:
        await ws.send(request("1", ".ams.aam.SubscribeExConversations"))
        response, snapshot = await receive(ws), await receive(ws)
        await ws.send(request("2", "GetClock"))
        clock = await receive(ws)
    assert (response["reqId"], response["code"]) == ("1", 200)
    assert snapshot["type"] == ".ams.aam.ExConversationChangeNotification"
    assert snapshot["body"]["changes"][0]["result"]["convId"] == "c1"
    assert clock["reqId"] == "2"
    assert clock["body"]["currentTime"] >= server.platform.epoch_ms
    assert server.started


async def test_malformed_requests_get_a_400_and_the_feed_goes_on(
    start_server: StartServer,
) -> None:
    server = await start_server(small_scenario())
    bad = [
        "not json",
        "[1, 2]",
        json.dumps({"kind": "req", "id": "m1"}),
        json.dumps({"kind": "req", "id": "m2", "type": "GetClock", "body": "nope"}),
        request("m3", "ms.PublishEvent"),
    ]
    async with await open_feed(server) as ws:
        for frame in bad:
            await ws.send(frame)
        answers = [await receive(ws) for _ in bad]
        await ws.send(request("ok", "GetClock"))
        clock = await receive(ws)
    assert [a["code"] for a in answers] == [400] * len(bad)
    assert [a["reqId"] for a in answers] == [None, None, "m1", "m2", "m3"]
    assert all(isinstance(a["body"], str) and a["body"] for a in answers)
    assert (clock["reqId"], clock["code"]) == ("ok", 200)


async def test_drop_socket_really_closes_the_socket(start_server: StartServer) -> None:
    speed = 20.0
    server = await start_server(small_scenario([{"at": 2, "fault": "drop_socket"}]), speed=speed)
    async with await open_feed(server) as ws:
        started = time.monotonic()
        await ws.send(request("1", "cqm.SubscribeExConversations"))
        await receive(ws)  # the response
        await receive(ws)  # the snapshot
        with pytest.raises(ConnectionClosedError):
            await ws.recv()
        elapsed = time.monotonic() - started
    assert ws.close_code == 1006  # no close frame: the connection was cut
    assert elapsed == pytest.approx(2 / speed, abs=0.05)
    async with await open_feed(server) as again:  # a reconnect is served
        await again.send(request("2", "GetClock"))
        assert (await receive(again))["code"] == 200


async def test_a_stalled_feed_answers_when_the_stall_ends(start_server: StartServer) -> None:
    speed = 10.0
    scenario = small_scenario([{"at": 0, "fault": {"stall_feed": 3}}])
    server = await start_server(scenario, speed=speed)
    async with await open_feed(server) as ws:
        started = time.monotonic()
        await ws.send(request("1", "GetClock"))
        answer = await receive(ws)
        elapsed = time.monotonic() - started
    assert elapsed == pytest.approx(3 / speed, abs=0.05)
    made_at = (answer["body"]["currentTime"] - server.platform.epoch_ms) / 1000
    assert made_at < 0.5  # the answer carries the time it was made, not when it left


async def test_a_newer_connection_replaces_the_older(start_server: StartServer) -> None:
    server = await start_server(small_scenario())
    async with await open_feed(server) as old, await open_feed(server) as new:
        with pytest.raises(ConnectionClosed):
            await old.recv()
        await new.send(request("1", "GetClock"))
        assert (await receive(new))["code"] == 200
    assert old.close_code == 4000


async def test_supervisor_steps_come_due_at_their_time(start_server: StartServer) -> None:
    speed = 20.0
    timeline = [{"at": 1, "supervisor": {"hold": "c1"}}, {"at": 3, "supervisor": {"release": "c1"}}]
    server = await start_server(small_scenario(timeline), speed=speed)
    async with await open_feed(server):
        steps = [await asyncio.wait_for(server.supervisor_steps.get(), 1) for _ in timeline]
        at_release = server.scenario_time()
    assert steps == [
        (1.0, SupervisorStep(hold="c1")),
        (3.0, SupervisorStep(release="c1")),
    ]
    assert at_release == pytest.approx(3, abs=0.3)


async def test_the_bearer_never_reaches_the_server_logs(
    start_server: StartServer, caplog: pytest.LogCaptureFixture
) -> None:
    server = await start_server(small_scenario())
    with caplog.at_level(logging.DEBUG):
        token = await bearer(server)
        async with connect(brand_url(server, token), open_timeout=5) as ws:
            await ws.send(request("1", "GetClock"))
            await receive(ws)
    logged = "\n".join(
        r.getMessage() for r in caplog.records if r.name.startswith("floorwatch.fixtures")
    )
    assert "/messaging/brand/***" in logged
    assert token not in logged
