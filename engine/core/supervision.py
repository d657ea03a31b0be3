"""Supervisor commands: whether the engine can carry one out (and the words when it cannot),
and carrying it out on the parts it changes, with its audit event."""

from __future__ import annotations

import json
from dataclasses import dataclass

from engine.core.audit import AuditType
from engine.core.commands import (
    Command,
    Extend,
    Hold,
    HoldAgent,
    Release,
    ReleaseAgent,
    Seen,
    SetDryRun,
    SetPolicy,
    UnassignNow,
)
from engine.core.effects import EffectsBuffer
from engine.core.floor import Floor
from engine.core.holds import Holds, Target
from engine.core.inflight import InFlight
from engine.core.mode import Mode
from engine.core.model import AgentId, ConvId
from engine.core.record import ConversationRecord


@dataclass(frozen=True, slots=True)
class Touched:
    """What a command changed, for the engine to re-plan."""

    conv: ConvId | None = None
    agent: AgentId | None = None
    everything: bool = False


def refusal(
    command: Command, now: float, floor: Floor, holds: Holds, inflight: InFlight
) -> str | None:
    """Why `command` cannot be carried out at `now`; None when it can."""
    changed = changed_since_seen(command, floor)
    if changed is not None:
        return f"{changed}; nothing was done"
    match command:
        case Hold(until=until) | HoldAgent(until=until) if until is not None and until <= now:
            return "a hold must end in the future"
        case HoldAgent() | ReleaseAgent():
            if isinstance(command, ReleaseAgent) and not holds.is_held(Target.AGENT, command.agent):
                return f"release agent {command.agent}: the agent is not held"
            return None
        case (
            Hold(conv=conv_id)
            | Release(conv=conv_id)
            | Extend(conv=conv_id)
            | UnassignNow(conv=conv_id)
        ) if floor.get(conv_id) is None:
            return f"conversation {conv_id} is not open (unknown or closed)"
        case Extend(conv=conv_id, seconds=seconds):
            conv = floor.get(conv_id)
            if not seconds > 0:
                return f"extend {conv_id}: seconds must be positive, got {seconds}"
            if conv is not None and conv.pending_since is None:
                return f"extend {conv_id}: no consumer message is waiting for an answer"
            if conv is not None and conv.agent is None:  # its next agent starts afresh
                return f"extend {conv_id}: it is in the queue, waiting on no agent"
        case UnassignNow(conv=conv_id):
            conv = floor.get(conv_id)
            agent = floor.agent(conv.agent) if conv is not None else None
            if conv is None or conv.agent is None or (agent is not None and agent.bot):
                return f"unassign {conv_id}: no human agent is assigned"
            under_way = inflight.get(conv_id)
            if under_way is not None and not under_way.raced:
                return f"unassign {conv_id}: an unassign is already under way"
    return None


def changed_since_seen(command: Command, floor: Floor) -> str | None:
    """What changed in the row the supervisor acted on, if they saw it (`command.seen`)."""
    seen = getattr(command, "seen", None)
    if not isinstance(seen, Seen):
        return None
    conv = floor.get(seen.conv)
    if conv is None:
        return f"{seen.conv} has left the floor (closed)"
    if conv.agent != seen.agent:
        if conv.agent is None:
            return f"{seen.conv} is back in the queue"
        return f"{seen.conv} is now with {conv.agent}"
    wait = conv.wait()
    key = wait.key if wait is not None else None
    if key != seen.wait_key:
        if key is None:
            return f"{conv.agent} has answered {seen.conv}"
        return f"{seen.conv} waits on a newer message than the one shown"
    return None


def until_text(until: float | None) -> str:
    return "until released" if until is None else f"until {until:.3f}"


def carry_out(
    command: Command,
    now: float,
    *,
    mode: Mode,
    floor: Floor,
    holds: Holds,
    effects: EffectsBuffer,
) -> Touched:
    """Apply a command that `refusal` allowed, and audit it."""
    by = command.by
    match command:
        case Hold(conv=conv_id, until=until):
            holds.hold(Target.CONVERSATION, conv_id, until, by)
            conv = _open(floor, conv_id)
            effects.note(
                AuditType.OVERRIDE_HOLD,
                now,
                conv=conv_id,
                agent=conv.agent,
                by=by,
                detail=until_text(until),
            )
            return Touched(conv=conv_id)
        case Release(conv=conv_id):
            holds.release(Target.CONVERSATION, conv_id)
            conv = _open(floor, conv_id)
            conv.extension, conv.manual_at = 0.0, None
            effects.note(AuditType.OVERRIDE_RELEASE, now, conv=conv_id, agent=conv.agent, by=by)
            return Touched(conv=conv_id)
        case Extend(conv=conv_id, seconds=seconds):
            conv = _open(floor, conv_id)
            conv.extension += seconds
            detail = f"+{seconds:g} s"
            effects.note(
                AuditType.OVERRIDE_EXTEND, now, conv=conv_id, agent=conv.agent, by=by, detail=detail
            )
            return Touched(conv=conv_id)
        case UnassignNow(conv=conv_id):
            conv = _open(floor, conv_id)
            conv.manual_at = now
            effects.note(
                AuditType.OVERRIDE_UNASSIGN_NOW, now, conv=conv_id, agent=conv.agent, by=by
            )
            return Touched(conv=conv_id)
        case HoldAgent(agent=agent, until=until):
            holds.hold(Target.AGENT, agent, until, by)
            effects.note(AuditType.OVERRIDE_HOLD, now, agent=agent, by=by, detail=until_text(until))
            return Touched(agent=agent)
        case ReleaseAgent(agent=agent):
            holds.release(Target.AGENT, agent)
            effects.note(AuditType.OVERRIDE_RELEASE, now, agent=agent, by=by)
            return Touched(agent=agent)
        case SetPolicy(policy=policy):
            mode.policy = policy
            detail = json.dumps(policy.to_mapping(), sort_keys=True)
            effects.note(AuditType.POLICY_CHANGED, now, by=by, detail=detail)
            return Touched(everything=True)
        case SetDryRun(on=on) if on != mode.dry_run:
            mode.dry_run = on  # waits decided in dry run stay decided (shown "not-sent")
            effects.note(AuditType.DRY_RUN_CHANGED, now, by=by, detail="on" if on else "off")
            return Touched(everything=True)
    return Touched()


def _open(floor: Floor, conv_id: ConvId) -> ConversationRecord:
    conv = floor.get(conv_id)
    assert conv is not None, "refusal() lets through commands on open conversations only"
    return conv
