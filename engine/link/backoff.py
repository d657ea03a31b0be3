"""Exponential backoff with jitter for reconnects and start-up retries."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

MAX_EXPONENT = 64


@dataclass
class Backoff:
    """Delays `base * factor**n`, capped at `cap`, each scaled by a random 50-100 %."""

    base: float = 0.5
    factor: float = 2.0
    cap: float = 30.0
    rng: random.Random = field(default_factory=random.Random)
    attempt: int = 0

    def next_delay(self) -> float:
        delay = min(self.cap, self.base * self.factor ** min(self.attempt, MAX_EXPONENT))
        self.attempt += 1
        return delay * self.rng.uniform(0.5, 1.0)

    def reset(self) -> None:
        self.attempt = 0
