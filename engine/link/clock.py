"""Platform time for the live link: the local clock plus an offset learned from the platform."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

RESYNC_THRESHOLD = 0.02
"""Offset corrections smaller than this (seconds) are round-trip noise and ignored."""


class PlatformClock:
    """`now()` is `wall() + offset`, in platform seconds, never going backwards."""

    def __init__(self, wall: Callable[[], float] = time.time) -> None:
        self._wall = wall
        self._offset = 0.0
        self._last = -math.inf

    def now(self) -> float:
        self._last = max(self._last, self._wall() + self._offset)
        return self._last

    def set_platform_time(self, platform_seconds: float) -> None:
        """The platform said it is `platform_seconds` now (e.g. the login's server time)."""
        self._offset = platform_seconds - self._wall()

    def correct(self, error: float) -> bool:
        """Shift by `error` seconds (platform minus our `now()`); True when applied."""
        if abs(error) < RESYNC_THRESHOLD:
            return False
        self._offset += error
        return True
