"""A lease lost between the role check and the commit: the database refuses the decision
(the fenced commit), and the engine turns to WATCHING and says why; it is no storage
problem, and the rest of the batch is on the floor."""

from __future__ import annotations

import time

import psycopg
from desk import ONLINE, T0, TTL, Desk, ana, waiting

from engine.core import AuditEvent, AuditType, BarrierCompleted, FeedFresh, Reason, lease_rule


def test_a_decision_refused_for_the_lease_turns_the_engine_to_watching(
    desks: tuple[Desk, Desk], postgres_url: str
) -> None:
    a, b = desks
    a.keeper.step()
    # The lease lapses in the database while Dana's engine still counts it as held (its role
    # check passes), and Eli's engine takes it: Dana's next decision is refused.
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("UPDATE lease SET expires_at = clock_timestamp()")
    b.keeper.step()
    assert b.keeper.role().acting and a.keeper.role().acting
    due = T0 + ONLINE
    a.service.apply([ana(T0), waiting("c1", T0), FeedFresh(T0), BarrierCompleted(due)], due)
    assert a.service.storage_problem is None
    role = a.service.role
    assert role is not None and not role.acting
    stale = [e for e in a.heard if e.type is AuditType.FEED_STALE]
    assert stale[-1].detail.startswith("WATCHING (acting: nobody yet): ")
    assert "a decision was not recorded" in stale[-1].detail
    assert "does not hold the lease of floor 'f1'" in stale[-1].detail
    [failed] = [e for e in a.heard if e.type is AuditType.UNASSIGN_FAILED]
    assert failed.detail.startswith("not sent: ") and "does not hold the lease" in failed.detail
    assert a.types() == ["unassign.failed"]  # the decision was never recorded nor heard
    assert a.store.decided_keys() == frozenset()
    stored = [e.type for e in b.store.history()]
    assert AuditType.UNASSIGN_DECIDED not in stored
    assert {AuditType.FEED_FRESH, AuditType.FEED_STALE, AuditType.UNASSIGN_FAILED} <= set(stored)
    a.keeper.step()  # Dana's keeper asks again: Eli acts
    assert a.service.role is not None and a.service.role.holder == "eli"
    # Eli's engine decides the wait, once, under its key.
    b.service.apply([ana(T0), waiting("c1", T0), FeedFresh(T0), BarrierCompleted(due)], due)
    assert [e.conv for e in b.heard if e.type is AuditType.UNASSIGN_DECIDED] == ["c1"]
    assert len(b.store.decided_keys()) == 1


def test_decisions_fenced_more_often_than_renewals_never_cost_the_lease(
    desks: tuple[Desk, Desk],
) -> None:
    """A busy floor decides every tenth of the lease's time to live: the keeper, stepping
    when it says, still renews a third into the time to live (the lease never runs low, so
    no other engine may take it), and every decision is recorded."""
    a, b = desks
    wakes = [a.keeper.step(), b.keeper.step()]
    end = time.monotonic() + 4 * TTL
    n = 0
    while time.monotonic() < end:
        for i, desk in enumerate((a, b)):
            if time.monotonic() >= wakes[i]:
                wakes[i] = desk.keeper.step()
        grant = a.store.grant
        left = lease_rule.time_left(grant.term if grant is not None else None, time.monotonic())
        assert left > TTL / 3, f"the lease ran down to {left:.2f} s: its renewal was put off"
        n += 1
        a.store.append([decided(f"k{n}")])  # fenced: raises if the lease was lost
        time.sleep(TTL / 10)
    assert not b.keeper.role().acting
    assert len(a.store.decided_keys()) == n


def decided(key: str) -> AuditEvent:
    return AuditEvent(
        at=T0, type=AuditType.UNASSIGN_DECIDED, conv="c1", agent="a1", reason=Reason.ONLINE, key=key
    )
