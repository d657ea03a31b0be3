"""Team mode's shared state: two engines' clients of one floor in one real PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import MappingProxyType
from typing import TYPE_CHECKING

import psycopg
import pytest

from engine.core.audit import AuditEvent, AuditType
from engine.core.model import Reason
from engine.core.overrides import Overrides
from engine.core.policy import Policy
from engine.store import StoreError
from engine.store.changes import diff
from engine.store.errors import LeaseLostError
from engine.store.pg import PgStore
from engine.store.pg.listen import FloorListener

if TYPE_CHECKING:
    from fixtures.postgres import PostgresServer


@pytest.fixture
def floor(postgres_url: str) -> Iterator[tuple[PgStore, PgStore]]:
    """Two engines of floor f1: Dana's at desk 1 (holding the lease) and Eli's at desk 2."""
    a = PgStore.open(postgres_url, floor="f1", engine="dana@desk1", supervisor="Dana")
    b = PgStore.open(postgres_url, floor="f1", engine="eli@desk2", supervisor="Eli")
    assert a.acquire(ttl=30) is not None
    yield a, b
    a.close()
    b.close()


def decided(key: str) -> AuditEvent:
    return AuditEvent(
        at=10.0, type=AuditType.UNASSIGN_DECIDED, conv="c1", agent="a1", reason=Reason.AWAY, key=key
    )


def hold(conv: str, by: str) -> AuditEvent:
    return AuditEvent(at=5.0, type=AuditType.OVERRIDE_HOLD, conv=conv, by=by)


def holding(*convs: str) -> Overrides:
    return Overrides(conv_holds=MappingProxyType(dict.fromkeys(convs)))


def test_each_audit_row_names_its_engine_and_supervisor(floor: tuple[PgStore, PgStore]) -> None:
    a, b = floor
    a.append([decided("k1")])
    b.commit_command([hold("c2", "Eli")], diff(Overrides(), holding("c2")))
    rows = b.changes_since(0).events
    assert [(r.event.type, r.engine, r.supervisor) for r in rows] == [
        (AuditType.UNASSIGN_DECIDED, "dana@desk1", "Dana"),
        (AuditType.OVERRIDE_HOLD, "eli@desk2", "Eli"),
    ]
    assert rows[0].version < rows[1].version


def test_only_the_lease_holder_records_a_decision(floor: tuple[PgStore, PgStore]) -> None:
    a, b = floor
    with pytest.raises(LeaseLostError, match="does not hold the lease"):
        b.append([AuditEvent(at=1.0, type=AuditType.FEED_FRESH), decided("k1")])
    assert b.audit_count() == 0
    b.append([AuditEvent(at=1.0, type=AuditType.FEED_FRESH)])  # no decision: no lease needed
    a.append([decided("k1")])
    assert b.was_decided("k1")


def test_a_wait_is_decided_once_across_engines_and_per_floor(
    floor: tuple[PgStore, PgStore], postgres_url: str
) -> None:
    a, b = floor
    a.append([decided("k1")])
    a.release()
    assert b.acquire(ttl=30) is not None
    with pytest.raises(StoreError, match="decided once per key"):
        b.append([decided("k1")])
    with PgStore.open(postgres_url, floor="f2", engine="fay@desk3", supervisor="Fay") as other:
        assert other.acquire(ttl=30) is not None
        other.append([decided("k1")])  # the same key on another floor is another wait
        assert other.decided_keys() == frozenset({"k1"})
    assert b.decided_keys() == frozenset({"k1"})


def test_commands_from_two_dashboards_merge(floor: tuple[PgStore, PgStore]) -> None:
    a, b = floor
    seen = a.load_overrides()  # both dashboards saw no hold, and each holds another conversation
    a.commit_command([hold("c1", "Dana")], diff(seen, holding("c1")))
    b.commit_command([hold("c2", "Eli")], diff(seen, holding("c2")))
    assert a.load_overrides() == holding("c1", "c2")
    assert a.audit_count() == 2


def test_each_change_is_versioned_and_read_once_by_version(floor: tuple[PgStore, PgStore]) -> None:
    a, b = floor
    start = b.changes_since(0).version
    a.save_policy(Policy.from_mapping({"online": 45}))
    after_policy = b.changes_since(start)
    assert after_policy.policy == Policy.from_mapping({"online": 45})
    assert after_policy.overrides is None
    dry = Overrides(agent_holds=MappingProxyType({"a7": 99.0}), dry_run=True)
    b.commit_command([], diff(Overrides(), dry))
    after_dry = a.changes_since(after_policy.version)
    assert after_dry.overrides == dry
    assert after_dry.policy is None  # unchanged since the version asked
    assert after_dry.version > after_policy.version > start
    quiet = a.changes_since(after_dry.version)
    assert (quiet.version, quiet.events, quiet.overrides, quiet.policy) == (
        after_dry.version,
        [],
        None,
        None,
    )


def test_a_command_reaches_another_engine_within_a_second(
    floor: tuple[PgStore, PgStore], postgres_url: str
) -> None:
    a, b = floor
    listener = FloorListener(postgres_url, "f1")
    try:
        assert listener.wait(1.0)  # connected: catch up first
        version = b.changes_since(0).version
        assert not listener.wait(0.2)
        start = time.monotonic()
        a.commit_command([hold("c1", "Dana")], diff(Overrides(), holding("c1")))
        assert listener.wait(1.0)
        took = time.monotonic() - start
        assert took < 1.0
        assert b.changes_since(version).overrides == holding("c1")
    finally:
        listener.close()


def test_another_floors_news_does_not_wake_a_listener(postgres_url: str) -> None:
    listener = FloorListener(postgres_url, "f1")
    try:
        assert listener.wait(1.0)
        with PgStore.open(postgres_url, floor="f2", engine="fay@desk3", supervisor="Fay") as f2:
            f2.append([hold("c1", "Fay")])
        assert not listener.wait(0.5)
    finally:
        listener.close()


def test_a_change_missed_while_disconnected_is_caught_up_by_version(
    floor: tuple[PgStore, PgStore], postgres_url: str, postgres_server: PostgresServer
) -> None:
    a, b = floor
    listener = FloorListener(postgres_url, "f1")
    try:
        assert listener.wait(1.0)
        version = b.changes_since(0).version
        with psycopg.connect(postgres_server.url(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (listener.backend_pid,))
        a.commit_command([hold("c1", "Dana")], diff(Overrides(), holding("c1")))  # unheard
        assert listener.wait(2.0)  # the loss is seen, the connection reopened: catch up
        assert listener.connections == 2
        caught = b.changes_since(version)
        assert caught.overrides == holding("c1")
        assert [r.event for r in caught.events] == [hold("c1", "Dana")]
    finally:
        listener.close()


def test_the_store_and_the_listener_outlive_a_database_restart(
    floor: tuple[PgStore, PgStore], postgres_url: str, postgres_server: PostgresServer
) -> None:
    a, _ = floor
    listener = FloorListener(postgres_url, "f1")
    try:
        assert listener.wait(1.0)
        postgres_server.stop()
        assert not listener.wait(0.6)  # down: no news, and it says why
        assert listener.last_error is not None
        postgres_server.start()
        assert listener.wait(5.0)
        a.append([hold("c1", "Dana")])  # the pool's dead connections are replaced
        assert a.audit_count() == 1
    finally:
        listener.close()
