"""A fallback skill: where an automatic unassign sends the conversation, per skill.

`on_unassign` is `queue` (back to its own skill's queue: the default) or `skill:<id>` (moved
to that skill, REMOVE of the agent plus a Skill UPDATE in one request). `moves_per_hour`
limits how often one conversation is moved in an hour (3 by default); past it, it goes back
to its own queue and the decision's audit line says why. A skill's own settings win over the
policy's; a move to the skill the conversation is on already is no move.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from engine.core.model import ConvId

QUEUE = "queue"
SKILL_PREFIX = "skill:"
DEFAULT_MOVES_PER_HOUR = 3
HOUR = 3600.0
KEYS = ("on_unassign", "moves_per_hour")


class FallbackError(ValueError):
    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True, slots=True)
class Fallback:
    """One level's settings (the policy's or a skill's); None: not set there."""

    to_skill: str | None = None
    """The skill `on_unassign` names; "" for `queue`; None when not set."""
    moves_per_hour: int | None = None


def parse_fallback(data: Mapping[str, object], path: str) -> Fallback:
    """`on_unassign` and `moves_per_hour` of one level of the policy's JSON shape."""
    to_skill: str | None = None
    if "on_unassign" in data:
        value, where = data["on_unassign"], f"{path}.on_unassign"
        if value == QUEUE:
            to_skill = ""
        elif isinstance(value, str) and value.startswith(SKILL_PREFIX) and value[6:].strip():
            to_skill = value[len(SKILL_PREFIX) :].strip()
        else:
            raise FallbackError(f"{where}: expected 'queue' or 'skill:<id>', got {value!r}", where)
    moves = data.get("moves_per_hour")
    if moves is not None and (isinstance(moves, bool) or not isinstance(moves, int) or moves < 0):
        where = f"{path}.moves_per_hour"
        raise FallbackError(f"{where}: expected a whole number of moves, got {moves!r}", where)
    return Fallback(to_skill, moves)


def fallback_mapping(fallback: Fallback) -> dict[str, object]:
    out: dict[str, object] = {}
    if fallback.to_skill is not None:
        out["on_unassign"] = f"{SKILL_PREFIX}{fallback.to_skill}" if fallback.to_skill else QUEUE
    if fallback.moves_per_hour is not None:
        out["moves_per_hour"] = fallback.moves_per_hour
    return out


@dataclass(frozen=True, slots=True)
class Fallbacks:
    default: Fallback = field(default_factory=Fallback)
    skills: Mapping[str, Fallback] = field(default_factory=lambda: MappingProxyType({}))

    def target(self, skill: str | None) -> str | None:
        """The skill an unassign from `skill` moves the conversation to (None: its queue)."""
        own = self.skills.get(skill) if skill is not None else None
        to = own.to_skill if own is not None and own.to_skill is not None else None
        to = self.default.to_skill if to is None else to
        return to if to and to != skill else None

    def limit(self, skill: str | None) -> int:
        own = self.skills.get(skill) if skill is not None else None
        if own is not None and own.moves_per_hour is not None:
            return own.moves_per_hour
        if self.default.moves_per_hour is not None:
            return self.default.moves_per_hour
        return DEFAULT_MOVES_PER_HOUR


@dataclass(frozen=True, slots=True)
class Route:
    """Where one decided unassign sends the conversation, and why not further."""

    to_skill: str | None
    held_back: str = ""
    """Why a move the policy asks for is not made (the hourly limit), for the audit."""


class Moves:
    """When each open conversation was moved by an automatic unassign (confirmed by the feed,
    or recalled from the floor's audit), for the hourly limit: one move per decided wait."""

    def __init__(self) -> None:
        self._moves: dict[ConvId, dict[str, float]] = {}
        """Per conversation: the key of each wait whose unassign moved it -> when."""
        self._told: deque[tuple[float, ConvId]] = deque()
        """Each move as told, to drop those an hour old (of conversations that left)."""

    def moved(self, conv_id: ConvId, key: str, at: float) -> None:
        """A move of the wait `key` (counted once, however often it is told)."""
        self._moves.setdefault(conv_id, {})[key] = at
        self._told.append((at, conv_id))
        while self._told and self._told[0][0] <= at - HOUR:
            _, old = self._told.popleft()
            self.count(old, at)

    def count(self, conv_id: ConvId, now: float) -> int:
        """Moves of the conversation in the hour up to `now`."""
        moves = self._moves.get(conv_id)
        if not moves:
            return 0
        for key in [key for key, at in moves.items() if at <= now - HOUR]:
            del moves[key]
        if not moves:
            del self._moves[conv_id]
        return len(moves)

    def forget(self, conv_id: ConvId) -> None:
        self._moves.pop(conv_id, None)

    def route(self, fallbacks: Fallbacks, conv_id: ConvId, skill: str | None, now: float) -> Route:
        target = fallbacks.target(skill)
        if target is None:
            return Route(None)
        done, limit = self.count(conv_id, now), fallbacks.limit(skill)
        if done < limit:
            return Route(target)
        times = "time" if done == 1 else "times"
        why = (
            f"moved {done} {times} in the last hour (the limit)" if limit else "moves_per_hour is 0"
        )
        return Route(None, f"not moved to skill {target}: {why}, back to the {skill} queue")
