"""What the link session hands back from every call, and what it counts of the frames."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from engine.core import LinkEvent
from engine.link.clock import ClockSample
from engine.link.redact import redact
from engine.protocol import Response


@dataclass(frozen=True, slots=True)
class SessionOutput:
    events: tuple[LinkEvent, ...] = ()
    writes: tuple[str, ...] = ()
    clock: ClockSample | None = None
    reconnect: str | None = None
    """Why the connection must be dropped and reopened (None: it may stay)."""

    def then(self, later: SessionOutput) -> SessionOutput:
        """This output followed by `later`'s."""
        return SessionOutput(
            self.events + later.events,
            self.writes + later.writes,
            later.clock or self.clock,
            self.reconnect or later.reconnect,
        )


@dataclass
class LinkStats:
    """Counts of what the session received; `dropped` is keyed by reason."""

    frames: int = 0
    largest_frame: int = 0
    """Characters (or bytes) of the largest frame received."""
    notifications: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    clock_ahead: int = 0
    """GetClock answers dated before their own request: they proved nothing."""

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())


def response_error(frame: Response) -> str:
    """A refused request's code and body, redacted and cut short (an action's failure)."""
    body = frame.body if isinstance(frame.body, str) else str(frame.body)
    return redact(f"code {frame.code}: {body[:200]}")
