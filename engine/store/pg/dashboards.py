"""The dashboards on a floor: each engine's lease keeper marks its row each time it reaches
the database (`seen`), and removes it on a clean stop (`leave`); those seen within a time to
live are on the floor (`present`), the lease's holder among them acting."""

from __future__ import annotations

import psycopg
from psycopg.rows import TupleRow

from engine.core.lease_rule import FloorDashboard

_SEEN = """
INSERT INTO dashboard (floor, engine, supervisor, seen_at)
VALUES (%s, %s, %s, clock_timestamp())
ON CONFLICT (floor, engine) DO UPDATE SET seen_at = excluded.seen_at
"""

_PRESENT = """
SELECT d.engine, d.supervisor, extract(epoch FROM clock_timestamp() - d.seen_at)::float8,
       l.holder IS NOT NULL
FROM dashboard d
LEFT JOIN lease l ON l.floor = d.floor AND l.holder = d.engine
    AND l.expires_at > clock_timestamp()
WHERE d.floor = %s AND d.seen_at > clock_timestamp() - %s * interval '1 second'
ORDER BY d.supervisor, d.engine
"""


def seen(conn: psycopg.Connection[TupleRow], floor: str, engine: str, supervisor: str) -> None:
    conn.execute(_SEEN, (floor, engine, supervisor))


def leave(conn: psycopg.Connection[TupleRow], floor: str, engine: str) -> None:
    conn.execute("DELETE FROM dashboard WHERE floor = %s AND engine = %s", (floor, engine))


def present(
    conn: psycopg.Connection[TupleRow], floor: str, within: float, own: str
) -> tuple[FloorDashboard, ...]:
    """The dashboards seen within `within` seconds, by supervisor (`own`: the engine that
    asks)."""
    rows = conn.execute(_PRESENT, (floor, within)).fetchall()
    return tuple(
        FloorDashboard(str(e), str(s), float(ago), bool(a), e == own) for e, s, ago, a in rows
    )
