"""An unassign is decided once per key, across restarts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from engine.core.audit import AuditEvent, AuditType
from engine.core.model import Reason
from engine.store import Store, StoreError, audit_log


def decided(key: str, at: float = 10.0) -> AuditEvent:
    return AuditEvent(
        at=at, type=AuditType.UNASSIGN_DECIDED, conv="c1", agent="a1", reason=Reason.ONLINE, key=key
    )


def test_decided_keys_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    with Store.open(path) as store:
        assert not store.was_decided("k1")
        store.append([decided("k1")])
        assert store.was_decided("k1")
    with Store.open(path) as store:
        assert store.was_decided("k1")
        assert not store.was_decided("k2")
        assert store.decided_keys() == frozenset({"k1"})


def test_other_event_types_do_not_claim_a_key(tmp_path: Path) -> None:
    with Store.open(tmp_path / "fw.db") as store:
        retries = [
            AuditEvent(at=float(i), type=AuditType.UNASSIGN_SENT, key="k1") for i in range(3)
        ]
        store.append(retries)
        assert not store.was_decided("k1")
        store.append([decided("k1"), AuditEvent(at=9.0, type=AuditType.UNASSIGN_FAILED, key="k1")])
        assert store.was_decided("k1")
        assert store.audit_count() == 5


def test_a_second_decision_refuses_its_whole_batch(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    with Store.open(path) as store:
        store.append([decided("k1")])
        batch = [AuditEvent(at=11.0, type=AuditType.FEED_STALE), decided("k1", at=12.0)]
        with pytest.raises(StoreError, match="decided once per key"):
            store.append(batch)
        with pytest.raises(StoreError, match="decided once per key"):
            store.append([decided("k2"), decided("k2")])
        assert store.audit_count() == 1
        assert not store.was_decided("k2")


def test_was_decided_uses_the_index(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    try:
        plan = conn.execute("EXPLAIN QUERY PLAN " + audit_log.IS_DECIDED, ("k",)).fetchall()
    finally:
        conn.close()
    assert any("audit_decided_key" in str(step) for step in plan)
