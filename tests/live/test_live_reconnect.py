"""Dropped sockets, refused connections and expired logins: reconnect, resync, no stale acts."""

from __future__ import annotations

import asyncio

from live_harness import Live, StartLive, until
from live_platform import FakePlatform

from engine.core import AuditType

STALE, FRESH = AuditType.FEED_STALE, AuditType.FEED_FRESH


def _recoveries(live: Live) -> list[float]:
    """Platform seconds from each feed.stale to the feed.fresh that follows it."""
    times, stale_at = [], None
    for event in live.audit:
        if event.type == STALE:
            stale_at = event.at
        elif event.type == FRESH and stale_at is not None:
            times.append(event.at - stale_at)
            stale_at = None
    return times


async def test_a_dropped_socket_reconnects_resyncs_and_never_acts_on_stale_data(
    platform: FakePlatform, start_live: StartLive
) -> None:
    for conv, agent in (("c1", "a1"), ("c2", "a2")):
        platform.add_agent(agent)
        platform.open_conversation(conv, agent)
    live = await start_live(policy={"online": 0.6})
    read = live.floor.service.read
    platform.consumer_message("c1")
    platform.consumer_message("c2")
    await until(lambda: read.conversation("c1") is not None and read.conversation("c2") is not None)

    platform.faults.refuse_connections = True
    platform.drop()
    await until(lambda: STALE in live.types(), what="feed.stale")
    platform.agent_message("c1")  # answered during the outage: only the resync can tell
    await asyncio.sleep(0.9)  # both deadlines pass while the feed is down
    assert live.types() == ["feed.fresh", "feed.stale"]
    assert live.floor.status.state == "reconnecting"

    platform.faults.refuse_connections = False
    await until(lambda: AuditType.UNASSIGN_CONFIRMED in live.types("c2"), what="c2 unassigned")

    assert live.types("c1") == [], "c1's agent answered during the outage"
    stale, fresh = (e for e in live.audit if e.type in (STALE, FRESH) and e.at > live.audit[0].at)
    decided = live.first(AuditType.UNASSIGN_DECIDED, "c2")
    assert stale.type == STALE and fresh.type == FRESH
    assert stale.at < fresh.at <= decided.at
    assert live.floor.session.synced and live.floor.status.state == "live"


async def test_reconnect_and_resync_time_over_repeated_drops(
    platform: FakePlatform, start_live: StartLive
) -> None:
    for number in range(1, 21):
        platform.add_agent(f"a{number}")
        platform.open_conversation(f"c{number}", f"a{number}")
        platform.consumer_message(f"c{number}")
    live = await start_live(policy={"online": 3600})
    drops = 8
    for drop in range(1, drops + 1):
        platform.drop()
        await until(lambda n=drop: len(_recoveries(live)) == n, what=f"recovery {drop}")  # type: ignore[misc]

    recoveries = _recoveries(live)
    assert len(recoveries) == drops
    assert len(list(live.floor.service.read.watched_ids())) == 20
    longest = max(recoveries)
    print(f"\nlongest reconnect+resync over {drops} drops: {longest * 1000:.0f} ms")
    assert longest < 1.0


async def test_an_authentication_close_logs_in_again_before_reconnecting(
    platform: FakePlatform, start_live: StartLive
) -> None:
    live = await start_live()
    assert platform.logins == 1
    platform.revoke_tokens()
    await platform.close_sockets(4401, "token expired")

    await until(lambda: platform.logins == 2 and live.floor.session.synced, what="new login")
    assert live.types() == ["feed.fresh", "feed.stale", "feed.fresh"]


async def test_refused_connections_back_off_with_a_cap(
    platform: FakePlatform, start_live: StartLive
) -> None:
    live = await start_live(reconnect={"base": 0.01, "factor": 2.0, "cap": 0.08})
    platform.faults.refuse_connections = True
    before = platform.handshakes
    platform.drop()
    await asyncio.sleep(0.6)

    status = live.floor.status
    assert status.state == "reconnecting" and "HTTP 503" in status.detail
    # delays 0.01, 0.02, 0.04, then 0.08 (each scaled by 50-100 %): about 8-15 attempts
    assert 5 <= platform.handshakes - before <= 25
    platform.faults.refuse_connections = False
    await until(lambda: live.floor.session.synced, what="reconnected")
