"""Everything written survives a close and a reopen of the real file."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import MappingProxyType

import pytest

from engine.core.audit import AuditEvent, AuditType
from engine.core.model import Reason
from engine.core.overrides import Overrides
from engine.core.policy import Policy
from engine.store import SCHEMA_VERSION, Store, StoreError

EVENTS = [
    AuditEvent(
        at=1700000000.125,
        type=AuditType.UNASSIGN_DECIDED,
        conv="c1",
        agent="a1",
        reason=Reason.AWAY,
        key="c1|a1|1699999970.0",
    ),
    AuditEvent(at=1700000000.5, type=AuditType.UNASSIGN_SENT, conv="c1", agent="a1"),
    AuditEvent(
        at=1700000001.0,
        type=AuditType.OVERRIDE_HOLD,
        conv="c2",
        by="Dana",
        detail="VIP — hold until the end of the shift",
    ),
    AuditEvent(at=1700000002.0, type=AuditType.FEED_STALE),
]


def test_audit_roundtrip_in_insertion_order(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    with Store.open(path) as store:
        store.append(EVENTS[:2])
        store.append(EVENTS[2:])
    with Store.open(path) as store:
        rows = store.audit()
        assert [event for _, event in rows] == EVENTS
        ids = [row_id for row_id, _ in rows]
        assert ids == sorted(ids)
        assert store.audit_count() == len(EVENTS)
        assert [e for _, e in store.audit(limit=2)] == EVENTS[:2]
        assert [e for _, e in store.audit(since_id=ids[1])] == EVENTS[2:]
        assert [e for _, e in store.audit(limit=1, since_id=ids[1])] == EVENTS[2:3]


def test_empty_batch_writes_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path / "fw.db") as store:
        store.append([])
        assert store.audit_count() == 0
        assert store.audit() == []


def test_policy_roundtrip(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    policy = Policy.from_mapping(
        {
            "online": 60,
            "away": 30.5,
            "offline": None,
            "skills": {"billing": {"online": 120, "away": None}, "sales": {}},
        }
    )
    with Store.open(path) as store:
        assert store.load_policy() is None
        store.save_policy(Policy.from_mapping({"online": 1}))
        store.save_policy(policy)
    with Store.open(path) as store:
        loaded = store.load_policy()
    assert loaded is not None
    assert loaded.to_mapping() == policy.to_mapping()


def test_overrides_roundtrip_and_replace(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    first = Overrides(
        conv_holds=MappingProxyType({"c1": None, "c2": 1700000100.0}),
        agent_holds=MappingProxyType({"trainee": None}),
        extensions=MappingProxyType({"c3": 45.0}),
        dry_run=True,
    )
    second = Overrides(conv_holds=MappingProxyType({"c9": 5.0}))
    with Store.open(path) as store:
        assert store.load_overrides() == Overrides()
        store.save_overrides(first)
    with Store.open(path) as store:
        assert store.load_overrides() == first
        store.save_overrides(second)
    with Store.open(path) as store:
        assert store.load_overrides() == second


def test_new_file_is_versioned_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "fw.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_connection_is_durable_and_enforces_foreign_keys(tmp_path: Path) -> None:
    # White-box: these settings belong to the connection, so only the Store's own shows them.
    with Store.open(tmp_path / "fw.db") as store:
        conn = store._conn
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] <= 1000


def test_use_after_close_is_a_store_error(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "fw.db")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.audit_count()


def test_calls_from_many_threads_are_serialised(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    batch = [AuditEvent(at=float(i), type=AuditType.FEED_FRESH) for i in range(50)]
    with Store.open(path) as store, ThreadPoolExecutor(max_workers=4) as pool:
        for done in [pool.submit(store.append, batch) for _ in range(20)]:
            done.result()
        assert store.audit_count() == 20 * len(batch)
