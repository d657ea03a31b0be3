"""Audit events as rows of the `audit` table."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence

from engine.core.audit import AuditEvent, AuditType
from engine.core.model import Reason
from engine.store.errors import StoreError

Row = tuple[int, float, str, str | None, str | None, str | None, str, str, str | None, float | None]

_COLUMNS = 'at, type, conv, agent, reason, "by", detail, "key", as_of'
_DECIDED = f"type = '{AuditType.UNASSIGN_DECIDED.value}'"
"""Spelled as the partial index spells it, so that SQLite can use the index."""

INSERT = f"INSERT INTO audit ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
IS_DECIDED = f'SELECT 1 FROM audit WHERE {_DECIDED} AND "key" = ?'


def encode(event: AuditEvent) -> tuple[object, ...]:
    reason = event.reason.value if event.reason is not None else None
    return (
        event.at,
        event.type.value,
        event.conv,
        event.agent,
        reason,
        event.by,
        event.detail,
        event.key,
        event.as_of,
    )


def decode(row: Row) -> tuple[int, AuditEvent]:
    row_id, at, type_, conv, agent, reason, by, detail, key, as_of = row
    try:
        event = AuditEvent(
            at=at,
            type=AuditType(type_),
            conv=conv,
            agent=agent,
            reason=Reason(reason) if reason is not None else None,
            by=by,
            detail=detail,
            key=key,
            as_of=as_of,
        )
    except ValueError as e:
        raise StoreError(f"audit row {row_id} cannot be read: {e}") from e
    return row_id, event


def select(conn: sqlite3.Connection, limit: int | None, since_id: int) -> Iterator[Row]:
    """Rows after `since_id` in insertion order, at most `limit` of them."""
    cursor: Iterable[Row] = conn.execute(
        f"SELECT id, {_COLUMNS} FROM audit WHERE id > ? ORDER BY id LIMIT ?",
        (since_id, -1 if limit is None else limit),
    )
    yield from cursor


def select_recent(
    conn: sqlite3.Connection, types: Sequence[AuditType], seconds: float
) -> list[Row]:
    """Rows of `types` in the `seconds` before the newest row, in insertion order."""
    marks = ", ".join("?" * len(types))
    rows: list[Row] = conn.execute(
        f"SELECT id, {_COLUMNS} FROM audit WHERE type IN ({marks}) "
        "AND at >= (SELECT at FROM audit ORDER BY id DESC LIMIT 1) - ? ORDER BY id",
        (*(t.value for t in types), seconds),
    ).fetchall()
    return rows


def select_conversation(conn: sqlite3.Connection, conv: str, limit: int) -> list[Row]:
    """The newest `limit` rows of one conversation, in insertion order."""
    rows: list[Row] = conn.execute(
        f"SELECT id, {_COLUMNS} FROM audit WHERE conv = ? ORDER BY id DESC LIMIT ?",
        (conv, limit),
    ).fetchall()
    rows.reverse()
    return rows


def count(conn: sqlite3.Connection) -> int:
    total: int = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    return total


def is_decided(conn: sqlite3.Connection, key: str) -> bool:
    return conn.execute(IS_DECIDED, (key,)).fetchone() is not None


def decided_keys(conn: sqlite3.Connection) -> frozenset[str]:
    query = f'SELECT "key" FROM audit WHERE {_DECIDED} AND "key" IS NOT NULL'
    return frozenset(key for (key,) in conn.execute(query))


def last_id(conn: sqlite3.Connection) -> int:
    """The id of the newest row (0 for none)."""
    last: int | None = conn.execute("SELECT max(id) FROM audit").fetchone()[0]
    return last or 0
