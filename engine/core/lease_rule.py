"""What the engine holding a floor's lease may still do with it: pure, the clock injected.

The database grants the lease and says how long it has left by its own clock. That answer
came back after the request was sent, so counting the time left from the moment of asking
(the holder's monotonic clock) gives an expiry never later than the database's: the holder
stops acting before any other engine can take the lease over. An unassign is sent only
while the lease has more time left than the action may take (its timeout), so an action
never lands after another engine began to act; the lease is renewed well inside its time
to live, so one slow or lost renewal does not cost it.
"""

from __future__ import annotations

from dataclasses import dataclass

RENEWALS_PER_TTL = 3
"""Renew after a third of the time to live: two renewals may fail before the lease lapses."""


@dataclass(frozen=True, slots=True)
class LeaseTerm:
    """One grant of the lease as its holder saw it (times on the holder's monotonic clock)."""

    epoch: int
    asked_at: float
    """When the request that got this grant was sent."""
    remaining: float
    """Seconds the lease had left by the database's clock when it answered."""
    ttl: float
    """The time to live asked for."""

    @property
    def expires_by(self) -> float:
        """The latest time the lease still surely holds."""
        return self.asked_at + self.remaining


def time_left(term: LeaseTerm | None, now: float) -> float:
    """Seconds the lease surely holds from `now` (0 without one, or once it lapsed)."""
    return 0.0 if term is None else max(0.0, term.expires_by - now)


def may_act(term: LeaseTerm | None, now: float) -> bool:
    """Whether the holder may decide now: it holds a lease that has not lapsed."""
    return time_left(term, now) > 0


def may_send(term: LeaseTerm | None, now: float, action_timeout: float) -> bool:
    """Whether an unassign may go out now: the lease outlasts the action's timeout."""
    return time_left(term, now) > action_timeout


def renew_at(term: LeaseTerm) -> float:
    """When the holder renews the lease: a third of its time to live after asking."""
    return term.asked_at + term.ttl / RENEWALS_PER_TTL


def renew_due(term: LeaseTerm, now: float) -> bool:
    return now >= renew_at(term)


@dataclass(frozen=True, slots=True)
class Role:
    """Whether an engine of a team floor acts now, or watches (and who acts)."""

    acting: bool
    holder: str | None
    """The engine that acts, as the database last said (None: nobody, or not known)."""
    detail: str = ""
    """Why the lease could not be asked for, while it cannot."""


def watching(role: Role) -> str:
    """What a watching engine says about the floor (the header, the audit's detail)."""
    if role.detail:
        return f"WATCHING (the lease cannot be asked for: {role.detail})"
    return f"WATCHING (acting: {role.holder or 'nobody yet'})"


@dataclass(frozen=True, slots=True)
class FloorDashboard:
    """One dashboard on a team floor, as the database last showed it."""

    engine: str
    """Its engine (`<supervisor>@<host>:<pid>`)."""
    supervisor: str
    seen_ago: float
    """Seconds since its lease keeper last reached the database, when it was read."""
    acting: bool
    own: bool
    """It is the dashboard of the engine that read the list."""
