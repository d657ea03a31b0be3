"""The data file of one Floorwatch: audit log, policy and overrides in one SQLite file.

Every write checks, before it begins and after it commits, that the path still names the
file held open and that the writer's lock is still this store's (`engine.store.identity`,
the rule in `engine.store.lock`). The first failed check raises `DataFileLostError`, and so does
every write after it: a write that committed to a lost file counts as not written. A full
disk raises `DiskFullError` and rolls the batch back; the next write may succeed.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TextIO

from engine.core.audit import AuditEvent, AuditType
from engine.core.overrides import Overrides
from engine.core.policy import Policy
from engine.store import audit_log, settings
from engine.store.changes import OverridesChange
from engine.store.connection import open_read_only, open_writable, sqlite_errors
from engine.store.errors import DataFileLostError, StoreError, os_error
from engine.store.export import write_csv, write_jsonl
from engine.store.identity import DataFileWatch
from engine.store.lock import WriterLock


class Store:
    """The open data file. One writer per file (a second one is refused); any number of
    read-only openers beside it. Calls are serialised, so any thread may use it.
    """

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        lock: WriterLock | None,
        watch: DataFileWatch | None = None,
    ) -> None:
        self._path = path
        self._conn = conn
        self._lock = lock
        self._watch = watch
        self._lost: str | None = None
        self._mutex = threading.Lock()
        with self._reading() as reading:
            self._verified_id = audit_log.last_id(reading)

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> Store:
        """Open `path`, creating it and its directories if needed, and migrate it.

        `read_only` opens an existing file without taking the writer's lock (for
        `audit export` while a dashboard runs); every write then raises `StoreError`.
        """
        if read_only:
            return cls(path, open_read_only(path), None)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise os_error(path.parent, e, "create the directory") from e
        lock = WriterLock.acquire(path)
        try:
            conn = open_writable(path)
        except BaseException:
            lock.release()
            raise
        try:
            watch = DataFileWatch.open(path, lock)
        except BaseException:
            conn.close()
            lock.release()
            raise
        return cls(path, conn, lock, watch)

    @property
    def path(self) -> Path:
        return self._path

    @property
    def location(self) -> str:
        return str(self._path)

    @property
    def lost(self) -> str | None:
        """Why the data file is lost (see `DataFileLostError`), or None while it is not."""
        return self._lost

    def verify(self) -> None:
        """Raise `DataFileLostError` unless the path still names the file held open and the lock
        is still this store's (before an action that follows no write)."""
        with self._mutex:
            self._check()

    def close(self) -> None:
        """Close the file and release the writer's lock; closing twice is harmless."""
        with self._mutex:
            self._conn.close()
            if self._watch is not None:
                self._watch.close()  # after the connection: see engine.store.identity
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # The audit log

    def append(self, events: Sequence[AuditEvent]) -> None:
        """Write `events` in one transaction: all of them are committed, or none.

        An `unassign.decided` event whose key is already recorded (see `was_decided`) is
        refused with `StoreError`, and then nothing of the batch is written.
        """
        if events:
            self.commit_command(events, OverridesChange())

    def commit_command(self, events: Sequence[AuditEvent], change: OverridesChange) -> None:
        """Write `events` and the override rows of `change` in one transaction."""
        with self._writing() as conn:
            try:
                conn.executemany(audit_log.INSERT, map(audit_log.encode, events))
            except sqlite3.IntegrityError as e:
                raise StoreError(
                    f"{self._path}: audit batch refused, nothing written: "
                    f"an unassign is decided once per key ({e})"
                ) from e
            settings.apply_change(conn, change)
            last = audit_log.last_id(conn)
        self._verified_id = last  # the commit was checked: the path still names this file

    def history(self) -> list[AuditEvent]:
        """Every event committed while the path still named this file, in order; readable
        after the file was lost (through the descriptors still open), to copy elsewhere."""
        with self._reading() as conn:
            rows = audit_log.select(conn, None, 0)
            return [audit_log.decode(row)[1] for row in rows if row[0] <= self._verified_id]

    def audit(self, limit: int | None = None, since_id: int = 0) -> list[tuple[int, AuditEvent]]:
        """`(id, event)` pairs after `since_id` in the order they were appended."""
        with self._reading() as conn:
            return [audit_log.decode(row) for row in audit_log.select(conn, limit, since_id)]

    def recent(self, types: Sequence[AuditType], seconds: float) -> list[AuditEvent]:
        """Events of `types` in the `seconds` before the newest event, in the order appended."""
        with self._reading() as conn:
            rows = audit_log.select_recent(conn, types, seconds)
            return [audit_log.decode(row)[1] for row in rows]

    def audit_of(self, conv: str, limit: int) -> list[AuditEvent]:
        """The newest `limit` events of one conversation, in the order they were appended."""
        with self._reading() as conn:
            rows = audit_log.select_conversation(conn, conv, limit)
            return [audit_log.decode(row)[1] for row in rows]

    def audit_count(self) -> int:
        with self._reading() as conn:
            return audit_log.count(conn)

    def was_decided(self, key: str) -> bool:
        """Whether an `unassign.decided` event with this idempotency key was ever appended."""
        with self._reading() as conn:
            return audit_log.is_decided(conn, key)

    def decided_keys(self) -> frozenset[str]:
        """Every key `was_decided` answers True for (to seed the engine after a restart)."""
        with self._reading() as conn:
            return audit_log.decided_keys(conn)

    # The policy and the overrides

    def save_policy(self, policy: Policy) -> None:
        with self._writing() as conn:
            settings.write_policy(conn, policy)

    def load_policy(self) -> Policy | None:
        """The policy saved last, or None if none was ever saved."""
        with self._reading() as conn:
            return settings.read_policy(conn)

    def save_overrides(self, overrides: Overrides) -> None:
        """Replace every saved hold, extension and the dry-run switch, in one transaction."""
        with self._writing() as conn:
            settings.write_overrides(conn, overrides)

    def load_overrides(self) -> Overrides:
        """The overrides saved last (none, and dry run off, if never saved)."""
        with self._reading() as conn:
            return settings.read_overrides(conn)

    # Export

    def export_csv(self, fp: TextIO) -> int:
        """Write the whole audit log to `fp` as CSV; returns the number of events."""
        with self._reading() as conn:
            return write_csv(self._events(conn), fp)

    def export_jsonl(self, fp: TextIO) -> int:
        """Write the whole audit log to `fp` as JSON lines; returns the number of events."""
        with self._reading() as conn:
            return write_jsonl(self._events(conn), fp)

    @staticmethod
    def _events(conn: sqlite3.Connection) -> Iterator[AuditEvent]:
        for row in audit_log.select(conn, None, 0):
            yield audit_log.decode(row)[1]

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._mutex, sqlite_errors(self._path):
            yield self._conn

    def _check(self) -> None:
        if self._lost is None and self._watch is not None:
            self._lost = self._watch.problem()
        if self._lost is not None:
            raise DataFileLostError(f"{self._lost}: nothing more is written there")

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with self._reading() as conn:
            self._check()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            self._check()
