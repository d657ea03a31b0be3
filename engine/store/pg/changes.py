"""What changed on a floor after a version: the catch-up read after any wake-up or reconnect."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg.rows import TupleRow

from engine.core.overrides import Overrides
from engine.core.policy import Policy
from engine.store.pg import audit, overrides
from engine.store.pg.audit import TeamRow


@dataclass(frozen=True, slots=True)
class FloorChanges:
    version: int
    """The floor's version this read saw: ask again from it."""
    events: list[TeamRow]
    """The audit rows written after the asked version, in the order written."""
    overrides: Overrides | None
    """The floor's overrides, when they changed after the asked version (else None)."""
    policy: Policy | None
    """The floor's policy, when it changed after the asked version (else None)."""


def since(conn: psycopg.Connection[TupleRow], floor: str, version: int) -> FloorChanges:
    """One consistent read (a repeatable-read snapshot) of what came after `version`."""
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        row = conn.execute(
            "SELECT version, overrides_version, policy_version FROM floor_state WHERE floor = %s",
            (floor,),
        ).fetchone()
        if row is None:
            return FloorChanges(version, [], None, None)
        now, overrides_version, policy_version = (int(v) for v in row)
        return FloorChanges(
            version=now,
            events=audit.since_version(conn, floor, version),
            overrides=overrides.read(conn, floor) if overrides_version > version else None,
            policy=overrides.read_policy(conn, floor) if policy_version > version else None,
        )
