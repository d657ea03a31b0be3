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
    as_of: float | None = None
    """Platform time up to which everything the platform sent is proven applied: the start
    of the newest completed barrier ("data as of"). None before the first."""
    detail: str = ""
    """Why the feed is not live (the link's own words), or "" when it is."""
    retry_in: float | None = None
    """Seconds until the next connection attempt, while one is awaited."""
