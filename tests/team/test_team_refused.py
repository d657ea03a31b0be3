"""A decision the floor did not record (the lease lost under it, the database out of reach)
leaves no trace in the engine: once it acts again it decides the wait again, once, under its
key, with a decided row (not a retry of a decision nobody recorded)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import psycopg
from desk import ONLINE, T0, Desk, ana, waiting

from engine.core import AuditEvent, AuditType, BarrierCompleted, FeedFresh
from engine.store.pg.store import RECONNECT_SECONDS

if TYPE_CHECKING:
    from fixtures.postgres import PostgresServer

DUE = T0 + ONLINE


def decided_again(desk: Desk, refused: AuditEvent, now: float) -> None:
    """`desk` acts again: the refused wait is decided anew under its key, and recorded."""
    role = desk.service.role
    assert role is not None and role.acting
    desk.service.apply([BarrierCompleted(now)], now)
    decided = [e for e in desk.heard if e.type is AuditType.UNASSIGN_DECIDED]
    assert [(e.conv, e.key) for e in decided] == [("c1", refused.key)]
    assert desk.store.decided_keys() == frozenset({refused.key})
    assert desk.types()[-2:] == ["unassign.decided", "unassign.failed"]  # the link is down


def test_a_wait_refused_for_the_lease_is_decided_again_when_the_engine_acts_again(
    desks: tuple[Desk, Desk], postgres_url: str
) -> None:
    a, _ = desks
    a.keeper.step()
    with psycopg.connect(postgres_url, autocommit=True) as conn:  # lapsed under the decision
        conn.execute("UPDATE lease SET expires_at = clock_timestamp()")
    a.service.apply([ana(T0), waiting("c1", T0), FeedFresh(T0), BarrierCompleted(DUE)], DUE)
    [refused] = [e for e in a.heard if e.type is AuditType.UNASSIGN_FAILED]
    assert a.store.decided_keys() == frozenset()
    a.keeper.step()  # nobody else took the floor: Dana's engine takes it again
    decided_again(a, refused, DUE + 5)


def test_a_wait_decided_as_the_database_went_away_is_decided_again_once_it_is_back(
    desks: tuple[Desk, Desk], postgres_server: PostgresServer
) -> None:
    a, _ = desks
    a.keeper.step()
    a.service.apply([ana(T0), waiting("c1", T0), FeedFresh(T0)], DUE - 1)
    postgres_server.stop()
    try:
        a.service.apply([BarrierCompleted(DUE)], DUE)
        assert a.service.storage_problem is not None
    finally:
        postgres_server.start()
    # The database is back: the lease again, and the audit kept meanwhile is written (the
    # pool's connections come back within its reconnect bound).
    deadline = time.monotonic() + RECONNECT_SECONDS + 5
    while True:
        a.keeper.step()
        a.service.timer(DUE + 4)
        if a.service.storage_problem is None or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert a.service.storage_problem is None
    [refused] = [e for e in a.heard if e.type is AuditType.UNASSIGN_FAILED]
    assert a.store.decided_keys() == frozenset()  # the refused decision was not written
    a.keeper.step()  # the lease lasts 1 s: held again, however long the reconnect took
    decided_again(a, refused, DUE + 5)
