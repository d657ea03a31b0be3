"""The shared store of team mode, in PostgreSQL (psycopg 3, a connection pool).

`PgStore.open(url, floor=..., engine=..., supervisor=...)` joins a floor: the audit, the
decided waits, the overrides and the policy every engine of the floor shares, each change
versioned (`changes_since`, announced on `NOTIFY floorwatch`: `FloorListener`), and the
floor's lease (`acquire`, `renew`, `release`) that lets exactly one engine record decisions.
"""

from engine.store.pg.changes import FloorChanges
from engine.store.pg.lease import LeaseGrant, LeaseHolder
from engine.store.pg.store import PgStore

__all__ = ["FloorChanges", "LeaseGrant", "LeaseHolder", "PgStore"]
