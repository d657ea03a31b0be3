"""The floor's lease in a real PostgreSQL, in real time: two engines' clients in one test."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import psycopg
import pytest

from engine.core import lease_rule
from engine.core.audit import AuditEvent, AuditType
from engine.core.model import Reason
from engine.store.errors import LeaseLostError
from engine.store.pg import PgStore
from engine.store.pg import lease as lease_sql

TTL = 1.0


def decided(key: str) -> AuditEvent:
    return AuditEvent(
        at=1.0, type=AuditType.UNASSIGN_DECIDED, conv="c1", agent="a1", reason=Reason.AWAY, key=key
    )


@pytest.fixture
def engines(postgres_url: str) -> Iterator[tuple[PgStore, PgStore]]:
    """Dana's engine at desk 1 and Eli's at desk 2, on floor f1."""
    a = PgStore.open(postgres_url, floor="f1", engine="dana@desk1", supervisor="Dana")
    b = PgStore.open(postgres_url, floor="f1", engine="eli@desk2", supervisor="Eli")
    yield a, b
    a.close()
    b.close()


def test_another_engine_takes_the_lease_over_once_it_expired(
    engines: tuple[PgStore, PgStore],
) -> None:
    a, b = engines
    first = a.acquire(TTL)
    assert first is not None
    assert first.remaining == pytest.approx(TTL, abs=0.1)
    assert b.acquire(TTL) is None
    holder = b.holder()
    assert holder is not None
    assert (holder.holder, holder.epoch) == ("dana@desk1", first.epoch)
    time.sleep(first.term.expires_by - time.monotonic() + 0.05)
    second = b.acquire(TTL)
    assert second is not None
    assert second.epoch == first.epoch + 1
    assert a.renew(TTL) is None  # lost: and it knows it holds nothing
    assert a.grant is None
    with pytest.raises(LeaseLostError):
        a.append([decided("k1")])
    b.append([decided("k1")])
    assert a.decided_keys() == frozenset({"k1"})


def test_a_stale_epoch_is_refused_even_under_the_same_engine_name(postgres_url: str) -> None:
    # The same engine paused past its lease (SIGSTOP) while its restart took the lease again.
    paused = PgStore.open(postgres_url, floor="f1", engine="dana@desk1", supervisor="Dana")
    restarted = PgStore.open(postgres_url, floor="f1", engine="dana@desk1", supervisor="Dana")
    try:
        old = paused.acquire(TTL)
        assert old is not None
        time.sleep(TTL + 0.05)
        new = restarted.acquire(TTL)
        assert new is not None
        assert new.epoch == old.epoch + 1
        with pytest.raises(LeaseLostError, match="does not hold the lease"):
            paused.append([decided("k1")])
        assert not paused.was_decided("k1")
        restarted.append([decided("k1")])
    finally:
        paused.close()
        restarted.close()


def test_a_lease_renewed_a_third_into_its_ttl_is_never_lost(
    engines: tuple[PgStore, PgStore],
) -> None:
    a, b = engines
    grant = a.acquire(TTL)
    assert grant is not None
    epoch, renewals, taken, n = grant.epoch, 0, 0, 0
    end = time.monotonic() + 3 * TTL
    while time.monotonic() < end:
        now = time.monotonic()
        if lease_rule.renew_due(grant.term, now):
            renewed = a.renew(TTL)
            assert renewed is not None, "the lease lapsed while it was renewed on time"
            grant, renewals = renewed, renewals + 1
        assert lease_rule.may_act(grant.term, time.monotonic())
        taken += b.acquire(TTL) is not None
        n += 1
        a.append([decided(f"k{n}")])  # every decision is fenced and accepted
        time.sleep(0.05)
    assert taken == 0
    assert renewals >= 6
    assert a.grant is not None
    assert a.grant.epoch == epoch


def test_a_decision_keeps_the_term_the_unassign_is_sent_on_and_its_renewal(
    engines: tuple[PgStore, PgStore],
) -> None:
    a, _ = engines
    granted = a.acquire(TTL)
    assert granted is not None
    time.sleep(TTL / 2)
    a.append([decided("k1")])
    assert a.grant == granted  # the fence confirms the grant: the renewal stays due on time
    term = a.grant.term if a.grant is not None else None
    now = time.monotonic()
    assert lease_rule.time_left(term, now) == pytest.approx(TTL / 2, abs=0.15)
    assert lease_rule.may_send(term, now, action_timeout=0.2)
    assert not lease_rule.may_send(term, now, action_timeout=0.7)


def test_a_takeover_waits_for_a_decision_under_way_to_commit(
    engines: tuple[PgStore, PgStore], postgres_url: str
) -> None:
    a, b = engines
    grant = a.acquire(TTL)
    assert grant is not None
    committed_at: list[float] = []
    with psycopg.connect(postgres_url, autocommit=True) as conn, conn.transaction():
        assert lease_sql.fence(conn, grant, time.monotonic()) is not None
        taker = threading.Thread(target=lambda: committed_at.append(_take_over(b)))
        time.sleep(TTL + 0.1)  # the lease expires while the decision's transaction is open
        taker.start()
        time.sleep(0.3)
        assert committed_at == []  # the takeover waits on the fenced row
        done = time.monotonic()
    taker.join(timeout=5)
    assert committed_at
    assert committed_at[0] >= done
    assert b.grant is not None
    assert b.grant.epoch == grant.epoch + 1


def _take_over(store: PgStore) -> float:
    assert store.acquire(TTL) is not None
    return time.monotonic()
