"""Clocks for the UI (the engine's `Clock` protocol) and how times are written on screen."""

from __future__ import annotations

import time


class SystemClock:
    """Wall-clock time in seconds since the epoch."""

    def now(self) -> float:
        return time.time()


class FrozenClock:
    """A clock that moves only when told to: for tests and snapshots."""

    def __init__(self, at: float = 0.0) -> None:
        self._at = at

    def now(self) -> float:
        return self._at

    def advance(self, seconds: float) -> None:
        self._at += seconds

    def set(self, at: float) -> None:
        self._at = at


def duration(seconds: float) -> str:
    """`m:ss` or `h:mm:ss`, with a minus sign for negative durations (rounded down)."""
    sign = "-" if seconds < 0 else ""
    whole = int(abs(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"


def wall_time(at: float) -> str:
    """Local time of day, `HH:MM:SS`."""
    return time.strftime("%H:%M:%S", time.localtime(at))
