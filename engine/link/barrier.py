"""The freshness barrier over both feeds: conversations (websocket) and polled presence.

A `GetClock` round trip that starts at t proves every conversation frame sent before t is
applied; a presence reading requested at t proves every agent state as of t. The engine may
act on what was due by t only when both proofs reach t. `BarrierGate` adjusts the session's
`BarrierCompleted` and `FeedFresh` events to the lesser of the two proofs, so that rule lives
here and nowhere else. With pushed presence the socket carries both and the gate passes
barriers through. Pure: it returns events and answers questions; it calls nobody.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from engine.core import AgentChanged, BarrierCompleted, FeedFresh, LinkEvent

PRESENCE_RECENT = 0.5
"""Seconds a presence reading (or a request for one) counts as recent: well within the age
the engine allows a barrier, and the shortest gap between polls a barrier asks for."""


class BarrierGate:
    """Completes a barrier only when both the clock round trip and (if polled) a presence
    reading cover it."""

    def __init__(self, *, polled: bool) -> None:
        """`polled`: presence comes from a poller (else it is pushed on the socket)."""
        self._polled = polled
        self._clock_proof: float | None = None
        self._presence_proof: float | None = None
        self._presence_asked_at: float | None = None

    @property
    def proof(self) -> float | None:
        """Everything the platform knew before this time has been applied (None: nothing yet)."""
        if not self._polled:
            return self._clock_proof
        if self._clock_proof is None or self._presence_proof is None:
            return None
        return min(self._clock_proof, self._presence_proof)

    def wants_presence(self, due: float, now: float) -> bool:
        """Whether a barrier covering `due` (the engine wants one at `now`) needs a presence
        poll now. The engine only wants a barrier that is recent, so presence is polled unless
        a reading, or a request for one, already covers `due` and is younger than
        `PRESENCE_RECENT`. A True answer counts as the request."""
        if not self._polled:
            return False
        if _covers(self._presence_proof, due, now) or _covers(self._presence_asked_at, due, now):
            return False
        self._presence_asked_at = now
        return True

    def presence_read(self, agents: Sequence[AgentChanged], taken_at: float) -> list[LinkEvent]:
        """The events of a presence reading requested at `taken_at` (platform time): the
        agents' states, then the barrier it completes, if any."""
        events: list[LinkEvent] = list(agents)
        self._presence_proof = _later(self._presence_proof, taken_at)
        proof = self.proof
        if proof is not None:
            events.append(BarrierCompleted(proof))
        return events

    def adjust(self, events: Iterable[LinkEvent]) -> list[LinkEvent]:
        """The session's events with barriers and resyncs cut to what both proofs cover (a
        barrier that presence does not cover yet is held back)."""
        adjusted: list[LinkEvent] = []
        for event in events:
            if isinstance(event, FeedFresh):
                self._clock_proof = _later(self._clock_proof, event.as_of)
                presence = self._presence_proof if self._polled else None
                if presence is not None and presence < event.as_of:
                    adjusted.append(FeedFresh(presence, event.detail))
                    continue
            elif isinstance(event, BarrierCompleted):
                self._clock_proof = _later(self._clock_proof, event.started_at)
                proof = self.proof
                if proof is not None:
                    adjusted.append(BarrierCompleted(proof))
                continue
            adjusted.append(event)
        return adjusted


def _covers(at: float | None, due: float, now: float) -> bool:
    return at is not None and at >= due and now - at < PRESENCE_RECENT


def _later(known: float | None, new: float) -> float:
    return new if known is None else max(known, new)
