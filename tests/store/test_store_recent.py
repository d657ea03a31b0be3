"""`recent`: the events of some types in the seconds before the floor's newest event, from
SQLite and PostgreSQL alike (what an engine recalls when it starts or takes over)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.core.audit import AuditEvent, AuditType

if TYPE_CHECKING:
    from conftest import Opener

DECIDED, CONFIRMED = AuditType.UNASSIGN_DECIDED, AuditType.UNASSIGN_CONFIRMED


def event(type_: AuditType, at: float, conv: str) -> AuditEvent:
    return AuditEvent(at=at, type=type_, conv=conv, key=f"{conv}|{type_.value}")


def test_recent_holds_the_types_asked_for_within_the_seconds_before_the_newest(
    open_store: Opener,
) -> None:
    store = open_store()
    assert store.recent((DECIDED,), 3600.0) == []  # an empty floor
    old, kept = event(DECIDED, 1000.0, "c1"), event(DECIDED, 1500.0, "c2")
    confirmed = event(CONFIRMED, 1600.0, "c2")
    newest = AuditEvent(at=4700.0, type=AuditType.FEED_FRESH)
    store.append([old, kept, AuditEvent(at=1550.0, type=AuditType.OVERRIDE_HOLD, conv="c3")])
    store.append([confirmed, newest])
    assert store.recent((DECIDED, CONFIRMED), 3600.0) == [kept, confirmed]
    assert store.recent((CONFIRMED,), 3600.0) == [confirmed]
    assert store.recent((DECIDED, CONFIRMED), 3100.0) == [confirmed]
    store.close()
    assert open_store().recent((DECIDED, CONFIRMED), 3600.0) == [kept, confirmed]
