"""The deadline rule: where one conversation stands and when the engine must look at it again.

`plan()` is a pure function of a conversation's facts, its agent's presence, the holds on it
and the policy. The engine calls it after every change to that conversation and keeps the
result; nothing here reads a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from engine.core.model import AgentState, Reason, Status, reason_for
from engine.core.policy import Policy


class Wake(Enum):
    """What the engine must do when a conversation's wake-up time comes."""

    DEADLINE = "deadline"
    HOLD_ENDS = "hold-ends"
    RETRY = "retry"


@dataclass(frozen=True, slots=True)
class Wait:
    """The facts of a consumer message pending an agent response."""

    waiting_since: float
    extension: float
    manual_at: float | None
    key: str
    """Identifies this wait: the conversation, the agent and when the wait began."""


@dataclass(frozen=True, slots=True)
class Plan:
    status: Status
    reason: Reason | None = None
    threshold: float | None = None
    deadline: float | None = None
    wake_at: float | None = None
    wake: Wake | None = None


def wait_key(conv_id: str, agent: str, waiting_since: float, manual_at: float | None) -> str:
    if manual_at is not None:
        return f"{conv_id}|{agent}|manual@{manual_at:.3f}"
    return f"{conv_id}|{agent}|{waiting_since:.3f}"


def plan_wait(
    wait: Wait,
    *,
    skill: str | None,
    agent_state: AgentState | None,
    hold_until: float | None,
    held: bool,
    policy: Policy,
) -> Plan:
    """The plan for a watched conversation that has no unassign under way.

    `held` with `hold_until=None` exempts it until released; with a time, until then (the
    engine wakes at that time to end the hold and look again).
    """
    if wait.manual_at is not None:
        return Plan(
            Status.WATCHING, Reason.MANUAL, 0.0, wait.manual_at, wait.manual_at, Wake.DEADLINE
        )
    if held and hold_until is None:
        return Plan(Status.HELD)
    hold_ends = (hold_until, Wake.HOLD_ENDS) if held else (None, None)
    if agent_state is None:
        return Plan(Status.NO_PRESENCE, None, None, None, *hold_ends)
    reason = reason_for(agent_state)
    threshold = policy.threshold(skill, reason)
    if threshold is None:
        return Plan(Status.OFF, reason, None, None, *hold_ends)
    deadline = wait.waiting_since + threshold + wait.extension
    if held and hold_until is not None:
        return Plan(
            Status.HELD, reason, threshold, max(deadline, hold_until), hold_until, Wake.HOLD_ENDS
        )
    status = Status.EXTENDED if wait.extension > 0 else Status.WATCHING
    return Plan(status, reason, threshold, deadline, deadline, Wake.DEADLINE)
