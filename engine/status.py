"""How current the feed is, as the header shows it: one type for the link and the UI."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FeedState(StrEnum):
    CONNECTING = "connecting"
    """Not yet connected and resynced once."""
    LIVE = "live"
    STALE = "stale"
    """Connected, but the feed cannot prove it is current (a slow answer, a failed poll)."""
    RECONNECTING = "reconnecting"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class FeedStatus:
    state: FeedState
    lag: float | None = None
    """Seconds since the newest point at which everything was proven applied."""
    detail: str = ""
