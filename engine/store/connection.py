"""Opening the SQLite connection: checks first, then settings, then migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from engine.store.errors import StoreError, disk_full
from engine.store.fileformat import check_file, not_a_data_file
from engine.store.schema import SCHEMA_VERSION, check_known, file_version, migrate

BUSY_TIMEOUT_SECONDS = 0.25
"""Only a read-only reader can contend with the single writer; never wait on it for long."""


@contextmanager
def sqlite_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's exceptions into a `StoreError` that names the file (`DiskFullError` when
    the disk, or the file's page limit, is full)."""
    try:
        yield
    except sqlite3.Error as e:
        # Errors Python raises itself (e.g. use after close) carry no SQLite error code.
        primary = getattr(e, "sqlite_errorcode", 0) & 0xFF
        if primary in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
            raise not_a_data_file(path, str(e)) from e
        if primary == sqlite3.SQLITE_FULL or "database or disk is full" in str(e):
            raise disk_full(path, str(e)) from e
        raise StoreError(f"{path}: {e}") from e


def open_writable(path: Path) -> sqlite3.Connection:
    """Open (or create) the data file for the single writer, migrated to `SCHEMA_VERSION`.

    Nothing is written to the file until it has proved to be a Floorwatch file of a known
    version: the journal mode switch and the migrations come after those checks.
    """
    check_file(path, writable=True)
    with sqlite_errors(path):
        conn = _connect(str(path))
        try:
            check_known(file_version(conn, path), path)
            journal = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if journal != "wal":
                raise StoreError(f"{path}: SQLite cannot keep a write-ahead log there ({journal})")
            conn.execute("PRAGMA synchronous = FULL")  # a committed audit event survives a crash
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn, path)
        except BaseException:
            conn.close()
            raise
    return conn


def open_read_only(path: Path) -> sqlite3.Connection:
    """Open an existing data file for reading, beside a running writer and without its lock."""
    if not path.exists():
        raise StoreError(f"{path}: no such Floorwatch data file")
    check_file(path, writable=False)
    with sqlite_errors(path):
        conn = _connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            version = file_version(conn, path)
            check_known(version, path)
            if version < SCHEMA_VERSION:
                raise StoreError(
                    f"{path} is in an older data format ({version}); "
                    "open it once with Floorwatch to upgrade it"
                )
        except BaseException:
            conn.close()
            raise
    return conn


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT).
    # check_same_thread=False: the Store serialises calls itself, from any thread.
    return sqlite3.connect(
        target,
        timeout=BUSY_TIMEOUT_SECONDS,
        isolation_level=None,
        check_same_thread=False,
        uri=uri,
    )
