"""Two services of one team floor on one real PostgreSQL: the one that holds the lease
decides and sends, the other watches; when the holder stops, the other takes over with the
floor's decided waits, and nothing is decided twice."""

from __future__ import annotations

import asyncio
import contextlib
import time

from desk import ONLINE, T0, TTL, Desk, waiting

from engine.core import (
    AgentChanged,
    AgentState,
    AuditType,
    BarrierCompleted,
    FeedFresh,
    Hold,
    LinkEvent,
    Release,
)
from engine.team.lease_keeper import keep_lease
from tui.app import FloorwatchApp
from tui.clock import FrozenClock
from tui.screens.main import MainScreen
from tui.widgets.floor_header import FloorHeader


def test_the_holder_decides_the_watcher_does_not_then_takes_over_and_resumes_under_its_key(
    desks: tuple[Desk, Desk],
) -> None:
    a, b = desks
    a.keeper.step()
    b.keeper.step()
    due = T0 + ONLINE
    floor: list[LinkEvent] = [
        AgentChanged("a1", AgentState.ONLINE, T0 - 600, "Ana"),
        waiting("c1", T0),
    ]
    for desk in (a, b):
        desk.service.apply([*floor, FeedFresh(T0), BarrierCompleted(due)], due)
    # The link is down in this test: the acting engine's send fails at once.
    assert a.types() == ["unassign.decided", "unassign.failed"]
    assert b.types() == []
    stale = [e for e in b.heard if e.type is AuditType.FEED_STALE]
    assert stale and stale[-1].detail == "WATCHING (acting: dana)"
    key = next(e.key for e in a.heard if e.type is AuditType.UNASSIGN_DECIDED)
    assert key is not None
    # Dana's engine stops (nothing released); Eli's takes the lease once it expired.
    grant = a.store.grant
    assert grant is not None
    time.sleep(max(0.0, grant.term.expires_by - time.monotonic()) + 0.05)
    assert b.keeper.step() and b.keeper.role().acting
    later = due + 5
    b.service.apply([BarrierCompleted(later)], later)
    assert b.types() == []  # the wait was decided on the floor: never decided again
    # The floor is read afresh (the runner reconnects): the decided wait is resumed.
    assert b.service.timer(later) == (
        "took the floor over: reading it afresh to resume its decided waits"
    )
    assert b.service.timer(later) is None
    b.service.apply([waiting("c1", T0), BarrierCompleted(later + 1)], later + 1)
    resumed = [e for e in b.heard if e.type.value.startswith("unassign.")]
    assert [(e.type, e.key) for e in resumed] == [(AuditType.UNASSIGN_FAILED, key)]
    fresh = [e for e in b.heard if e.type is AuditType.FEED_FRESH]
    assert fresh[-1].detail == "ACTING (this engine holds the floor's lease)"
    assert b.store.decided_keys() == frozenset({key})
    # Dana's engine, back, holds no lease: it decides nothing more and sends nothing.
    a.service.apply([waiting("c2", later - ONLINE), BarrierCompleted(later)], later)
    assert a.types() == ["unassign.decided", "unassign.failed"]
    assert a.store.audit_count() == b.store.audit_count()


def test_a_command_from_either_dashboard_is_committed_once_and_undoes_no_other(
    desks: tuple[Desk, Desk],
) -> None:
    a, b = desks
    a.keeper.step()
    b.keeper.step()
    now = T0
    agent = AgentChanged("a1", AgentState.ONLINE, T0 - 600, "Ana")
    for desk in (a, b):
        convs = [waiting(conv, T0) for conv in ("c1", "c2", "c3")]
        desk.service.apply([agent, *convs, FeedFresh(T0)], now)
    assert a.service.execute(Hold(conv="c1", by="dana"), now) is None
    assert b.service.execute(Hold(conv="c2", by="eli"), now + 1) is None  # B never saw c1's hold
    assert b.service.execute(Release(conv="c2", by="eli"), now + 2) is None
    assert a.service.execute(Hold(conv="c3", by="dana"), now + 3) is None
    assert a.store.load_overrides().conv_holds == {"c1": None, "c3": None}
    rows = a.store.changes_since(0).events
    commands = [(r.event.type.value, r.event.conv, r.supervisor) for r in rows if r.event.conv]
    assert commands == [
        ("override.hold", "c1", "dana"),
        ("override.hold", "c2", "eli"),
        ("override.release", "c2", "eli"),
        ("override.hold", "c3", "dana"),
    ]


async def test_a_hold_given_at_the_watching_desk_is_respected_by_the_acting_one_within_a_second(
    desks: tuple[Desk, Desk],
) -> None:
    a, b = desks
    a.keeper.step()
    b.keeper.step()
    agent = AgentChanged("a1", AgentState.ONLINE, T0 - 600, "Ana")
    for desk in (a, b):
        desk.service.apply([agent, waiting("c1", T0), waiting("c2", T0), FeedFresh(T0)], T0)
    following = asyncio.create_task(
        a.seat.follow(lambda o, p: a.service.floor_changed(o, T0 + 1, p))
    )
    try:
        await asyncio.sleep(0.3)  # listening
        given = time.monotonic()
        assert b.service.execute(Hold(conv="c1", by="eli"), T0 + 1) is None
        while "c1" not in a.engine.overrides().conv_holds:
            assert time.monotonic() - given < 1.0, "the hold did not reach the acting engine"
            await asyncio.sleep(0.01)
    finally:
        following.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await following
    due = T0 + ONLINE
    a.service.apply([BarrierCompleted(due)], due)
    decided = [e.conv for e in a.heard if e.type is AuditType.UNASSIGN_DECIDED]
    assert decided == ["c2"]


def _first_line(app: FloorwatchApp) -> str:
    screen = app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    return str(screen.query_one(FloorHeader).render()).splitlines()[0]


async def test_the_header_says_acting_or_watching_and_who_acts(
    desks: tuple[Desk, Desk],
) -> None:
    """The holder's dashboard says ACTING, the other WATCHING and who acts; when the holder
    stops (its keeper releases the lease), the other takes over and says ACTING, and the
    first, back, watches it."""
    a, b = desks
    a.keeper.step()
    keepers = [asyncio.create_task(keep_lease(desk.keeper)) for desk in (a, b)]
    app_a = FloorwatchApp(a.service, FrozenClock(T0))
    app_b = FloorwatchApp(b.service, FrozenClock(T0))
    try:
        async with app_a.run_test(size=(120, 30)) as pilot, app_b.run_test(size=(120, 30)):
            await pilot.pause(1.2)
            assert "Floorwatch  ACTING" in _first_line(app_a)
            assert "WATCHING (acting: dana)" in _first_line(app_b)
            keepers[0].cancel()
            await asyncio.gather(keepers[0], return_exceptions=True)
            await pilot.pause(1.2 + TTL / 3)  # a renewal of Eli's keeper, then a poll
            assert "ACTING" in _first_line(app_b) and "WATCHING" not in _first_line(app_b)
            keepers[0] = asyncio.create_task(keep_lease(a.keeper))  # Dana's engine is back
            await pilot.pause(1.2)
            assert "WATCHING (acting: eli)" in _first_line(app_a)
    finally:
        for keeper in keepers:
            keeper.cancel()
        await asyncio.gather(*keepers, return_exceptions=True)
