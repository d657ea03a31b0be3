"""The shared store of a floor in PostgreSQL: what every engine of the floor reads and writes.

Synchronous on purpose: the service's pump commits a batch and only then sends its unassigns
(`engine.store.saver`), and the replay drives it on a virtual clock without an event loop;
every statement is short and bounded by timeouts, so a database that does not answer costs
at most a few seconds and then a `DatabaseUnavailableError` (the service stops acting, as
for a lost data file). Connections come from a pool and are checked before use, so a
restarted server costs one failed write, not a broken store.

A batch that records a decision (`unassign.decided`) is committed only while this client
holds the floor's lease with its epoch (`acquire`, `renew`): the check and the rows are one
transaction, so a decision is never recorded by an engine that lost the lease.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import TextIO

import psycopg
from psycopg import conninfo
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool, PoolTimeout

from engine.core.audit import AuditEvent, AuditType
from engine.core.lease_rule import FloorDashboard
from engine.core.overrides import Overrides
from engine.core.policy import Policy
from engine.store.changes import OverridesChange
from engine.store.errors import DatabaseUnavailableError, LeaseLostError, StoreError
from engine.store.export import Written, write_team_csv, write_team_jsonl
from engine.store.pg import audit, changes, dashboards, lease, overrides, schema
from engine.store.pg.changes import FloorChanges
from engine.store.pg.lease import LeaseGrant, LeaseHolder

Conn = psycopg.Connection[TupleRow]
logging.getLogger("psycopg.pool").setLevel(logging.ERROR)
"""The pool's retries are not news: a store that cannot connect raises, and says so once."""

CONNECT_TIMEOUT_SECONDS = 3
RECONNECT_SECONDS = 5.0
"""How long the pool retries a lost connection with its backoff (1, 2, 4 s...) before it gives
up; the next request then tries at once. Without a bound its delays keep doubling for five
minutes, so a short outage could leave the store unreachable long after the server is back."""
STATEMENT_TIMEOUT_MS = 3000
"""No statement (nor a wait for a lock) may hold the pump for longer."""


def redacted(url: str) -> str:
    """`url` without its password (for messages and the header)."""
    info = conninfo.conninfo_to_dict(url)
    user = f"{info['user']}@" if info.get("user") else ""
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{user}{info.get('host', '')}{port}/{info.get('dbname', '')}"


class PgStore:
    """One engine's client of the shared store: `floor` names the floor, `engine` this
    engine (it holds the lease under that name), `supervisor` who sits at its dashboard."""

    def __init__(
        self,
        pool: ConnectionPool[Conn],
        location: str,
        *,
        floor: str,
        engine: str,
        supervisor: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._pool = pool
        self._location = location
        self.floor = floor
        self.engine = engine
        self.supervisor = supervisor
        self._clock = clock
        self._grant: LeaseGrant | None = None

    @classmethod
    def open(
        cls,
        url: str,
        *,
        floor: str = "default",
        engine: str,
        supervisor: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> PgStore:
        """Connect to `url` (a `postgresql://` URL), create or migrate the tables, and join
        `floor`. Raises `StoreError` if the database cannot be reached or is not ours."""
        try:
            location = redacted(url)
        except psycopg.ProgrammingError as e:
            raise StoreError(f"the store setting is not a PostgreSQL URL: {e}") from e
        pool: ConnectionPool[Conn] = ConnectionPool(
            url,
            min_size=1,
            max_size=4,
            timeout=CONNECT_TIMEOUT_SECONDS,
            check=ConnectionPool.check_connection,
            reconnect_timeout=RECONNECT_SECONDS,
            kwargs={
                "autocommit": True,
                "connect_timeout": CONNECT_TIMEOUT_SECONDS,
                "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS} "
                f"-c lock_timeout={STATEMENT_TIMEOUT_MS}",
            },
            open=False,
        )
        store = cls(pool, location, floor=floor, engine=engine, supervisor=supervisor, clock=clock)
        try:
            pool.open(wait=True, timeout=CONNECT_TIMEOUT_SECONDS)
            with store._connection() as conn:
                schema.migrate(conn, location)
                schema.ensure_floor(conn, floor)
        except PoolTimeout as e:
            pool.close()
            raise DatabaseUnavailableError(
                f"{location}: no connection within {CONNECT_TIMEOUT_SECONDS} s "
                "(is the server running, and the URL right?)"
            ) from e
        except BaseException:
            pool.close()
            raise
        return store

    @property
    def location(self) -> str:
        return self._location

    def verify(self) -> None:
        """Raise `DatabaseUnavailableError` unless the database answers."""
        with self._connection() as conn:
            conn.execute("SELECT 1")

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> PgStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # The audit log and the commands

    def append(self, events: Sequence[AuditEvent]) -> None:
        """Commit `events` (fenced by the lease when one is a decision), all or none."""
        if events:
            self.commit_command(events, OverridesChange())

    def commit_command(self, events: Sequence[AuditEvent], change: OverridesChange) -> None:
        """The override rows of `change` and `events` in one transaction, under one version."""
        fenced = any(e.type is AuditType.UNASSIGN_DECIDED for e in events)
        with self._writing() as (conn, version):
            if fenced:
                self._fence(conn)
            try:
                audit.insert(
                    conn,
                    events,
                    floor=self.floor,
                    version=version,
                    engine=self.engine,
                    supervisor=self.supervisor,
                )
            except psycopg.errors.UniqueViolation as e:
                raise StoreError(
                    f"{self._location}: audit batch refused, nothing written: "
                    f"an unassign is decided once per key ({e.diag.message_detail})"
                ) from e
            overrides.write_change(conn, self.floor, version, change)

    def history(self) -> list[AuditEvent]:
        return [event for _, event in self.audit()]

    def audit(self, limit: int | None = None, since_id: int = 0) -> list[tuple[int, AuditEvent]]:
        with self._connection() as conn:
            return list(audit.select(conn, self.floor, limit, since_id))

    def recent(self, types: Sequence[AuditType], seconds: float) -> list[AuditEvent]:
        with self._connection() as conn:
            return audit.select_recent(conn, self.floor, types, seconds)

    def audit_of(self, conv: str, limit: int) -> list[AuditEvent]:
        with self._connection() as conn:
            return audit.select_conversation(conn, self.floor, conv, limit)

    def audit_count(self) -> int:
        with self._connection() as conn:
            return audit.count(conn, self.floor)

    def was_decided(self, key: str) -> bool:
        with self._connection() as conn:
            return audit.is_decided(conn, self.floor, key)

    def decided_keys(self) -> frozenset[str]:
        with self._connection() as conn:
            return audit.decided_keys(conn, self.floor)

    def version(self) -> int:
        """The floor's version now: what `changes_since` will count from."""
        with self._connection() as conn:
            return schema.version(conn, self.floor)

    def changes_since(self, version: int) -> FloorChanges:
        """What the floor's engines wrote after `version` (0: everything)."""
        with self._connection() as conn:
            return changes.since(conn, self.floor, version)

    # The policy and the overrides

    def save_policy(self, policy: Policy) -> None:
        with self._writing() as (conn, version):
            overrides.write_policy(conn, self.floor, version, policy)

    def load_policy(self) -> Policy | None:
        with self._connection() as conn:
            return overrides.read_policy(conn, self.floor)

    def save_overrides(self, saved: Overrides) -> None:
        """Make the floor's overrides `saved` (only the rows that differ are written)."""
        with self._writing() as (conn, version):
            overrides.replace(conn, self.floor, version, saved)

    def load_overrides(self) -> Overrides:
        with self._connection() as conn:
            return overrides.read(conn, self.floor)

    # The lease

    @property
    def grant(self) -> LeaseGrant | None:
        """The lease this client holds, as last granted (None when it holds none)."""
        return self._grant

    def acquire(self, ttl: float) -> LeaseGrant | None:
        """Take the floor's lease (or renew it, if this engine holds it) for `ttl` seconds;
        None while another engine holds it."""
        asked_at = self._clock()
        with self._connection() as conn:
            self._grant = lease.acquire(conn, self.floor, self.engine, ttl, asked_at)
        return self._grant

    def renew(self, ttl: float) -> LeaseGrant | None:
        """Extend the lease held to `ttl` seconds from now; None (and no lease) if it was lost."""
        grant = self._grant
        if grant is None:
            return None
        asked_at = self._clock()
        with self._connection() as conn:
            self._grant = lease.renew(conn, grant, ttl, asked_at)
        return self._grant

    def release(self) -> None:
        """Give the lease up at once, so another engine may take it without waiting."""
        grant, self._grant = self._grant, None
        if grant is not None:
            with self._connection() as conn:
                lease.release(conn, grant)

    def holder(self) -> LeaseHolder | None:
        """Who holds the floor's lease now (None: nobody)."""
        with self._connection() as conn:
            return lease.holder_of(conn, self.floor)

    # The dashboards on the floor

    def seen(self) -> None:
        """Mark this engine's dashboard as on the floor now."""
        with self._connection() as conn:
            dashboards.seen(conn, self.floor, self.engine, self.supervisor)

    def leave(self) -> None:
        """This engine's dashboard leaves the floor (a clean stop)."""
        with self._connection() as conn:
            dashboards.leave(conn, self.floor, self.engine)

    def dashboards(self, within: float) -> tuple[FloorDashboard, ...]:
        """The floor's dashboards seen within `within` seconds."""
        with self._connection() as conn:
            return dashboards.present(conn, self.floor, within, self.engine)

    def _fence(self, conn: Conn) -> None:
        """The decision's check: the grant is kept as it was (its renewal falls due a third
        into the time to live, however many decisions are fenced meanwhile), or dropped."""
        grant = self._grant
        checked = lease.fence(conn, grant, self._clock()) if grant is not None else None
        if checked is None:
            self._grant = None
            raise LeaseLostError(
                f"{self._location}: a decision was not recorded: this engine "
                f"({self.engine}) does not hold the lease of floor {self.floor!r}"
            )

    # Connections

    @contextmanager
    def _connection(self) -> Iterator[Conn]:
        try:
            with self._pool.connection() as conn:
                yield conn
        except (psycopg.OperationalError, PoolTimeout) as e:  # also a statement timed out
            raise DatabaseUnavailableError(f"{self._location}: {e}") from e

    @contextmanager
    def _writing(self) -> Iterator[tuple[Conn, int]]:
        with self._connection() as conn, conn.transaction():
            yield conn, schema.next_version(conn, self.floor)

    def export_csv(self, fp: TextIO) -> int:
        """The floor's log with the engine and supervisor that wrote each event."""
        return write_team_csv(self._written(), fp)

    def export_jsonl(self, fp: TextIO) -> int:
        return write_team_jsonl(self._written(), fp)

    def _written(self) -> list[Written]:
        with self._connection() as conn:
            rows = audit.since_version(conn, self.floor, 0)
        return [(row.event, row.engine, row.supervisor) for row in rows]
