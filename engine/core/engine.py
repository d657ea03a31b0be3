"""The automatic agent unassign engine: pure, clock-injected, no I/O.

A small facade over parts that own their state and return what changed: the floor
(conversations and agents), holds, unassigns in flight, the schedule of plans and wake-ups,
freshness (barriers), and the effects buffer. Link events go in through `apply`, supervisor
commands through `execute`, time through `tick`; audit events and `Unassign`s come out of
`drain()`. Every method takes `now` (platform time, seconds). The UI reads `read`.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from engine.core.audit import AuditEvent, AuditType
from engine.core.commands import Command, GiveBack, Refused
from engine.core.decide import Decider
from engine.core.effects import Effects, EffectsBuffer
from engine.core.events import (
    ActionFailed,
    ActionSucceeded,
    AgentChanged,
    BarrierCompleted,
    ConversationChanged,
    ConversationGone,
    FeedFresh,
    FeedStale,
    LinkEvent,
    MayAct,
    MessagesRead,
)
from engine.core.fallback import Moves
from engine.core.floor import Floor, Update
from engine.core.freshness import MAX_BARRIER_AGE, Freshness
from engine.core.give_back import GiveBacks
from engine.core.holds import Holds, Target
from engine.core.inflight import InFlight
from engine.core.mode import Mode
from engine.core.model import AgentId, ConvId
from engine.core.overrides import Overrides
from engine.core.plan import Wake
from engine.core.policy import Policy
from engine.core.preview import Previews, plan_record
from engine.core.read_model import ReadModel
from engine.core.recall import recalled
from engine.core.results import action_result
from engine.core.schedule import Schedule
from engine.core.supervision import carry_out, refusal
from engine.core.tally import Tally


class Engine:
    def __init__(
        self,
        policy: Policy | None = None,
        *,
        dry_run: bool = False,
        max_barrier_age: float = MAX_BARRIER_AGE,
        skills: Iterable[str] = (),
    ) -> None:
        """`skills`: the skills whose conversations this engine watches (a shard of a floor;
        "-1" names those without a skill); none: every skill."""
        self._mode = Mode(policy or Policy(), dry_run)
        self._floor = Floor(frozenset(skills))
        self._holds = Holds()
        self._inflight = InFlight()
        self._schedule = Schedule()
        self._freshness = Freshness(max_barrier_age)
        self._effects = EffectsBuffer()
        self._tally = Tally(self._floor.skill_agents)
        self._moves = Moves()
        self._give_backs = GiveBacks()
        self._decider = Decider(
            self._mode, self._freshness, self._inflight, self._moves, self._effects
        )
        self.read = ReadModel(
            mode=self._mode,
            floor=self._floor,
            holds=self._holds,
            inflight=self._inflight,
            schedule=self._schedule,
            freshness=self._freshness,
            effects=self._effects,
            tally=self._tally,
            give_backs=self._give_backs,
        )
        self.preview = Previews(
            mode=self._mode,
            floor=self._floor,
            holds=self._holds,
            inflight=self._inflight,
            schedule=self._schedule,
        )
        """What a policy change or a release would do, before it is made."""

    # ------------------------------------------------------------------ the four doors

    def apply(self, event: LinkEvent, now: float) -> None:
        """One event from the link: feed news, feed freshness, or an action's result."""
        self._mode.now = now
        match event:
            case ConversationChanged():
                update = self._floor.conversation_changed(event)
                if update is not None:
                    self._conversation_updated(update, now)
            case ConversationGone():
                self._close(event.conv_id, now)
            case MessagesRead():
                if self._inflight.get(event.conv_id) is None and self._floor.messages_read(
                    event.conv_id, event.messages
                ):
                    self._conversation_updated(Update(event.conv_id), now)
            case AgentChanged():
                if self._floor.agent_changed(event):
                    self._replan_agent(event.agent_id)
            case FeedStale():
                if self._freshness.stale(event.detail):
                    self._effects.note(AuditType.FEED_STALE, now, detail=event.detail)
            case FeedFresh():
                if self._freshness.resynced(event.as_of):
                    self._effects.note(AuditType.FEED_FRESH, now, detail=event.detail)
            case BarrierCompleted():
                self._freshness.completed(event.started_at)
            case MayAct():
                fresh = self._freshness.permit(event.allowed, event.detail)
                if fresh is not None:
                    kind = AuditType.FEED_FRESH if fresh else AuditType.FEED_STALE
                    self._effects.note(kind, now, detail=event.detail)
            case ActionSucceeded() | ActionFailed():
                parts = (self._inflight, self._give_backs, self._effects)
                if (conv_id := action_result(event, now, *parts)) is not None:
                    self._replan(conv_id)

    def execute(self, command: Command, now: float) -> Refused | None:
        """Carry out a supervisor command; a `Refused` says why it could not be."""
        self._mode.now = now
        if isinstance(command, GiveBack):
            why = self._give_backs.execute(command, now, self._floor, self._inflight, self._effects)
            return None if why is None else Refused(command, why)
        reason = refusal(command, now, self._floor, self._holds, self._inflight)
        if reason is not None:
            return Refused(command, reason)
        touched = carry_out(
            command,
            now,
            mode=self._mode,
            floor=self._floor,
            holds=self._holds,
            effects=self._effects,
        )
        if touched.conv is not None:
            self._replan(touched.conv)
        if touched.agent is not None:
            self._replan_agent(touched.agent)
        if touched.everything:
            for conv in self._floor.conversations():
                self._replan(conv.conv_id, push=False)
            self._schedule.reschedule()
        return None

    def tick(self, now: float) -> None:
        """End the holds due by `now`, then act on everything due that a completed barrier
        covers. Costs O(due)."""
        self._mode.now = now
        self._freshness.wanted = None
        for ended in self._holds.expire(now):
            if ended.target is Target.AGENT:
                self._effects.note(
                    AuditType.OVERRIDE_RELEASE, now, agent=ended.id, detail="hold ended"
                )
                self._replan_agent(ended.id)
            else:
                agent = self._agent_of(ended.id)
                self._effects.note(
                    AuditType.OVERRIDE_RELEASE, now, conv=ended.id, agent=agent, detail="hold ended"
                )
                if self._floor.get(ended.id) is not None:
                    self._replan(ended.id)
        while (due := self._schedule.next_due(now)) is not None:
            at, conv_id, wake = due
            if at > now:
                return
            if wake is Wake.REPLAN:  # a grace ended: no decision, so no barrier needed
                self._schedule.pop()
                self._replan(conv_id)
                continue
            if not self._freshness.covers(at, now):
                self._freshness.wanted = at
                return
            self._schedule.pop()
            if wake is Wake.RETRY:
                retry = self._inflight.retry(conv_id, now, dry_run=self._mode.dry_run)
                if retry is not None:
                    self._effects.act(retry)
            else:
                self._decide(conv_id, at, now)
            self._replan(conv_id)

    def drain(self) -> Effects:
        """Audit events and actions produced since the last call, in order."""
        return self._effects.drain()

    # ------------------------------------------------------------------ for the wiring

    @property
    def barrier_wanted(self) -> float | None:
        """The earliest due time waiting for a freshness barrier that starts at or after it."""
        return self._freshness.wanted

    def next_wake(self) -> float | None:
        """When `tick` next has something to do (a deadline, a hold ending or a retry)."""
        times = [self._schedule.next_wake(), self._holds.next_end()]
        return min((t for t in times if t is not None), default=None)

    def overrides(self) -> Overrides:
        """What a supervisor set, to save: holds, extensions and dry run."""
        return Overrides(
            conv_holds=MappingProxyType(self._holds.saved(Target.CONVERSATION)),
            agent_holds=MappingProxyType(self._holds.saved(Target.AGENT)),
            extensions=MappingProxyType(dict(self._floor.extensions())),
            dry_run=self._mode.dry_run,
        )

    def restore(
        self, overrides: Overrides, decided: Iterable[str] = (), policy: Policy | None = None
    ) -> None:
        """Reapply saved overrides, in place of those set; holds on conversations not seen
        yet apply when they appear. `policy`: a saved policy, in place of the one in force.

        `decided` are the keys of waits decided before a restart: they are never decided again;
        one still open when its conversation reappears is retried (same key) unless in dry run.
        """
        if policy is not None:
            self._mode.policy = policy
        self._mode.dry_run = overrides.dry_run
        self._holds.restore(overrides.conv_holds, overrides.agent_holds)
        self._floor.restore_extensions(overrides.extensions)
        self._inflight.restore(decided)
        for conv in list(self._floor.conversations()):
            self._replan(conv.conv_id)

    def take_unproven(self) -> list[ConvId]:
        """Conversations whose wait may have begun before the first message the feed showed:
        their messages are to be read (`MessagesRead`), once each."""
        return self._floor.take_unproven()

    def recall(self, audit: Iterable[AuditEvent]) -> None:
        """The floor's unassigns of the last hour from its audit, whichever engine wrote them
        (after a restart, or on taking a team floor over): their moves count against
        `moves_per_hour`, and give back knows whom each conversation was taken from."""
        found = recalled(audit)
        for move in found.moves:
            self._moves.moved(move.conv, move.key, move.at)
        for conv_id, agent in found.taken.items():
            self._give_backs.unassigned(conv_id, agent)

    def withdraw(self, conv_id: ConvId, key: str) -> None:
        """A decision the store did not record (a team floor's lease lost, its database out
        of reach): forgotten, so that its wait is decided again under its key once due."""
        self._inflight.withdraw(conv_id, key)
        if self._floor.get(conv_id) is not None:
            self._replan(conv_id)

    # ------------------------------------------------------------------ internals

    def _conversation_updated(self, update: Update, now: float) -> None:
        conv_id = update.conv_id
        if update.closed:
            self._close(conv_id, now)
            return
        conv = self._floor.get(conv_id)
        assert conv is not None
        self._tally.conversation(conv_id, conv.skill, conv.agent, conv.metadata_ts)
        if update.reassigned:
            confirmed = self._inflight.agent_left(conv_id, update.left)
            if confirmed is not None:
                self._effects.note_action(AuditType.UNASSIGN_CONFIRMED, now, action=confirmed)
                self._tally.confirmed(confirmed, conv, now)
                if confirmed.to_skill is not None:
                    self._moves.moved(conv_id, confirmed.key, now)
                self._give_backs.unassigned(conv_id, confirmed.agent)
            self._give_backs.reassigned(conv_id, conv.agent, now, self._effects)
        if not self._floor.watches(conv.skill):  # moved to another shard's skill
            self._close(conv_id, now, left=True)
            return
        if update.answered:
            raced = self._inflight.agent_answered(conv_id)
            if raced is not None:
                detail = "the agent answered first"
                self._effects.note_action(
                    AuditType.UNASSIGN_RACED, now, action=raced, detail=detail
                )
        wait = conv.wait()
        if wait is not None and conv.agent is not None:
            agent = self._floor.agent(conv.agent)
            state = agent.state if agent is not None else None
            self._inflight.resume(conv_id, wait, conv.agent, state, now, dry_run=self._mode.dry_run)
        self._replan(conv_id)

    def _close(self, conv_id: ConvId, now: float, *, left: bool = False) -> None:
        """The conversation closed, or `left` the engine's skills (its hold and its moves are
        kept for when it comes back)."""
        self._floor.close(conv_id, left=left)
        self._tally.closed(conv_id, now)
        if not left:
            self._holds.forget(conv_id)
            self._moves.forget(conv_id)
        self._inflight.forget(conv_id)
        self._give_backs.forget(conv_id)
        self._schedule.forget(conv_id)
        self._effects.touch(conv_id)

    def _decide(self, conv_id: ConvId, due_at: float, now: float) -> None:
        conv, plan = self._floor.get(conv_id), self._schedule.plan(conv_id)
        assert conv is not None and plan is not None
        self._decider.decide(conv, plan, due_at, now)

    def _replan(self, conv_id: ConvId, *, push: bool = True) -> None:
        conv = self._floor.get(conv_id)
        assert conv is not None
        plan = plan_record(
            conv,
            floor=self._floor,
            holds=self._holds,
            inflight=self._inflight,
            policy=self._mode.policy,
            dry_run=self._mode.dry_run,
            now=self._mode.now,
        )
        self._schedule.set(conv_id, plan, push=push)
        self._tally.plan(conv_id, plan, conv.skill, conv.agent)
        self._effects.touch(conv_id)

    def _replan_agent(self, agent_id: AgentId) -> None:
        for conv_id in self._floor.conversations_of(agent_id):
            self._replan(conv_id)

    def _agent_of(self, conv_id: ConvId) -> AgentId | None:
        conv = self._floor.get(conv_id)
        return conv.agent if conv is not None else None
