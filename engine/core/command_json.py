"""The JSON form of supervisor commands, one object each, read into `Command` values.

`{"hold": "c1"}`, `{"hold": "c1", "until": 1700000000}`, `{"release": "c1"}`,
`{"extend": {"conv": "c1", "seconds": 60}}`, `{"unassign": "c1"}`, `{"policy": {...}}`,
`{"hold_agent": "a1", "until": ...}`, `{"release_agent": "a1"}`, `{"dry_run": true}`,
`{"give_back": "c1"}` (back to the agent an unassign took it from).
`until` is platform time; `origin` is added to it (a scenario counts from its start).
A row command may carry what the supervisor saw, `"seen": {"agent": "a1", "wait": key}`
(`"conv"` too with `hold_agent`): the engine then refuses it if that has changed.
`{"why": "c1"}` is a question, not a command (`why_asked`): why c1 is not unassigned yet.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Literal, get_args

from engine.core.commands import (
    Command,
    Extend,
    GiveBack,
    Hold,
    HoldAgent,
    Release,
    ReleaseAgent,
    Seen,
    SetDryRun,
    SetPolicy,
    UnassignNow,
)
from engine.core.policy import Policy, PolicyError

CommandKind = Literal[
    "hold",
    "release",
    "extend",
    "unassign",
    "policy",
    "hold_agent",
    "release_agent",
    "dry_run",
    "give_back",
]
"""A command's one field naming what it does (a scenario's supervisor step uses the same)."""
KINDS: tuple[CommandKind, ...] = get_args(CommandKind)
UNTIL_KINDS = frozenset({"hold", "hold_agent"})
SEEN_KINDS = frozenset({"hold", "release", "extend", "unassign", "hold_agent", "give_back"})


class CommandError(ValueError):
    """Not a supervisor command; the message names the bad field."""


def why_asked(text: str) -> str | None:
    """The conversation a `{"why": "c1"}` line asks about; None for any other line."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if isinstance(data, Mapping) and set(data) == {"why"} and isinstance(data["why"], str):
        return data["why"]
    return None


def parse_command_text(text: str, *, by: str, origin: float = 0.0) -> Command:
    """One command from a line of JSON."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CommandError(f"not JSON: {exc}") from None
    return parse_command(data, by=by, origin=origin)


def parse_command(data: object, *, by: str, origin: float = 0.0) -> Command:
    """One command from a decoded JSON object."""
    if not isinstance(data, Mapping):
        raise CommandError(f"expected a JSON object, got {type(data).__name__}")
    unknown = sorted(str(k) for k in data if k not in (*KINDS, "until", "seen"))
    if unknown:
        raise CommandError(f"{unknown[0]}: unknown field (expected one of {', '.join(KINDS)})")
    kinds = [k for k in KINDS if k in data]
    if len(kinds) != 1:
        got = " and ".join(kinds) if kinds else "none"
        raise CommandError(f"expected exactly one of {', '.join(KINDS)}; got {got}")
    kind = kinds[0]
    if "until" in data and kind not in UNTIL_KINDS:
        raise CommandError("until: goes only with 'hold' or 'hold_agent'")
    if "seen" in data and kind not in SEEN_KINDS:
        raise CommandError("seen: goes only with a row command (hold, release, extend, ...)")
    until = _until(data.get("until"), origin)
    value = data[kind]
    row = value.get("conv") if kind == "extend" and isinstance(value, Mapping) else value
    seen = _seen(data.get("seen"), row if kind != "hold_agent" else None)
    if kind == "hold":
        return Hold(conv=_id(kind, value), until=until, by=by, seen=seen)
    if kind == "release":
        return Release(conv=_id(kind, value), by=by, seen=seen)
    if kind == "unassign":
        return UnassignNow(conv=_id(kind, value), by=by, seen=seen)
    if kind == "give_back":
        return GiveBack(conv=_id(kind, value), by=by, seen=seen)
    if kind == "hold_agent":
        return HoldAgent(agent=_id(kind, value), until=until, by=by, seen=seen)
    if kind == "release_agent":
        return ReleaseAgent(agent=_id(kind, value), by=by)
    if kind == "extend":
        return _extend(value, by, seen)
    if kind == "policy":
        try:
            return SetPolicy(policy=Policy.from_mapping(value, path="policy"), by=by)
        except PolicyError as exc:
            raise CommandError(str(exc)) from None
    if not isinstance(value, bool):
        raise CommandError(f"dry_run: expected true or false, got {value!r}")
    return SetDryRun(on=value, by=by)


def _id(path: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise CommandError(f"{path}: expected a non-empty id, got {value!r}")
    return value


def _seconds(path: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise CommandError(f"{path}: expected a number of seconds, got {value!r}")
    return float(value)


def _until(value: object, origin: float) -> float | None:
    return None if value is None else origin + _seconds("until", value)


def _seen(value: object, conv: object) -> Seen | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not {"agent", "wait"} <= set(value) <= {
        "agent",
        "wait",
        "conv",
    }:
        raise CommandError(
            f'seen: expected {{"agent": id or null, "wait": key or null}}, got {value!r}'
        )
    conv = value.get("conv", conv)
    for field in ("agent", "wait"):
        if value[field] is not None and not isinstance(value[field], str):
            raise CommandError(f"seen.{field}: expected a string or null, got {value[field]!r}")
    return Seen(_id("seen.conv", conv), value["agent"], value["wait"])


def _extend(value: object, by: str, seen: Seen | None) -> Extend:
    if not isinstance(value, Mapping) or set(value) != {"conv", "seconds"}:
        raise CommandError(f'extend: expected {{"conv": id, "seconds": n}}, got {value!r}')
    seconds = _seconds("extend.seconds", value["seconds"])
    if not seconds > 0:
        raise CommandError(f"extend.seconds: must be positive, got {value['seconds']!r}")
    return Extend(conv=_id("extend.conv", value["conv"]), seconds=seconds, by=by, seen=seen)
