"""The freshness barrier over both feeds: conversations (websocket) and polled presence.

A `GetClock` round trip that starts at t proves every conversation frame sent before t is
applied; a presence reading requested at t proves every agent state as of t. The engine may
act on what was due by t only when both proofs reach t. `BarrierGate` sits between the
`LinkSession` and the service and reports the lesser of the two proofs, so that rule lives
here and nowhere else. With pushed presence the socket carries both and the gate passes
barriers through.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from engine.core import AgentChanged, FeedEvent, Unassign
from engine.link.session import FeedSink, LinkSession

PRESENCE_RECENT = 0.5
"""Seconds a presence reading (or a request for one) counts as recent: well within the age
the engine allows a barrier, and the shortest gap between polls a barrier asks for."""


class BarrierGate:
    """A `FeedSink` in front of the service that completes a barrier only when both the
    clock round trip and (if polled) a presence reading cover it."""

    def __init__(
        self,
        sink: FeedSink,
        session: LinkSession,
        request_presence: Callable[[], None] | None = None,
    ) -> None:
        """`request_presence` asks the poller for a reading now; None when presence is pushed."""
        self._sink = sink
        self._session = session
        self._request_presence = request_presence
        self._clock_proof: float | None = None
        self._presence_proof: float | None = None
        self._presence_asked_at: float | None = None

    @property
    def proof(self) -> float | None:
        """Everything the platform knew before this time has been applied (None: nothing yet)."""
        if self._request_presence is None:
            return self._clock_proof
        if self._clock_proof is None or self._presence_proof is None:
            return None
        return min(self._clock_proof, self._presence_proof)

    def ensure(self, due: float, now: float) -> None:
        """Start what a barrier covering `due` still needs (the engine wants one at `now`).

        The engine only wants a barrier that is recent, so a clock round trip starts now
        (unless one is under way) and presence is polled unless a reading, or a request for
        one, already covers `due` and is younger than `PRESENCE_RECENT`.
        """
        self._session.start_barrier(now)
        if self._request_presence is None:
            return
        if not _covers(self._presence_proof, due, now) and not _covers(
            self._presence_asked_at, due, now
        ):
            self._presence_asked_at = now
            self._request_presence()

    def presence_read(self, events: Sequence[AgentChanged], taken_at: float, now: float) -> None:
        """A presence reading requested at `taken_at` (platform time)."""
        if events:
            self._sink.feed_events(events, now)
        self._presence_proof = _later(self._presence_proof, taken_at)
        self._forward(now)

    # ------------------------------------------------------------------ FeedSink

    def feed_events(self, events: Sequence[FeedEvent], now: float) -> None:
        self._sink.feed_events(events, now)

    def feed_stale(self, now: float, detail: str) -> None:
        self._sink.feed_stale(now, detail)

    def feed_fresh(self, now: float, as_of: float, detail: str = "") -> None:
        self._clock_proof = _later(self._clock_proof, as_of)
        presence = self._presence_proof if self._request_presence is not None else None
        self._sink.feed_fresh(now, as_of if presence is None else min(as_of, presence), detail)

    def barrier_completed(self, started_at: float, now: float) -> None:
        self._clock_proof = _later(self._clock_proof, started_at)
        self._forward(now)

    def action_succeeded(self, action: Unassign, now: float) -> None:
        self._sink.action_succeeded(action, now)

    def action_failed(self, action: Unassign, error: str, now: float) -> None:
        self._sink.action_failed(action, error, now)

    def _forward(self, now: float) -> None:
        proof = self.proof
        if proof is not None:
            self._sink.barrier_completed(proof, now)


def _covers(at: float | None, due: float, now: float) -> bool:
    return at is not None and at >= due and now - at < PRESENCE_RECENT


def _later(known: float | None, new: float) -> float:
    return new if known is None else max(known, new)
