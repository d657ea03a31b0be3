"""The clock the engine's callers and the UI are given: injected, so tests and replays set it."""

from __future__ import annotations

from typing import Protocol


class Clock(Protocol):
    """Platform time in seconds."""

    def now(self) -> float: ...
