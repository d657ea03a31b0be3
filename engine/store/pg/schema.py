"""The shared store's tables in PostgreSQL, versioned in `floorwatch_schema`.

Every row names its floor, so several floors (or the shards of one) share a database. A
floor's `floor_state.version` counts its changes: every write takes the next number under
the row's lock, stamps what it writes with it and announces it (`NOTIFY floorwatch`), so a
reader that saw version v reads, by version, exactly what came after. `MIGRATIONS[n]` takes
the database from version n to n + 1, under an advisory lock (engines start together).
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from psycopg.rows import TupleRow

from engine.store.errors import StoreError

CHANNEL = "floorwatch"
"""The `NOTIFY` channel; the payload is `<floor> <version>`."""

MIGRATION_LOCK = 0x466C5774
"""The advisory lock key the migrations run under ("FlWt")."""

MIGRATIONS: Sequence[Sequence[str]] = (
    (
        """CREATE TABLE floor_state (
            floor text PRIMARY KEY,
            version bigint NOT NULL DEFAULT 0,
            overrides_version bigint NOT NULL DEFAULT 0,
            policy_version bigint NOT NULL DEFAULT 0,
            policy jsonb,
            dry_run boolean NOT NULL DEFAULT false
        )""",
        """CREATE TABLE audit (
            id bigserial PRIMARY KEY,
            floor text NOT NULL REFERENCES floor_state (floor),
            version bigint NOT NULL,
            at double precision NOT NULL,
            type text NOT NULL,
            conv text,
            agent text,
            reason text,
            "by" text NOT NULL,
            detail text NOT NULL DEFAULT '',
            "key" text,
            as_of double precision,
            engine text NOT NULL,
            supervisor text NOT NULL,
            written_at timestamptz NOT NULL DEFAULT clock_timestamp()
        )""",
        """CREATE UNIQUE INDEX audit_decided_key ON audit (floor, "key")
            WHERE type = 'unassign.decided' AND "key" IS NOT NULL""",
        "CREATE INDEX audit_floor_id ON audit (floor, id)",
        "CREATE INDEX audit_floor_version ON audit (floor, version)",
        "CREATE INDEX audit_floor_conv ON audit (floor, conv, id)",
        """CREATE TABLE conv_hold (
            floor text NOT NULL REFERENCES floor_state (floor), conv text NOT NULL,
            until double precision, version bigint NOT NULL, PRIMARY KEY (floor, conv)
        )""",
        """CREATE TABLE agent_hold (
            floor text NOT NULL REFERENCES floor_state (floor), agent text NOT NULL,
            until double precision, version bigint NOT NULL, PRIMARY KEY (floor, agent)
        )""",
        """CREATE TABLE extension (
            floor text NOT NULL REFERENCES floor_state (floor), conv text NOT NULL,
            seconds double precision NOT NULL, version bigint NOT NULL, PRIMARY KEY (floor, conv)
        )""",
        """CREATE TABLE lease (
            floor text PRIMARY KEY REFERENCES floor_state (floor),
            holder text NOT NULL,
            epoch bigint NOT NULL,
            expires_at timestamptz NOT NULL
        )""",
    ),
    (
        """CREATE TABLE dashboard (
            floor text NOT NULL REFERENCES floor_state (floor),
            engine text NOT NULL,
            supervisor text NOT NULL,
            seen_at timestamptz NOT NULL,
            PRIMARY KEY (floor, engine)
        )""",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: psycopg.Connection[TupleRow], location: str) -> None:
    """Bring the database up to `SCHEMA_VERSION`, in one transaction (an autocommit `conn`)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS floorwatch_schema (version integer NOT NULL)")
        row = conn.execute("SELECT max(version) FROM floorwatch_schema").fetchone()
        version = int(row[0]) if row is not None and row[0] is not None else 0
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{location} was written by a newer Floorwatch (schema {version}; this "
                f"version reads up to {SCHEMA_VERSION}); upgrade Floorwatch"
            )
        for target, statements in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in statements:
                conn.execute(statement)
            conn.execute("INSERT INTO floorwatch_schema (version) VALUES (%s)", (target,))


def ensure_floor(conn: psycopg.Connection[TupleRow], floor: str) -> None:
    conn.execute(
        "INSERT INTO floor_state (floor) VALUES (%s) ON CONFLICT (floor) DO NOTHING", (floor,)
    )


def version(conn: psycopg.Connection[TupleRow], floor: str) -> int:
    row = conn.execute("SELECT version FROM floor_state WHERE floor = %s", (floor,)).fetchone()
    return int(row[0]) if row is not None else 0


def next_version(conn: psycopg.Connection[TupleRow], floor: str) -> int:
    """Take the floor's next version (inside a transaction: the row stays locked until it
    ends, so a floor's writers commit one at a time, in version order) and announce it."""
    row = conn.execute(
        "UPDATE floor_state SET version = version + 1 WHERE floor = %s RETURNING version",
        (floor,),
    ).fetchone()
    if row is None:
        raise StoreError(f"floor {floor!r} is not in the database")
    version = int(row[0])
    conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"{floor} {version}"))
    return version
