"""One conversation in full, for the detail view: who holds it, what the feed showed of it,
and how its deadline was worked out (the threshold in force and where it came from, the
extension, the holds).

`conversation_detail()` is a pure function of the engine's parts as they stand; the audit
events of the conversation are the store's, and the service adds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from engine.core.floor import Floor
from engine.core.holds import Holds
from engine.core.model import AgentId, AgentState, Reason
from engine.core.policy import Policy
from engine.core.record import ConversationRecord
from engine.core.timeline import History
from engine.core.views import ConversationView


class Source(StrEnum):
    """Where the threshold in force comes from."""

    DEFAULT = "default"
    SKILL = "skill"
    """The conversation's skill overrides the default for this state."""
    SUPERVISOR = "supervisor"
    """A supervisor asked to unassign it now: no threshold, the deadline is the request."""


@dataclass(frozen=True, slots=True)
class Hold:
    until: float | None
    """None: until released."""


@dataclass(frozen=True, slots=True)
class DeadlineBasis:
    """How the deadline of a waiting conversation is worked out."""

    waiting_since: float
    reason: Reason | None
    """The threshold in force (the agent's state), None while their presence is unknown."""
    threshold: float | None
    """Seconds the threshold allows; None when it is off (or no presence)."""
    source: Source
    extension: float
    due_at: float | None
    """waiting_since + threshold + extension (None: no threshold)."""
    conversation_hold: Hold | None
    agent_hold: Hold | None


@dataclass(frozen=True, slots=True)
class ConversationDetail:
    view: ConversationView | None
    """The row as the table shows it; None when the conversation is not watched."""
    skill: str | None
    consumer: str | None
    agent: AgentId | None
    agent_name: str | None
    agent_state: AgentState | None
    agent_since: float | None
    bot: bool
    assigned_at: float | None
    basis: DeadlineBasis | None
    """None when nobody waits for the agent (no consumer message pending, no agent)."""
    history: History


def threshold_source(policy: Policy, skill: str | None, reason: Reason) -> Source:
    """Where `policy.threshold(skill, reason)` takes its value from."""
    if reason is Reason.MANUAL:
        return Source.SUPERVISOR
    override = policy.skills.get(skill) if skill is not None else None
    return Source.SKILL if override is not None and reason in override else Source.DEFAULT


def conversation_detail(
    conv: ConversationRecord,
    view: ConversationView | None,
    *,
    floor: Floor,
    holds: Holds,
    policy: Policy,
) -> ConversationDetail:
    agent = floor.agent(conv.agent)
    return ConversationDetail(
        view=view,
        skill=conv.skill,
        consumer=conv.consumer,
        agent=conv.agent,
        agent_name=agent.name if agent is not None and agent.name != agent.agent_id else None,
        agent_state=agent.state if agent is not None else None,
        agent_since=agent.since if agent is not None else None,
        bot=agent is not None and agent.bot,
        assigned_at=conv.assigned_at,
        basis=_basis(conv, view, holds, policy),
        history=floor.history(conv.conv_id),
    )


def _basis(
    conv: ConversationRecord, view: ConversationView | None, holds: Holds, policy: Policy
) -> DeadlineBasis | None:
    wait = conv.wait()
    if wait is None:
        return None
    reason = view.reason if view is not None else None
    threshold = view.threshold if view is not None else None
    source = threshold_source(policy, conv.skill, reason) if reason is not None else Source.DEFAULT
    return DeadlineBasis(
        waiting_since=wait.waiting_since,
        reason=reason,
        threshold=threshold,
        source=source,
        extension=wait.extension,
        due_at=view.due_at if view is not None else None,
        conversation_hold=_hold(holds.holding(conv.conv_id, conv.agent, agents=False)),
        agent_hold=_hold(holds.holding(conv.conv_id, conv.agent, own=False)),
    )


def _hold(holding: tuple[bool, float | None]) -> Hold | None:
    held, until = holding
    return Hold(until) if held else None
