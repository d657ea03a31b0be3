"""The unassign policy: one threshold per agent state, per-skill overrides, each can be off."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from engine.core.fallback import (
    KEYS as FALLBACK_KEYS,
)
from engine.core.fallback import (
    Fallback,
    FallbackError,
    Fallbacks,
    fallback_mapping,
    parse_fallback,
)
from engine.core.grace import GraceError, parse_grace
from engine.core.model import Reason

THRESHOLD_REASONS: tuple[Reason, ...] = (Reason.ONLINE, Reason.AWAY, Reason.OFFLINE)
MAX_THRESHOLD_SECONDS = 7 * 24 * 3600.0


class PolicyError(ValueError):
    """A policy that cannot be applied; the message names the offending field.

    `path` is that field (`policy.skills.billing.away`) and `problem` what is wrong with a
    threshold's value, in words a screen can put after its own name for the field: "not a
    number", "negative" or "longer than a week" ("" for any other problem)."""

    def __init__(self, message: str, *, path: str = "", problem: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.problem = problem


def _check_seconds(path: str, value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PolicyError(
            f"{path}: expected a number of seconds or null, got {value!r}",
            path=path,
            problem="not a number",
        )
    seconds = float(value)
    if math.isnan(seconds) or seconds < 0:
        raise PolicyError(
            f"{path}: must be a non-negative number of seconds, got {value!r}",
            path=path,
            problem="negative",
        )
    if seconds > MAX_THRESHOLD_SECONDS:
        raise PolicyError(
            f"{path}: {value!r} s is longer than a week; use null to turn it off",
            path=path,
            problem="longer than a week",
        )
    return seconds


@dataclass(frozen=True)
class Thresholds:
    """Seconds an agent in each state may leave a consumer waiting; None means off."""

    online: float | None = None
    away: float | None = None
    offline: float | None = None

    def for_reason(self, reason: Reason) -> float | None:
        if reason is Reason.ONLINE:
            return self.online
        if reason is Reason.AWAY:
            return self.away
        if reason is Reason.OFFLINE:
            return self.offline
        return 0.0


@dataclass(frozen=True)
class Policy:
    """Default thresholds plus partial per-skill overrides.

    An override names only the states it changes; a state it leaves out falls back to the
    default. An override of `None` turns that state off for the skill.
    """

    default: Thresholds = Thresholds()
    skills: Mapping[str, Mapping[Reason, float | None]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    grace: Mapping[Reason, float] = field(default_factory=lambda: MappingProxyType({}))
    """Seconds a new state must last before its threshold applies (`engine.core.grace`);
    a state left out has none."""
    skill_grace: Mapping[str, Mapping[Reason, float]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    fallbacks: Fallbacks = field(default_factory=Fallbacks)
    """Where an automatic unassign sends a conversation (`engine.core.fallback`)."""

    def grace_seconds(self, skill: str | None, reason: Reason) -> float:
        """The grace of `reason` on `skill`: the skill's own, else the default, else 0."""
        override = self.skill_grace.get(skill) if skill is not None else None
        if override is not None and reason in override:
            return override[reason]
        return self.grace.get(reason, 0.0)

    def threshold(self, skill: str | None, reason: Reason) -> float | None:
        """Seconds allowed for `reason` on `skill`, or None when that threshold is off."""
        if reason is Reason.MANUAL:
            return 0.0
        override = self.skills.get(skill) if skill is not None else None
        if override is not None and reason in override:
            return override[reason]
        return self.default.for_reason(reason)

    def with_settings_of(self, other: Policy) -> Policy:
        """These thresholds with `other`'s other settings (grace, fallback): what the
        thresholds grid, which edits only thresholds, makes of the policy in force."""
        return replace(
            self, grace=other.grace, skill_grace=other.skill_grace, fallbacks=other.fallbacks
        )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], path: str = "policy") -> Policy:
        """Build a policy from its JSON shape, e.g.
        `{"online": 60, "away": 30, "offline": null, "skills": {"billing": {"online": 120}}}`.
        """
        if not isinstance(data, Mapping):
            raise PolicyError(f"{path}: expected an object, got {type(data).__name__}")
        known = {r.value for r in THRESHOLD_REASONS} | {"skills", "grace", *FALLBACK_KEYS}
        for key in data:
            if key not in known:
                raise PolicyError(f"{path}.{key}: unknown field (expected one of {sorted(known)})")
        default = Thresholds(
            **{
                r.value: _check_seconds(f"{path}.{r.value}", data.get(r.value))
                for r in THRESHOLD_REASONS
            }
        )
        skills_data = data.get("skills")
        if skills_data is None:
            skills_data = {}
        if not isinstance(skills_data, Mapping):
            raise PolicyError(f"{path}.skills: expected an object of skill overrides")
        skills: dict[str, Mapping[Reason, float | None]] = {}
        skill_grace: dict[str, Mapping[Reason, float]] = {}
        fallbacks: dict[str, Fallback] = {}
        for skill, override in skills_data.items():
            where = f"{path}.skills.{skill}"
            if not isinstance(override, Mapping):
                raise PolicyError(f"{where}: expected an object, got {type(override).__name__}")
            parsed: dict[Reason, float | None] = {}
            fallbacks[str(skill)] = _fallback(override, where)
            for key, value in override.items():
                if key in FALLBACK_KEYS:
                    continue
                if key == "grace":
                    skill_grace[str(skill)] = _grace(value, f"{where}.grace")
                    continue
                if key not in {r.value for r in THRESHOLD_REASONS}:
                    raise PolicyError(
                        f"{where}.{key}: unknown field (expected online, away, offline,"
                        " grace, on_unassign or moves_per_hour)"
                    )
                parsed[Reason(key)] = _check_seconds(f"{where}.{key}", value)
            skills[str(skill)] = MappingProxyType(parsed)
        grace = _grace(data.get("grace") or {}, f"{path}.grace")
        return cls(
            default=default,
            skills=MappingProxyType(skills),
            grace=grace,
            skill_grace=MappingProxyType(skill_grace),
            fallbacks=Fallbacks(
                _fallback(data, path),
                MappingProxyType({k: f for k, f in fallbacks.items() if f != Fallback()}),
            ),
        )

    def to_mapping(self) -> dict[str, Any]:
        """The JSON shape `from_mapping` reads."""
        out: dict[str, Any] = {r.value: self.default.for_reason(r) for r in THRESHOLD_REASONS}
        if self.grace:
            out["grace"] = _grace_mapping(self.grace)
        skills: dict[str, dict[str, Any]] = {
            skill: {reason.value: seconds for reason, seconds in override.items()}
            for skill, override in sorted(self.skills.items())
        }
        for skill, grace in sorted(self.skill_grace.items()):
            skills.setdefault(skill, {})["grace"] = _grace_mapping(grace)
        for skill, fallback in sorted(self.fallbacks.skills.items()):
            skills.setdefault(skill, {}).update(fallback_mapping(fallback))
        out.update(fallback_mapping(self.fallbacks.default))
        out["skills"] = skills
        return out


def _grace(value: object, path: str) -> Mapping[Reason, float]:
    try:
        return parse_grace(value, path)
    except GraceError as problem:
        raise PolicyError(str(problem), path=problem.path) from None


def _fallback(data: Mapping[str, Any], path: str) -> Fallback:
    try:
        return parse_fallback(data, path)
    except FallbackError as problem:
        raise PolicyError(str(problem), path=problem.path) from None


def _grace_mapping(grace: Mapping[Reason, float]) -> dict[str, float]:
    return {reason.value: seconds for reason, seconds in grace.items()}
