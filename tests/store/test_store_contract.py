"""The store contract: what the engine and the service rely on, from SQLite and PostgreSQL alike."""

from __future__ import annotations

import io
import json
from types import MappingProxyType
from typing import TYPE_CHECKING

import pytest

from engine.core.audit import AuditEvent, AuditType
from engine.core.model import Reason
from engine.core.overrides import Overrides
from engine.core.policy import Policy
from engine.store import StoreError
from engine.store.changes import diff

if TYPE_CHECKING:
    from conftest import Opener


def decided(key: str, at: float = 10.0) -> AuditEvent:
    return AuditEvent(
        at=at, type=AuditType.UNASSIGN_DECIDED, conv="c1", agent="a1", reason=Reason.AWAY, key=key
    )


EVENTS = [
    decided("c1|a1|1699999970.0", at=1700000000.125),
    AuditEvent(at=1700000000.5, type=AuditType.UNASSIGN_SENT, conv="c1", agent="a1"),
    AuditEvent(
        at=1700000001.0,
        type=AuditType.OVERRIDE_HOLD,
        conv="c2",
        by="Dana",
        detail="VIP — hold until the end of the shift",
    ),
    AuditEvent(at=1700000002.0, type=AuditType.FEED_STALE, as_of=1700000001.5),
]

OVERRIDES = Overrides(
    conv_holds=MappingProxyType({"c1": None, "c2": 1700000900.5}),
    agent_holds=MappingProxyType({"a7": None}),
    extensions=MappingProxyType({"c3": 45.0}),
    dry_run=True,
)


def test_the_audit_survives_a_reopen_in_the_order_written(open_store: Opener) -> None:
    store = open_store()
    store.append(EVENTS[:2])
    store.append([])
    store.append(EVENTS[2:])
    store.close()
    store = open_store()
    rows = store.audit()
    assert [event for _, event in rows] == EVENTS
    ids = [row_id for row_id, _ in rows]
    assert ids == sorted(ids)
    assert store.audit_count() == len(EVENTS)
    assert store.history() == EVENTS
    assert [e for _, e in store.audit(limit=2)] == EVENTS[:2]
    assert [e for _, e in store.audit(since_id=ids[1])] == EVENTS[2:]
    assert [e for _, e in store.audit(limit=1, since_id=ids[1])] == EVENTS[2:3]
    assert store.audit_of("c1", 1) == EVENTS[1:2]
    assert store.audit_of("c1", 5) == EVENTS[:2]
    assert store.audit_of("c9", 5) == []


def test_a_wait_is_decided_once_and_a_second_decision_refuses_its_batch(
    open_store: Opener,
) -> None:
    store = open_store()
    assert not store.was_decided("k1")
    store.append([decided("k1"), AuditEvent(at=11.0, type=AuditType.UNASSIGN_SENT, key="k1")])
    with pytest.raises(StoreError, match="decided once per key"):
        store.append([AuditEvent(at=12.0, type=AuditType.FEED_STALE), decided("k1", at=12.0)])
    with pytest.raises(StoreError, match="decided once per key"):
        store.append([decided("k2"), decided("k2")])
    assert store.audit_count() == 2
    store.close()
    store = open_store()
    assert store.was_decided("k1")
    assert not store.was_decided("k2")
    assert store.decided_keys() == frozenset({"k1"})


def test_policy_and_overrides_survive_a_reopen(open_store: Opener) -> None:
    store = open_store()
    assert store.load_policy() is None
    assert store.load_overrides() == Overrides()
    policy = Policy.from_mapping({"online": 90, "away": None, "skills": {"vip": {"online": 30}}})
    store.save_policy(policy)
    store.save_overrides(OVERRIDES)
    store.close()
    store = open_store()
    assert store.load_policy() == policy
    assert store.load_overrides() == OVERRIDES
    store.save_overrides(Overrides())
    assert store.load_overrides() == Overrides()


def test_a_command_commits_its_rows_and_its_audit_together(open_store: Opener) -> None:
    store = open_store()
    store.save_overrides(OVERRIDES)
    after = Overrides(
        conv_holds=MappingProxyType({"c2": 1700000900.5, "c9": None}),
        agent_holds=OVERRIDES.agent_holds,
        extensions=MappingProxyType({"c3": 90.0}),
        dry_run=False,
    )
    hold = AuditEvent(at=5.0, type=AuditType.OVERRIDE_HOLD, conv="c9", by="Dana")
    store.commit_command([hold], diff(OVERRIDES, after))
    assert store.load_overrides() == after
    assert store.history() == [hold]
    # A refused batch takes its override rows with it.
    store.append([decided("k1")])
    with pytest.raises(StoreError, match="decided once per key"):
        store.commit_command([decided("k1")], diff(after, Overrides()))
    assert store.load_overrides() == after


def test_the_exports_hold_every_event(open_store: Opener) -> None:
    store = open_store()
    store.append(EVENTS)
    jsonl, csv = io.StringIO(), io.StringIO()
    assert store.export_jsonl(jsonl) == len(EVENTS)
    assert store.export_csv(csv) == len(EVENTS)
    lines = jsonl.getvalue().splitlines()
    assert [json.loads(line)["type"] for line in lines] == [e.type.value for e in EVENTS]
    assert len(csv.getvalue().splitlines()) == len(EVENTS) + 1
