"""Whether the engine may act: a fresh feed, permission (a trusted clock, a saved audit), and a
recent barrier that began after the deadline.

Frames on one connection arrive in order, so a keep-alive round trip that began at t and came
back proves every frame sent before t has been applied. `Freshness` keeps the newest such
proof and answers whether it covers a due time. The feed is fresh when the link has resynced
and the engine is permitted to act (engine time trusted, the audit saved).
"""

from __future__ import annotations

from engine.core.views import FeedView

MAX_BARRIER_AGE = 2.0
"""A decision needs a barrier that began at most this long before it: a barrier that took
longer to come back (a stalled feed) proves nothing about what arrived while it was out."""


class Freshness:
    def __init__(self, max_barrier_age: float = MAX_BARRIER_AGE) -> None:
        self._max_age = max_barrier_age
        self._link_fresh = False
        self._permitted = True
        """Nobody said otherwise: the exact clock of a replay; live mode says (`MayAct`)."""
        self._barrier_at: float | None = None
        self.why_stale = "not connected yet"
        """What the link or the wiring last said when the feed turned stale."""
        self.wanted: float | None = None
        """The earliest due time waiting for a barrier that starts at or after it."""

    @property
    def barrier_at(self) -> float | None:
        return self._barrier_at

    @property
    def fresh(self) -> bool:
        return self._link_fresh and self._permitted

    def stale(self, why: str = "") -> bool:
        """The feed can no longer prove it is current; True when it was fresh."""
        was = self.fresh
        self._link_fresh = False
        self.why_stale = why or self.why_stale
        return was

    def resynced(self, as_of: float) -> bool:
        """Everything the platform had at `as_of` is applied; True when it became fresh."""
        self.completed(as_of)
        was = self.fresh
        self._link_fresh = True
        return self.fresh and not was

    def permit(self, allowed: bool, why: str = "") -> bool | None:
        """The engine may (or may no longer) act: its clock trusted, its audit saved. Returns
        the new freshness when it changed."""
        was = self.fresh
        self._permitted = allowed
        if not allowed:
            self.why_stale = why or self.why_stale
        return None if self.fresh == was else self.fresh

    def completed(self, started_at: float) -> None:
        """A barrier that began at `started_at` completed."""
        if self._barrier_at is None or started_at > self._barrier_at:
            self._barrier_at = started_at

    def covers(self, due_at: float, now: float) -> bool:
        """Fresh feed, and a barrier that began at or after `due_at` and not long before now."""
        barrier = self._barrier_at
        return (
            self.fresh
            and barrier is not None
            and barrier >= due_at
            and 0.0 <= now - barrier <= self._max_age
        )

    def view(self) -> FeedView:
        return FeedView(self.fresh, self._barrier_at)
