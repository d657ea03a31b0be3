"""The deadline rule: where one conversation stands and when the engine must look at it again.

`plan_conversation()` is a pure function of a conversation's wait, the unassign under way, its
agent's presence, the holds on it and the policy. The engine calls it after every change to
that conversation and keeps the result; nothing here reads a clock. A hold's end is no wake-up
of the plan: the holds keep their own timer, and the engine re-plans when one ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from engine.core.inflight import ActionState, Inflight
from engine.core.model import AgentState, Reason, Status, reason_for
from engine.core.policy import Policy
from engine.core.waits import Wait


class Wake(Enum):
    """What the engine must do when a conversation's wake-up time comes."""

    DEADLINE = "deadline"
    RETRY = "retry"


@dataclass(frozen=True, slots=True)
class Plan:
    status: Status
    reason: Reason | None = None
    threshold: float | None = None
    deadline: float | None = None
    wake_at: float | None = None
    wake: Wake | None = None


def plan_conversation(
    wait: Wait | None,
    inflight: Inflight | None,
    *,
    decided: bool,
    skill: str | None,
    agent_state: AgentState | None,
    bot: bool,
    holding: tuple[bool, float | None],
    policy: Policy,
) -> Plan | None:
    """Where a conversation stands; None when it is not watched (no human agent, no wait).

    `inflight` is the unassign under way (a raced one counts as none); `decided`: the wait was
    decided already (dry run), so it is never decided again; `holding`: (held, until).
    """
    held, until = holding
    if inflight is not None and not inflight.raced:
        due, reason = inflight.action.due_at, inflight.action.reason
        if inflight.state is not ActionState.FAILED:
            return Plan(Status.UNASSIGNING, reason, None, due)
        if held:
            return Plan(Status.HELD, reason, None, due)
        return Plan(Status.FAILED, reason, None, due, inflight.retry_at, Wake.RETRY)
    if wait is None or bot:
        return None
    if decided:
        return Plan(Status.WOULD_UNASSIGN)
    return plan_wait(
        wait, skill=skill, agent_state=agent_state, hold_until=until, held=held, policy=policy
    )


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
    engine re-plans when the hold ends).
    """
    if wait.manual_at is not None:
        return Plan(
            Status.WATCHING, Reason.MANUAL, 0.0, wait.manual_at, wait.manual_at, Wake.DEADLINE
        )
    if held and hold_until is None:
        return Plan(Status.HELD)
    if agent_state is None:
        return Plan(Status.NO_PRESENCE)
    reason = reason_for(agent_state)
    threshold = policy.threshold(skill, reason)
    if threshold is None:
        return Plan(Status.OFF, reason)
    deadline = wait.waiting_since + threshold + wait.extension
    if held and hold_until is not None:
        return Plan(Status.HELD, reason, threshold, max(deadline, hold_until))
    status = Status.EXTENDED if wait.extension > 0 else Status.WATCHING
    return Plan(status, reason, threshold, deadline, deadline, Wake.DEADLINE)
