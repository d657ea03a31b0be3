"""Audit events as rows of the shared `audit` table: each names its floor, its version, the
engine that wrote it and the supervisor at that engine's dashboard."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.rows import TupleRow

from engine.core.audit import AuditEvent, AuditType
from engine.store import audit_log

_COLUMNS = 'at, type, conv, agent, reason, "by", detail, "key", as_of'
_INSERT = (
    f"INSERT INTO audit (floor, version, engine, supervisor, {_COLUMNS}) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


@dataclass(frozen=True, slots=True)
class TeamRow:
    """One committed audit event and who wrote it."""

    id: int
    version: int
    event: AuditEvent
    engine: str
    supervisor: str


def insert(
    conn: psycopg.Connection[TupleRow],
    events: Sequence[AuditEvent],
    *,
    floor: str,
    version: int,
    engine: str,
    supervisor: str,
) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            _INSERT,
            [(floor, version, engine, supervisor, *audit_log.encode(e)) for e in events],
        )


def select(
    conn: psycopg.Connection[TupleRow], floor: str, limit: int | None, since_id: int
) -> Iterator[tuple[int, AuditEvent]]:
    """`(id, event)` after `since_id`, in the order written, at most `limit` of them."""
    rows = conn.execute(
        f"SELECT id, {_COLUMNS} FROM audit WHERE floor = %s AND id > %s ORDER BY id LIMIT %s",
        (floor, since_id, limit),
    )
    for row in rows:
        yield audit_log.decode(_row(row))


def select_recent(
    conn: psycopg.Connection[TupleRow], floor: str, types: Sequence[AuditType], seconds: float
) -> list[AuditEvent]:
    """Events of `types` in the `seconds` before the floor's newest event, in the order
    written."""
    rows = conn.execute(
        f"SELECT id, {_COLUMNS} FROM audit WHERE floor = %s AND type = ANY(%s) AND at >= "
        "(SELECT at FROM audit WHERE floor = %s ORDER BY id DESC LIMIT 1) - %s ORDER BY id",
        (floor, [t.value for t in types], floor, seconds),
    ).fetchall()
    return [audit_log.decode(_row(row))[1] for row in rows]


def select_conversation(
    conn: psycopg.Connection[TupleRow], floor: str, conv: str, limit: int
) -> list[AuditEvent]:
    """The newest `limit` events of one conversation, in the order written."""
    rows = conn.execute(
        f"SELECT id, {_COLUMNS} FROM audit WHERE floor = %s AND conv = %s "
        "ORDER BY id DESC LIMIT %s",
        (floor, conv, limit),
    ).fetchall()
    return [audit_log.decode(_row(row))[1] for row in reversed(rows)]


def since_version(conn: psycopg.Connection[TupleRow], floor: str, version: int) -> list[TeamRow]:
    rows = conn.execute(
        f"SELECT id, {_COLUMNS}, version, engine, supervisor FROM audit "
        "WHERE floor = %s AND version > %s ORDER BY id",
        (floor, version),
    )
    found = []
    for row in rows:
        row_id, event = audit_log.decode(_row(row[:10]))
        found.append(TeamRow(row_id, int(row[10]), event, str(row[11]), str(row[12])))
    return found


def count(conn: psycopg.Connection[TupleRow], floor: str) -> int:
    row = conn.execute("SELECT count(*) FROM audit WHERE floor = %s", (floor,)).fetchone()
    return int(row[0]) if row is not None else 0


def is_decided(conn: psycopg.Connection[TupleRow], floor: str, key: str) -> bool:
    query = "SELECT 1 FROM audit WHERE floor = %s AND type = 'unassign.decided' AND \"key\" = %s"
    return conn.execute(query, (floor, key)).fetchone() is not None


def decided_keys(conn: psycopg.Connection[TupleRow], floor: str) -> frozenset[str]:
    query = (
        "SELECT \"key\" FROM audit WHERE floor = %s AND type = 'unassign.decided' "
        'AND "key" IS NOT NULL'
    )
    return frozenset(str(key) for (key,) in conn.execute(query, (floor,)))


def _row(row: tuple[Any, ...]) -> audit_log.Row:
    row_id, at, type_, conv, agent, reason, by, detail, key, as_of = row
    return (row_id, at, type_, conv, agent, reason, by, detail, key, as_of)
