"""The data file's schema, versioned with `PRAGMA user_version`.

`MIGRATIONS[n]` takes a file from version n to n + 1 and runs in one transaction together with
the version bump, so a file is always at exactly one known version. Released migrations are
history: never edit one, append a new one.

The key of an `unassign.decided` row is unique (a partial index): the same wait is never
recorded as decided twice, across restarts. One conversation's rows are found by an index on
(conv, id): the detail view reads them without scanning the log.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from engine.store.errors import StoreError

APPLICATION_ID = 0x466C5774
"""`PRAGMA application_id` of a Floorwatch data file ("FlWt")."""

Migration = Sequence[str]

MIGRATIONS: Sequence[Migration] = (
    (
        f"PRAGMA application_id = {APPLICATION_ID}",
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at REAL NOT NULL,
            type TEXT NOT NULL,
            conv TEXT,
            agent TEXT,
            reason TEXT,
            "by" TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            "key" TEXT
        )""",
        """CREATE UNIQUE INDEX audit_decided_key ON audit ("key")
            WHERE type = 'unassign.decided' AND "key" IS NOT NULL""",
        "CREATE TABLE policy (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL)",
        "CREATE TABLE conv_hold (conv TEXT PRIMARY KEY, until REAL)",
        "CREATE TABLE agent_hold (agent TEXT PRIMARY KEY, until REAL)",
        "CREATE TABLE extension (conv TEXT PRIMARY KEY, seconds REAL NOT NULL)",
        """CREATE TABLE mode (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            dry_run INTEGER NOT NULL CHECK (dry_run IN (0, 1))
        )""",
    ),
    ("ALTER TABLE audit ADD COLUMN as_of REAL",),
    ("CREATE INDEX audit_conv ON audit (conv, id)",),
)

SCHEMA_VERSION = len(MIGRATIONS)


def file_version(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version of an open file; refuses another application's SQLite file."""
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    app_id: int = conn.execute("PRAGMA application_id").fetchone()[0]
    tables: int = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app_id != APPLICATION_ID and (app_id != 0 or tables or version):
        raise StoreError(
            f"{path} is not a Floorwatch data file (it is another application's SQLite database)"
        )
    return version


def check_known(version: int, path: Path, known: int = SCHEMA_VERSION) -> None:
    if version > known:
        raise StoreError(
            f"{path} was written by a newer Floorwatch (data format {version}; this version "
            f"reads up to {known}); upgrade Floorwatch or use another data file"
        )


def migrate(
    conn: sqlite3.Connection, path: Path, migrations: Sequence[Migration] = MIGRATIONS
) -> None:
    """Bring the file up to `len(migrations)`, one transaction per step."""
    version = file_version(conn, path)
    check_known(version, path, len(migrations))
    for target, statements in enumerate(migrations[version:], start=version + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
