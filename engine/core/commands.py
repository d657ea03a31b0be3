"""Supervisor commands: values the engine executes (`Engine.execute`), each naming who gave it.

The TUI, `watch --headless --commands`, scenarios and the soak all send these; their JSON form
is read by `engine.core.command_json`. A command the engine cannot carry out is answered with
a `Refused` that says why, for the caller to show.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.core.model import AgentId, ConvId
from engine.core.policy import Policy


@dataclass(frozen=True, slots=True)
class Seen:
    """What the supervisor's row showed when they gave a command. The engine refuses the
    command when the conversation has since closed, moved to another agent, or its wait
    changed (the agent answered, or a new wait began): it acts only on what was seen."""

    conv: ConvId
    agent: AgentId | None
    wait_key: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Hold:
    """Exempt a conversation until released (`until` None) or until a platform time."""

    conv: ConvId
    until: float | None = None
    by: str
    seen: Seen | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Release:
    """Clear a conversation's hold, extension and pending manual unassign."""

    conv: ConvId
    by: str
    seen: Seen | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Extend:
    """Add seconds to the deadline of a conversation's current wait."""

    conv: ConvId
    seconds: float
    by: str
    seen: Seen | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UnassignNow:
    """Unassign a conversation without waiting for its deadline (still behind a barrier)."""

    conv: ConvId
    by: str
    seen: Seen | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HoldAgent:
    """Exempt every conversation of an agent (an agent in training, say)."""

    agent: AgentId
    until: float | None = None
    by: str
    seen: Seen | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReleaseAgent:
    agent: AgentId
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SetPolicy:
    """New thresholds, applied to every watched conversation at once."""

    policy: Policy
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SetDryRun:
    """Dry run decides and audits but never acts."""

    on: bool
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GiveBack:
    """Give a conversation back to the agent an unassign took it from (transfer to agent)."""

    conv: ConvId
    by: str
    seen: Seen | None = None


Command = (
    Hold
    | Release
    | Extend
    | UnassignNow
    | HoldAgent
    | ReleaseAgent
    | SetPolicy
    | SetDryRun
    | GiveBack
)


@dataclass(frozen=True, slots=True)
class Refused:
    """The engine did not carry out `command`; `reason` says why, in words for a supervisor."""

    command: Command
    reason: str
