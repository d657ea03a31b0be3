"""The floor's lease: which engine acts. Its expiry is the database's own clock's.

One row per floor: holder, epoch, expiry. `acquire` takes the lease when it is free or
expired (the epoch goes up with every new holder), `renew` extends it while it is still
held with the same epoch, `release` ends it at once. `fence` is the check a decision's
transaction makes: it locks the row, so a takeover waits for the decision to commit.
A grant says how long the lease had left when the database answered; counted from when the
request was sent (`asked_at`, the caller's monotonic clock), that is never later than the
true expiry (`engine.core.lease_rule`).
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg.rows import TupleRow

from engine.core.lease_rule import LeaseTerm


@dataclass(frozen=True, slots=True)
class LeaseGrant:
    floor: str
    holder: str
    epoch: int
    remaining: float
    """Seconds the lease had left by the database's clock when it answered."""
    asked_at: float
    """The holder's monotonic time when it sent the request that got this answer."""
    ttl: float

    @property
    def term(self) -> LeaseTerm:
        """The grant as the lease rule reads it (`engine.core.lease_rule`)."""
        return LeaseTerm(self.epoch, self.asked_at, self.remaining, self.ttl)


@dataclass(frozen=True, slots=True)
class LeaseHolder:
    """Who holds a floor's lease, as another engine sees it."""

    holder: str
    epoch: int
    remaining: float


_LEFT = "extract(epoch FROM expires_at - clock_timestamp())::float8"

_ACQUIRE = f"""
INSERT INTO lease AS l (floor, holder, epoch, expires_at)
VALUES (%(floor)s, %(holder)s, 1, clock_timestamp() + %(ttl)s * interval '1 second')
ON CONFLICT (floor) DO UPDATE SET
    holder = excluded.holder,
    epoch = CASE WHEN l.holder = excluded.holder AND l.expires_at > clock_timestamp()
                 THEN l.epoch ELSE l.epoch + 1 END,
    expires_at = excluded.expires_at
WHERE l.holder = excluded.holder OR l.expires_at <= clock_timestamp()
RETURNING epoch, {_LEFT}
"""

_RENEW = f"""
UPDATE lease SET expires_at = clock_timestamp() + %(ttl)s * interval '1 second'
WHERE floor = %(floor)s AND holder = %(holder)s AND epoch = %(epoch)s
  AND expires_at > clock_timestamp()
RETURNING epoch, {_LEFT}
"""

_FENCE = f"""
SELECT epoch, {_LEFT} FROM lease
WHERE floor = %(floor)s AND holder = %(holder)s AND epoch = %(epoch)s
  AND expires_at > clock_timestamp()
FOR SHARE
"""


def acquire(
    conn: psycopg.Connection[TupleRow], floor: str, holder: str, ttl: float, asked_at: float
) -> LeaseGrant | None:
    """The lease for `holder` (renewed if it already holds it), or None while another does."""
    row = conn.execute(_ACQUIRE, {"floor": floor, "holder": holder, "ttl": ttl}).fetchone()
    return _grant(row, floor, holder, asked_at, ttl)


def renew(
    conn: psycopg.Connection[TupleRow], grant: LeaseGrant, ttl: float, asked_at: float
) -> LeaseGrant | None:
    """The lease extended to `ttl` from now, or None if it expired or another took it."""
    params = {"floor": grant.floor, "holder": grant.holder, "epoch": grant.epoch, "ttl": ttl}
    row = conn.execute(_RENEW, params).fetchone()
    return _grant(row, grant.floor, grant.holder, asked_at, ttl)


def release(conn: psycopg.Connection[TupleRow], grant: LeaseGrant) -> None:
    conn.execute(
        "UPDATE lease SET expires_at = clock_timestamp() "
        "WHERE floor = %s AND holder = %s AND epoch = %s",
        (grant.floor, grant.holder, grant.epoch),
    )


def fence(
    conn: psycopg.Connection[TupleRow], grant: LeaseGrant, asked_at: float
) -> LeaseGrant | None:
    """Inside a transaction: the lease as it stands if still held with `grant`'s epoch (its
    row locked until the transaction ends), else None."""
    params = {"floor": grant.floor, "holder": grant.holder, "epoch": grant.epoch}
    row = conn.execute(_FENCE, params).fetchone()
    return _grant(row, grant.floor, grant.holder, asked_at, grant.ttl)


def holder_of(conn: psycopg.Connection[TupleRow], floor: str) -> LeaseHolder | None:
    """Who holds the floor's lease now, or None if nobody does."""
    row = conn.execute(
        f"SELECT holder, epoch, {_LEFT} FROM lease "
        "WHERE floor = %s AND expires_at > clock_timestamp()",
        (floor,),
    ).fetchone()
    return None if row is None else LeaseHolder(str(row[0]), int(row[1]), float(row[2]))


def _grant(
    row: TupleRow | None, floor: str, holder: str, asked_at: float, ttl: float
) -> LeaseGrant | None:
    if row is None:
        return None
    return LeaseGrant(floor, holder, int(row[0]), float(row[1]), asked_at, ttl)
