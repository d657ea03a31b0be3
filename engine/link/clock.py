"""Engine time: platform time derived from a local monotonic clock, never from the wall clock.

`now() = local() + offset`. `local` is `time.monotonic` in production: a step of the wall
clock (an NTP correction, a supervisor changing the time) changes nothing here. The offset is
learned from GetClock round trips, NTP-style: the platform stamped its `currentTime` about
half-way through the round trip, so each answer gives an estimate of the offset, good to half
the round trip. The tightest estimate of the last few is kept; its bound grows with its age
(local clocks drift), and an answer it contradicts (bounds that do not overlap: the platform's
clock stepped) retires it. The offset then moves towards the estimate:

- before the first trusted estimate (nothing can have been decided on it), it steps;
- otherwise it slews, engine time running at most `SLEW_RATE` faster or slower than the local
  clock, so it never jumps past a decision already taken and never runs backwards;
- an estimate more than `STEP_FORWARD` ahead of engine time (the platform's clock stepped
  forward, or an early estimate was biased) is stepped to: time jumping forwards undoes no
  decision, and every barrier before the jump is then too old to act on; one far behind is
  slewed fast (`CATCH_UP_RATE`), engine time still running forwards, while not trusted.

While the estimate is looser than `PROBE_FLOOR`, extra GetClock round trips are asked for
(`wants_probe`), at most one per `PROBE_INTERVAL`.

While the error bound (the tightest estimate's bound plus what is left to slew) is above
`MAX_ERROR`, the clock is not trusted: the feed counts as stale and nothing is decided. The
login's server time is a first hint only, never trusted.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from engine.protocol import Response
from engine.protocol.bodies import ClockResponseBody

MAX_ERROR = 0.25
"""Seconds: an offset less certain than this makes the feed stale (deadlines are whole seconds;
a quarter second is well inside what a supervisor can see, and far above loopback and LAN
round trips, which bound the estimate by half their length)."""
SLEW_RATE = 0.05
"""While trusted, engine time runs at most 5 % faster or slower than the local clock."""
CATCH_UP_RATE = 0.5
"""While not trusted and ahead of the platform, engine time runs at half speed to fall back."""
DRIFT = 500e-6
"""How fast an estimate's bound grows with its age: 500 ppm, five times a cheap quartz's drift."""
SAMPLES = 8
"""How many recent estimates are kept to choose the tightest from."""
PROBE_INTERVAL = 1.0
"""Seconds between extra GetClock round trips while the estimate is looser than it could be."""
PROBE_FLOOR = 0.02
"""Seconds: an estimate looser than this asks for a probe (the resync's own answer comes back
behind the snapshot, so its midpoint can be off by half the snapshot's time)."""
STEP_FORWARD = 0.05
"""Seconds: an estimate further ahead than this is stepped to at once (time jumping forwards
undoes no decision); smaller and backward corrections are slewed."""


@dataclass(frozen=True, slots=True)
class ClockSample:
    """What one GetClock answer says: `error` is the platform's time minus engine time at the
    middle of the round trip, `round_trip` its length (engine seconds)."""

    error: float
    round_trip: float

    @classmethod
    def of_round_trip(cls, platform: float, sent_at: float, answered_at: float) -> ClockSample:
        """The answer `platform` (seconds) to a request sent and answered at engine times."""
        return cls(platform - (sent_at + answered_at) / 2, answered_at - sent_at)

    @classmethod
    def from_answer(cls, frame: Response, sent_at: float, answered_at: float) -> ClockSample | None:
        """What a GetClock answer says (None: refused, or no body). Raises `ValueError` when
        its body names no `currentTime`."""
        if not frame.ok or frame.body is None or isinstance(frame.body, str):
            return None
        if not isinstance(frame.body, ClockResponseBody):  # decoded with the frame, by shape
            raise ValueError("a GetClock response without a currentTime")
        platform = frame.body.current_time / 1000.0
        return cls.of_round_trip(platform, sent_at, answered_at)

    @property
    def ahead(self) -> bool:
        """The platform dated the answer before the request: our clock ran ahead."""
        return self.error < -self.round_trip / 2


class SyncedClock(Protocol):
    """Engine time learned from the platform, as the service reads it (`PlatformClock`)."""

    @property
    def known(self) -> bool: ...

    @property
    def trusted(self) -> bool: ...

    def wants_probe(self) -> bool: ...

    def now(self) -> float: ...

    def observe(self, sample: ClockSample) -> None: ...

    def describe(self) -> str: ...


@dataclass(frozen=True, slots=True)
class _Estimate:
    offset: float
    """Platform time minus local time."""
    bound: float
    taken: float
    """Local time of the answer."""

    def bound_at(self, local: float) -> float:
        return self.bound + DRIFT * max(0.0, local - self.taken)


class PlatformClock:
    """Engine time in platform seconds: `local() + offset`, learned from the platform."""

    def __init__(self, local: Callable[[], float] = time.monotonic) -> None:
        self._local = local
        self._offset: float | None = None
        """Platform minus local as engine time uses it now (None: not even a hint yet)."""
        self._at = 0.0
        """Local time at which `_offset` was last brought up to date."""
        self._estimates: deque[_Estimate] = deque(maxlen=SAMPLES)
        self._trusted_once = False
        self._probed_at = -math.inf

    # ------------------------------------------------------------------ reading

    def now(self) -> float:
        local = self._local()
        self._slew(local)
        return local + (self._offset or 0.0)

    def error_bound(self) -> float:
        """How far engine time may be from the platform's (infinite before any answer)."""
        local = self._local()
        self._slew(local)
        best = self._best(local)
        if best is None or self._offset is None:
            return math.inf
        return best.bound_at(local) + abs(best.offset - self._offset)

    @property
    def known(self) -> bool:
        """Whether the platform has said anything of its time yet (a login hint suffices)."""
        return self._offset is not None

    @property
    def trusted(self) -> bool:
        return self.error_bound() <= MAX_ERROR

    def describe(self) -> str:
        """Why the clock is not trusted, in words for the header ("" when it is)."""
        bound = self.error_bound()
        if bound <= MAX_ERROR:
            return ""
        if math.isinf(bound):
            return "waiting for the platform's clock"
        return f"the platform's clock is uncertain by {bound:.2f} s"

    def wants_probe(self) -> bool:
        """Whether an extra GetClock would tighten the estimate (the resync's own answer
        comes back behind the snapshot); at most one per `PROBE_INTERVAL`. Asking marks the
        probe as sent."""
        local = self._local()
        best = self._best(local)
        if best is None or local - self._probed_at < PROBE_INTERVAL:
            return False
        if best.bound_at(local) <= PROBE_FLOOR:
            return False
        self._probed_at = local
        return True

    # ------------------------------------------------------------------ learning

    def hint(self, platform_seconds: float) -> None:
        """The platform said it is `platform_seconds` now (the login's server time): used
        until the first GetClock answer, never trusted."""
        if self._offset is None:
            self._at = self._local()
            self._offset = platform_seconds - self._at

    def observe(self, sample: ClockSample) -> None:
        """Take one GetClock answer into account."""
        local = self._local()
        self._slew(local)
        current = self._offset or 0.0
        new = _Estimate(current + sample.error, sample.round_trip / 2 * (1 + SLEW_RATE), local)
        # An older estimate the new one contradicts (their bounds do not overlap) belongs to a
        # platform clock that has since stepped: it no longer says anything.
        kept = [
            e
            for e in self._estimates
            if abs(e.offset - new.offset) <= e.bound_at(local) + new.bound
        ]
        self._estimates.clear()
        self._estimates.extend([*kept, new])
        best = self._best(local)
        assert best is not None
        gap = best.offset - current
        if self._offset is None or not self._trusted_once or gap > STEP_FORWARD:
            self._offset = best.offset
        if self.error_bound() <= MAX_ERROR:
            self._trusted_once = True

    # ------------------------------------------------------------------ internals

    def _best(self, local: float) -> _Estimate | None:
        return min(self._estimates, key=lambda e: e.bound_at(local), default=None)

    def _slew(self, local: float) -> None:
        """Move the offset towards the best estimate for the local time passed since."""
        elapsed = max(0.0, local - self._at)
        self._at = max(self._at, local)
        best = self._best(local)
        if best is None or self._offset is None or elapsed == 0.0:
            return
        gap = best.offset - self._offset
        trusted = best.bound_at(local) + abs(gap) <= MAX_ERROR
        rate = SLEW_RATE if trusted or gap > 0 else CATCH_UP_RATE
        step = rate * elapsed
        self._offset += max(-step, min(step, gap))
