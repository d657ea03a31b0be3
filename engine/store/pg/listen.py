"""News of a floor's changes, as they commit: `LISTEN floorwatch` on a connection of its own.

A notification only says "look": what changed is read by version (`PgStore.changes_since`).
So a notification missed while the connection was down loses nothing: after any
(re)connection `wait` answers True, and the read from the last version seen catches up.
Blocking by design, like the store: run it in a thread of its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import psycopg
from psycopg.rows import TupleRow

from engine.store.pg.schema import CHANNEL
from engine.store.pg.store import CONNECT_TIMEOUT_SECONDS

RETRY_SECONDS = 0.5
"""How long to wait before connecting again after a failed attempt."""


class FloorListener:
    def __init__(
        self, url: str, floor: str, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._url = url
        self._floor = floor
        self._clock = clock
        self._conn: psycopg.Connection[TupleRow] | None = None
        self.connections = 0
        """How many times a connection was opened (1 + the reconnections)."""
        self.last_error: str | None = None

    @property
    def backend_pid(self) -> int | None:
        """The server process serving the listening connection, while there is one."""
        return self._conn.info.backend_pid if self._conn is not None else None

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for news of the floor. True when the floor may have
        changed since the last call: a notification for it, or a new connection (a read by
        version is then due); False when the time passed quietly (or no connection could
        be opened: `last_error` says why)."""
        deadline = self._clock() + timeout
        while True:
            left = deadline - self._clock()
            if self._conn is None:
                if self._connect():
                    return True
                if left <= RETRY_SECONDS:
                    return False
                time.sleep(RETRY_SECONDS)
                continue
            if left <= 0:
                return False
            try:
                for note in self._conn.notifies(timeout=left, stop_after=1):
                    if note.payload.split(" ", 1)[0] == self._floor:
                        return True
            except psycopg.OperationalError as e:
                self.last_error = str(e)
                self._drop()

    def close(self) -> None:
        self._drop()

    def _connect(self) -> bool:
        try:
            conn = psycopg.connect(
                self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
            )
        except psycopg.OperationalError as e:
            self.last_error = str(e)
            return False
        try:
            conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.OperationalError as e:
            self.last_error = str(e)
            conn.close()
            return False
        self._conn = conn
        self.connections += 1
        self.last_error = None
        return True

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
