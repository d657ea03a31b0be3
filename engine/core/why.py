"""Why not yet: for one conversation, why the engine has not unassigned it (held, counting
down, off, waiting for fresh data, under way...), as facts for the UI to put in words.

`why_not()` is a pure function of the engine's parts as they stand at `now`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from engine.core.detail import Source, threshold_source
from engine.core.floor import Floor
from engine.core.freshness import Freshness
from engine.core.grace import Standing
from engine.core.holds import Holds, Target
from engine.core.inflight import InFlight
from engine.core.model import AgentId, ConvId, Reason, Status
from engine.core.plan import Plan
from engine.core.policy import Policy
from engine.core.schedule import Schedule


class Why(StrEnum):
    UNWATCHED = "unwatched"
    """Not watched at all (see `Unwatched`)."""
    HELD = "held"
    COUNTING = "counting"
    """Its deadline has not passed."""
    STALE = "stale"
    """Due, but the feed cannot prove it is current."""
    BARRIER = "barrier"
    """Due on a fresh feed: waiting for a keep-alive round trip that began after the deadline."""
    OFF = "off"
    NO_PRESENCE = "no-presence"
    UNDER_WAY = "under-way"
    """Decided and sent: waiting for the feed to show the agent gone."""
    RETRYING = "retrying"
    DECIDED = "decided"
    """Decided in dry run (never sent)."""


class Unwatched(StrEnum):
    CLOSED = "closed"
    """Closed, or never seen on the feed."""
    QUEUED = "queued"
    BOT = "bot"
    NOT_WAITING = "not-waiting"
    """No consumer message waits for the agent's answer."""


@dataclass(frozen=True, slots=True)
class HeldBy:
    by: str
    """Who set the hold ("" when not known)."""
    until: float | None
    agent: AgentId | None = None
    """Set when it is the agent's hold (on all their conversations)."""


@dataclass(frozen=True, slots=True)
class WhyNot:
    conv_id: ConvId
    why: Why
    unwatched: Unwatched | None = None
    reason: Reason | None = None
    threshold: float | None = None
    source: Source | None = None
    skill: str | None = None
    due_at: float | None = None
    grace: Standing | None = None
    """The agent's newer state still within its grace, when there is one."""
    hold: HeldBy | None = None
    retry_at: float | None = None
    error: str | None = None
    stale: str = ""
    """Why the feed is stale (for `Why.STALE`)."""
    dry_run: bool = False


def why_not(
    conv_id: ConvId,
    now: float,
    *,
    floor: Floor,
    holds: Holds,
    inflight: InFlight,
    schedule: Schedule,
    freshness: Freshness,
    policy: Policy,
) -> WhyNot:
    conv = floor.get(conv_id)
    plan = schedule.plan(conv_id)
    if conv is None:
        return WhyNot(conv_id, Why.UNWATCHED, Unwatched.CLOSED)
    if plan is None:
        agent = floor.agent(conv.agent)
        if conv.agent is None:
            cause = Unwatched.QUEUED
        else:
            cause = Unwatched.BOT if agent is not None and agent.bot else Unwatched.NOT_WAITING
        return WhyNot(conv_id, Why.UNWATCHED, cause, skill=conv.skill)
    why = _why(plan, now, freshness)
    source = threshold_source(policy, conv.skill, plan.reason) if plan.reason else None
    underway = inflight.get(conv_id)
    return WhyNot(
        conv_id,
        why,
        reason=plan.reason,
        threshold=plan.threshold,
        source=source,
        skill=conv.skill,
        due_at=plan.due_at,
        grace=plan.grace,
        hold=_hold(holds, conv_id, conv.agent) if why is Why.HELD else None,
        retry_at=plan.wake_at if why is Why.RETRYING else None,
        error=underway.last_error if underway is not None else None,
        stale=freshness.why_stale if why is Why.STALE else "",
        dry_run=plan.status is Status.WOULD_UNASSIGN,
    )


def _why(plan: Plan, now: float, freshness: Freshness) -> Why:
    match plan.status:
        case Status.HELD:
            return Why.HELD
        case Status.OFF:
            return Why.OFF
        case Status.NO_PRESENCE:
            return Why.NO_PRESENCE
        case Status.UNASSIGNING:
            return Why.UNDER_WAY
        case Status.FAILED:
            return Why.RETRYING
        case Status.WOULD_UNASSIGN | Status.NOT_SENT:
            return Why.DECIDED
    if plan.deadline is not None and plan.deadline > now:
        return Why.COUNTING
    return Why.BARRIER if freshness.fresh else Why.STALE


def _hold(holds: Holds, conv_id: ConvId, agent: AgentId | None) -> HeldBy:
    """The hold that keeps it longest: the conversation's own, else its agent's."""
    own, own_until = holds.holding(conv_id, agent, agents=False)
    agents, agent_until = holds.holding(conv_id, agent, own=False)
    longer = own_until is None or (agent_until is not None and agent_until <= own_until)
    if own and (not agents or longer):
        return HeldBy(holds.held_by(Target.CONVERSATION, conv_id), own_until)
    assert agent is not None
    return HeldBy(holds.held_by(Target.AGENT, agent), agent_until, agent)
