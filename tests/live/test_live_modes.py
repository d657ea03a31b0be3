"""Pushed presence, login refresh, dry run and restarts."""

from __future__ import annotations

import asyncio

from live_harness import StartLive, until
from live_platform import FakePlatform
from live_wire import ACCOUNT

from engine.core import AuditType, Status
from engine.protocol import UPDATE_CONVERSATION_FIELD

REFRESH = f"/api/account/{ACCOUNT}/refresh"

DECIDED = AuditType.UNASSIGN_DECIDED


async def test_pushed_presence_drives_the_deadline_without_polling(
    platform: FakePlatform, start_live: StartLive
) -> None:
    platform.push_presence = True
    platform.add_agent("a1")
    platform.open_conversation("c1", "a1")
    live = await start_live(presence="push", policy={"online": 60, "away": 0.3})
    platform.consumer_message("c1")
    await until(lambda: live.floor.service.read.conversation("c1") is not None)

    platform.set_agent_state("a1", "AWAY")
    await until(lambda: AuditType.UNASSIGN_CONFIRMED in live.types("c1"), what="confirmed")

    assert live.first(DECIDED, "c1").reason == "away"
    assert platform.agent_view_calls == 0


async def test_an_expired_session_is_refreshed_by_a_new_login(
    platform: FakePlatform, start_live: StartLive
) -> None:
    live = await start_live(refresh_interval=0.1)
    await asyncio.sleep(0.15)
    assert platform.logins == 1, "a live session is refreshed, not replaced"
    platform.revoke_tokens()
    await until(lambda: platform.logins == 2, what="a new login")
    assert live.types() == ["feed.fresh"], "the socket was not disturbed"


async def test_a_refresh_answered_with_an_error_is_a_new_login_on_a_fresh_lookup(
    platform: FakePlatform, start_live: StartLive
) -> None:
    live = await start_live(refresh_interval=0.1)
    await until(lambda: platform.rest_paths.count(REFRESH) >= 1, what="a refresh")
    assert platform.logins == 1
    lookups = platform.lookups
    platform.faults.refresh_error = True
    await until(lambda: platform.logins == 2, what="a new login")
    assert platform.lookups > lookups, "the login host is looked up again before a refresh"
    assert live.types() == ["feed.fresh"], "the socket was not disturbed"


async def test_dry_run_decides_and_records_but_never_acts(
    platform: FakePlatform, start_live: StartLive
) -> None:
    platform.add_agent("a1")
    platform.open_conversation("c1", "a1")
    live = await start_live(dry_run=True)
    platform.consumer_message("c1")
    await until(lambda: DECIDED in live.types("c1"))
    await asyncio.sleep(0.2)

    assert live.types("c1") == ["unassign.decided"]
    view = live.floor.service.read.conversation("c1")
    assert view is not None and view.status is Status.WOULD_UNASSIGN
    assert not platform.requests_of(UPDATE_CONVERSATION_FIELD)


async def test_a_wait_decided_before_a_restart_is_not_decided_again(
    platform: FakePlatform, start_live: StartLive
) -> None:
    platform.add_agent("a1")
    platform.open_conversation("c1", "a1")
    first = await start_live(dry_run=True)
    platform.consumer_message("c1")
    await until(lambda: DECIDED in first.types("c1"))
    await first.stop()
    first.floor.close()

    second = await start_live(dry_run=True)
    await asyncio.sleep(0.5)
    assert not second.task.done(), "the floor stopped"
    assert DECIDED not in second.types("c1")
