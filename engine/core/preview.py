"""What a supervisor's change would do, worked out before it is made: a new policy, a release.

The screens ask before such a change and show these figures; the rule (how a deadline is
computed) stays `plan.py`'s, applied here to the proposed state instead of the current one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from engine.core.floor import Floor
from engine.core.holds import Holds
from engine.core.inflight import InFlight
from engine.core.mode import Mode
from engine.core.model import AgentId, ConvId
from engine.core.plan import Plan, Wake, plan_conversation
from engine.core.policy import Policy
from engine.core.record import ConversationRecord
from engine.core.schedule import Schedule


@dataclass(frozen=True, slots=True)
class PolicyPreview:
    """How a proposed policy changes the watched conversations' deadlines, at one moment."""

    due_now: tuple[ConvId, ...]
    """Not due before, due at once under the new policy: unassigned (or, in dry run, decided)
    as soon as a barrier proves the floor current."""
    later: int
    """A later deadline than before (or none: the threshold turned off)."""
    earlier: int
    """A deadline earlier than before (or a new one), still in the future."""
    dry_run: bool
    """Dry run is on: what becomes due is decided and recorded, not sent."""


def plan_record(
    conv: ConversationRecord,
    *,
    floor: Floor,
    holds: Holds,
    inflight: InFlight,
    policy: Policy,
    dry_run: bool,
    now: float,
    released: bool = False,
    agent_released: bool = False,
) -> Plan | None:
    """The plan of one conversation as the parts stand (`plan_conversation`'s facts).

    `released`: as if a supervisor released it now (its own hold, extension and request to
    unassign cleared; an agent's hold stays); `agent_released`: as if its agent's hold ended."""
    agent = floor.agent(conv.agent)
    wait = conv.wait()
    if released and wait is not None:
        wait = replace(wait, extension=0.0, manual_at=None)
    held = holds.holding(conv.conv_id, conv.agent, own=not released, agents=not agent_released)
    return plan_conversation(
        wait if conv.agent is not None else None,
        inflight.get(conv.conv_id),
        decided=wait is not None and inflight.was_decided(wait.key),
        skill=conv.skill,
        spells=agent.spells if agent is not None else (),
        bot=agent is not None and agent.bot,
        holding=held,
        policy=policy,
        dry_run=dry_run,
        now=now,
    )


class Previews:
    """Read-only: nothing here changes the engine."""

    def __init__(
        self, *, mode: Mode, floor: Floor, holds: Holds, inflight: InFlight, schedule: Schedule
    ) -> None:
        self._mode = mode
        self._floor = floor
        self._holds = holds
        self._inflight = inflight
        self._schedule = schedule

    def policy(self, proposed: Policy, now: float) -> PolicyPreview:
        """What applying `proposed` at `now` would do to every watched conversation."""
        due_now: list[ConvId] = []
        later = earlier = 0
        for conv_id in self._schedule.watched():
            conv = self._floor.get(conv_id)
            if conv is None:
                continue
            before = _deadline(self._schedule.plan(conv_id))
            after = _deadline(self._plan(conv, proposed, now))
            if before == after:
                continue
            if after is not None and after <= now:
                if before is None or before > now:
                    due_now.append(conv_id)
            elif before is not None and (after is None or after > before):
                later += 1
            elif after is not None:
                earlier += 1
        return PolicyPreview(tuple(sorted(due_now)), later, earlier, self._mode.dry_run)

    def release(self, conv_id: ConvId, now: float) -> float | None:
        """Seconds past its deadline a release at `now` would find the conversation, which is
        then unassigned at once; None when releasing it unassigns nothing now."""
        conv = self._floor.get(conv_id)
        return None if conv is None else self._late(conv, now, released=True)

    def release_agent(self, agent: AgentId, now: float) -> dict[ConvId, float]:
        """The agent's conversations that ending the agent's hold at `now` unassigns at once,
        each with how many seconds past its deadline it is."""
        late: dict[ConvId, float] = {}
        for conv_id in sorted(self._floor.conversations_of(agent)):
            conv = self._floor.get(conv_id)
            seconds = None if conv is None else self._late(conv, now, agent_released=True)
            if seconds is not None:
                late[conv_id] = seconds
        return late

    def _late(
        self,
        conv: ConversationRecord,
        now: float,
        *,
        released: bool = False,
        agent_released: bool = False,
    ) -> float | None:
        before = _deadline(self._schedule.plan(conv.conv_id))
        if before is not None and before <= now:
            return None  # due already: releasing changes nothing
        after = self._plan(
            conv, self._mode.policy, now, released=released, agent_released=agent_released
        )
        due = _deadline(after)
        if after is None or due is None or due > now:
            return None
        return now - (after.due_at if after.due_at is not None else due)

    def _plan(
        self,
        conv: ConversationRecord,
        policy: Policy,
        now: float,
        *,
        released: bool = False,
        agent_released: bool = False,
    ) -> Plan | None:
        return plan_record(
            conv,
            floor=self._floor,
            holds=self._holds,
            inflight=self._inflight,
            policy=policy,
            dry_run=self._mode.dry_run,
            now=now,
            released=released,
            agent_released=agent_released,
        )


def _deadline(plan: Plan | None) -> float | None:
    """When the plan decides the wait (None: it never will as it stands)."""
    if plan is None or plan.wake not in (Wake.DEADLINE, Wake.REPLAN):
        return None
    return plan.deadline
