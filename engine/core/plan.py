"""The deadline rule: where one conversation stands and when the engine must look at it again.

`plan_conversation()` is a pure function of a conversation's wait, the unassign under way, its
agent's presence, the holds on it and the policy. The engine calls it after every change to
that conversation and keeps the result; nothing here reads a clock. A hold's end is no wake-up
of the plan: the holds keep their own timer, and the engine re-plans when one ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from engine.core.grace import Spell, Standing, standing
from engine.core.inflight import ActionState, Inflight
from engine.core.model import Reason, Status
from engine.core.policy import Policy
from engine.core.waits import Wait


class Wake(Enum):
    """What the engine must do when a conversation's wake-up time comes."""

    DEADLINE = "deadline"
    RETRY = "retry"
    REPLAN = "replan"
    """A newer state's grace ends before the deadline: plan again then (no decision)."""


@dataclass(frozen=True, slots=True)
class Plan:
    status: Status
    reason: Reason | None = None
    threshold: float | None = None
    deadline: float | None = None
    wake_at: float | None = None
    wake: Wake | None = None
    due_at: float | None = None
    """When the threshold in force runs out for this wait (waiting since + threshold +
    extension), held or not: how far past it a held row is. None without a threshold."""
    grace: Standing | None = None
    """Set while the agent's newer state is within its grace (`engine.core.grace`): `reason`
    is then the threshold the deadline falls under, the pending state's or the one before."""


def plan_conversation(
    wait: Wait | None,
    inflight: Inflight | None,
    *,
    decided: bool,
    skill: str | None,
    spells: tuple[Spell, ...],
    bot: bool,
    holding: tuple[bool, float | None],
    policy: Policy,
    dry_run: bool,
    now: float,
) -> Plan | None:
    """Where a conversation stands; None when it is not watched (no human agent, no wait).

    `inflight` is the unassign under way (a raced one counts as none); `decided`: the wait was
    decided already (in dry run), so it is never decided again: "would-unassign" while dry run
    lasts, "not-sent" after; `holding`: (held, until); `spells`: the agent's recent states
    (none while their presence is unknown); `now`: when the plan is made (a grace is judged
    at it).
    """
    held, until = holding
    if inflight is not None and not inflight.raced:
        due, reason = inflight.action.due_at, inflight.action.reason
        threshold = policy.threshold(skill, reason)
        if inflight.state is not ActionState.FAILED:
            return Plan(Status.UNASSIGNING, reason, threshold, due, due_at=due)
        if held:
            return Plan(Status.HELD, reason, threshold, due, due_at=due)
        retry = inflight.retry_at
        return Plan(Status.FAILED, reason, threshold, due, retry, Wake.RETRY, due_at=due)
    if wait is None or bot:
        return None
    plan = plan_wait(
        wait, skill=skill, spells=spells, hold_until=until, held=held, policy=policy, now=now
    )
    if decided:
        status = Status.WOULD_UNASSIGN if dry_run else Status.NOT_SENT
        return Plan(status, plan.reason, plan.threshold, due_at=plan.due_at)
    return plan


def plan_wait(
    wait: Wait,
    *,
    skill: str | None,
    spells: tuple[Spell, ...],
    hold_until: float | None,
    held: bool,
    policy: Policy,
    now: float,
) -> Plan:
    """The plan for a watched conversation that has no unassign under way.

    `held` with `hold_until=None` exempts it until released; with a time, until then (the
    engine re-plans when the hold ends).
    """
    if wait.manual_at is not None:
        manual = wait.manual_at
        return Plan(Status.WATCHING, Reason.MANUAL, 0.0, manual, manual, Wake.DEADLINE, manual)
    if not spells:
        return Plan(Status.HELD) if held and hold_until is None else Plan(Status.NO_PRESENCE)
    stand = standing(spells, lambda r: policy.grace_seconds(skill, r), now)
    reason, threshold, due = due_under(stand, wait, skill, policy)
    grace = stand if stand.pending is not None else None
    if held and hold_until is None:
        return Plan(Status.HELD, reason, threshold, due_at=due, grace=grace)
    if due is None:
        return Plan(Status.OFF, reason, grace=grace)
    if held and hold_until is not None:
        return Plan(Status.HELD, reason, threshold, max(due, hold_until), due_at=due, grace=grace)
    status = Status.EXTENDED if wait.extension > 0 else Status.WATCHING
    if grace is not None and grace.switch_at is not None and grace.switch_at < due:
        return Plan(status, reason, threshold, due, grace.switch_at, Wake.REPLAN, due, grace)
    return Plan(status, reason, threshold, due, due, Wake.DEADLINE, due, grace)


def due_under(
    stand: Standing, wait: Wait, skill: str | None, policy: Policy
) -> tuple[Reason, float | None, float | None]:
    """(the threshold the deadline falls under, its seconds, the deadline) if the agent stays
    in their current state: the threshold in force while it is due before a pending state
    takes over, else the pending state's, from the moment it does (None: off). A threshold
    that took over at the end of a grace applies from then on, never before."""
    start = wait.waiting_since + wait.extension
    now = policy.threshold(skill, stand.reason)
    due = max(stand.since, start + now) if now is not None else None
    if stand.pending is None or stand.switch_at is None:
        return stand.reason, now, due
    if due is not None and due < stand.switch_at:
        return stand.reason, now, due
    later = policy.threshold(skill, stand.pending)
    if later is None:
        return stand.pending, None, None
    return stand.pending, later, max(stand.switch_at, start + later)
