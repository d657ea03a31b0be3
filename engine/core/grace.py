"""Grace for flapping presence: seconds a new agent state must last before its threshold
applies, per state and per skill like every threshold (0 by default: at once).

Until the new state has lasted its grace, the threshold of the state in force before it still
applies; a state the agent leaves within its grace never applies. Grace delays the switch of
threshold, never the wait: the time in the earlier state counts toward it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from engine.core.model import Reason

MAX_GRACE_SECONDS = 600.0
"""A grace longer than this is refused; a state that lasted this long is in force for every
skill, so the presence history before it can be forgotten."""
MAX_SPELLS = 32
"""Presence changes kept per agent; an older one counts as in force."""
GRACE_REASONS: tuple[Reason, ...] = (Reason.ONLINE, Reason.AWAY, Reason.OFFLINE)


class GraceError(ValueError):
    """A grace setting that cannot be applied; the message names the field."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


def parse_grace(value: object, path: str) -> Mapping[Reason, float]:
    """`{"offline": 10, "away": 5}`: seconds per state (a state left out inherits)."""
    if not isinstance(value, Mapping):
        raise GraceError(f"{path}: expected an object of seconds per state", path)
    parsed: dict[Reason, float] = {}
    for key, seconds in value.items():
        where = f"{path}.{key}"
        if key not in {r.value for r in GRACE_REASONS}:
            raise GraceError(f"{where}: unknown field (expected online, away or offline)", where)
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise GraceError(f"{where}: expected a number of seconds, got {seconds!r}", where)
        if math.isnan(seconds) or not 0 <= seconds <= MAX_GRACE_SECONDS:
            raise GraceError(
                f"{where}: must be from 0 to {MAX_GRACE_SECONDS:.0f} seconds, got {seconds!r}",
                where,
            )
        parsed[Reason(key)] = float(seconds)
    return MappingProxyType(parsed)


@dataclass(frozen=True, slots=True)
class Spell:
    """A state the agent was in (as a threshold: Back soon is Away) and since when."""

    reason: Reason
    since: float


def add_spell(spells: tuple[Spell, ...], reason: Reason, since: float) -> tuple[Spell, ...]:
    """The history with a new reading: the same threshold as the last keeps its start;
    history before a state that lasted `MAX_GRACE_SECONDS` is forgotten."""
    if spells and spells[-1].reason is reason:
        return spells
    out = (*spells, Spell(reason, since))
    start = 0
    for n in range(len(out) - 1):
        if out[n + 1].since - out[n].since >= MAX_GRACE_SECONDS:
            start = n
    return out[max(start, len(out) - MAX_SPELLS) :]


@dataclass(frozen=True, slots=True)
class Standing:
    """Which state's threshold is in force, and a newer state still within its grace."""

    reason: Reason
    pending: Reason | None = None
    switch_at: float | None = None
    """When `pending` takes over if the agent stays in it."""
    pending_since: float | None = None
    since: float = -math.inf
    """When `reason` took over at the end of its grace (-inf: it applied at once): nothing is
    due under its threshold before then."""


def standing(spells: tuple[Spell, ...], grace: Callable[[Reason], float], now: float) -> Standing:
    """The threshold in force at `now` after `spells` (oldest first; the first is in force at
    once, the last is the agent's current state, pending while within its grace)."""
    reason, since = spells[0].reason, -math.inf
    for n in range(1, len(spells)):
        spell = spells[n]
        if spell.reason is reason:
            continue
        seconds = grace(spell.reason)
        took_over = spell.since + seconds if seconds > 0 else -math.inf
        if n == len(spells) - 1:
            if now - spell.since >= seconds:
                return Standing(spell.reason, since=took_over)
            return Standing(reason, spell.reason, spell.since + seconds, spell.since, since)
        if spells[n + 1].since - spell.since >= seconds:
            reason, since = spell.reason, took_over
    return Standing(reason, since=since)
