"""Rate-limited warnings about dropped frames: a flood writes a bounded number of lines.

The first drop of a kind is logged at once; the rest within `interval` seconds are counted
and summed up in one line ("dropped 2,455 more unknown frames in the last 10 s") when the
interval is over (`flush(now)`, from the session's timer, or the next drop after it). Time
is the caller's `now`: the sans-IO session stays free of clock reads. The exact counts are
the session's `LinkStats`; this only decides what is worth a log line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from engine.link.redact import redact
from engine.protocol.errors import excerpt

DROP_LOG_INTERVAL = 10.0
"""Seconds: at most one summary line per kind of dropped frame in each."""
REASON_CHARS = 200


@dataclass
class _Window:
    since: float
    count: int = 0
    latest: str = ""


class DropLog:
    def __init__(self, log: logging.Logger, interval: float = DROP_LOG_INTERVAL) -> None:
        self._log = log
        self._interval = interval
        self._windows: dict[str, _Window] = {}

    def note(self, kind: str, reason: str, now: float) -> None:
        """One frame of `kind` dropped at `now`, because of `reason`."""
        window = self._windows.get(kind)
        if window is not None:
            window.count += 1
            window.latest = reason
            if now - window.since < self._interval:
                return
            if window.count > 1:  # the interval is over: this drop closes its summary
                self._summary(kind, window, now)
                self._windows[kind] = _Window(since=now)
                return
        article = "an" if kind[:1] in "aeiou" else "a"
        self._log.warning("dropped %s %s frame: %s", article, kind, _shown(reason))
        self._windows[kind] = _Window(since=now)

    def flush(self, now: float) -> None:
        """Sum up every kind whose interval is over; forget kinds that went quiet."""
        for kind, window in list(self._windows.items()):
            if now - window.since < self._interval:
                continue
            if window.count:
                self._summary(kind, window, now)
                self._windows[kind] = _Window(since=now)
            else:
                del self._windows[kind]

    def _summary(self, kind: str, window: _Window, now: float) -> None:
        self._log.warning(
            "dropped %d more %s frame%s in the last %.0f s (the latest: %s)",
            window.count,
            kind,
            "" if window.count == 1 else "s",
            now - window.since,
            _shown(window.latest),
        )


def _shown(reason: str) -> str:
    return excerpt(redact(reason), REASON_CHARS)
