"""The automatic agent unassign engine: pure, clock-injected, no I/O.

Feed events, supervisor commands and action results go in; audit events and `Unassign`
commands come out through `drain()`. Every method takes `now` (platform time, seconds).
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from engine.core.actions import Unassign
from engine.core.audit import ENGINE, AuditEvent, AuditType
from engine.core.commands import (
    Command,
    Extend,
    Hold,
    HoldAgent,
    Refused,
    Release,
    ReleaseAgent,
    SetPolicy,
    UnassignNow,
)
from engine.core.deadlines import DeadlineHeap, Entry
from engine.core.events import (
    ActionSucceeded,
    AgentChanged,
    BarrierCompleted,
    ConversationChanged,
    ConversationGone,
    FeedFresh,
    FeedStale,
    LinkEvent,
)
from engine.core.model import AgentId, ConvId, Reason, Status, reason_for
from engine.core.overrides import Overrides
from engine.core.plan import Plan, Wake, plan_wait
from engine.core.policy import Policy
from engine.core.state import ActionState, AgentRecord, ConversationRecord, Inflight
from engine.core.views import AgentView, ConversationView, FeedView

RETRY_BASE_SECONDS = 2.0
RETRY_MAX_SECONDS = 60.0
MAX_BARRIER_AGE = 2.0
"""A decision needs a barrier that began at most this long before it: a barrier that took
longer to come back (a stalled feed) proves nothing about what arrived while it was out."""


class EngineError(ValueError):
    """A supervisor command that cannot be carried out; the message says why."""


@dataclass
class Effects:
    """What the engine produced since the last `drain()`."""

    audit: list[AuditEvent] = field(default_factory=list)
    actions: list[Unassign] = field(default_factory=list)


def retry_delay(attempt: int) -> float:
    """Seconds before retry number `attempt` (1-based): 2, 4, 8 ... capped at 60."""
    return min(RETRY_BASE_SECONDS * 2.0 ** (attempt - 1), RETRY_MAX_SECONDS)


class Engine:
    def __init__(
        self,
        policy: Policy | None = None,
        *,
        dry_run: bool = False,
        max_barrier_age: float = MAX_BARRIER_AGE,
    ) -> None:
        self._policy = policy or Policy()
        self._max_barrier_age = max_barrier_age
        self._dry_run = dry_run
        self._convs: dict[ConvId, ConversationRecord] = {}
        self._closed: set[ConvId] = set()
        self._by_agent: dict[AgentId, set[ConvId]] = {}
        self._agents: dict[AgentId, AgentRecord] = {}
        self._agent_holds: dict[AgentId, float | None] = {}
        self._heap = DeadlineHeap()
        """Deadlines and retries: acted on only under a barrier."""
        self._hold_ends = DeadlineHeap()
        """Ends of timed conversation holds: no action, so never waiting for a barrier."""
        self._agent_hold_ends: list[tuple[float, AgentId]] = []
        """Ends of timed agent holds (stale entries are skipped when they surface)."""
        self._fresh = False
        self._barrier_at: float | None = None
        self._barrier_wanted: float | None = None
        self._effects = Effects()
        self._changed: set[ConvId] = set()
        self._restored_holds: dict[ConvId, float | None] = {}
        self._restored_extensions: dict[ConvId, float] = {}
        self._decided: set[str] = set()
        """Keys of every wait decided, so the same wait is never decided twice."""
        self._resume: set[str] = set()
        """Waits decided before a restart: acted on again as retries, never decided anew."""

    # ------------------------------------------------------------------ outputs

    def drain(self) -> Effects:
        """Audit events and commands produced since the last call, in order."""
        effects, self._effects = self._effects, Effects()
        return effects

    def take_changed(self) -> set[ConvId]:
        """Conversations whose view changed since the last call (for batched UI updates)."""
        changed, self._changed = self._changed, set()
        return changed

    @property
    def barrier_wanted(self) -> float | None:
        """The earliest due time waiting for a freshness barrier that starts at or after it."""
        return self._barrier_wanted

    # ------------------------------------------------------------------ feed

    def apply(self, event: LinkEvent, now: float) -> None:
        if isinstance(event, ConversationChanged):
            self._conversation_changed(event, now)
        elif isinstance(event, ConversationGone):
            self._close(event.conv_id)
        elif isinstance(event, AgentChanged):
            self._agent_changed(event)
        elif isinstance(event, FeedStale):
            self.feed_stale(now, event.detail)
        elif isinstance(event, FeedFresh):
            self.feed_fresh(now, event.as_of, event.detail)
        elif isinstance(event, BarrierCompleted):
            self.barrier_completed(event.started_at)
        elif isinstance(event, ActionSucceeded):
            self.action_succeeded(event.action, now)
        else:
            self.action_failed(event.action, event.error, now)

    def execute(self, command: Command, now: float) -> Refused | None:
        """Carry out a supervisor command; a `Refused` says why it could not be."""
        try:
            if isinstance(command, Hold):
                self.hold(command.conv, command.until, by=command.by, now=now)
            elif isinstance(command, Release):
                self.release(command.conv, by=command.by, now=now)
            elif isinstance(command, Extend):
                self.extend(command.conv, command.seconds, by=command.by, now=now)
            elif isinstance(command, UnassignNow):
                self.unassign_now(command.conv, by=command.by, now=now)
            elif isinstance(command, HoldAgent):
                self.hold_agent(command.agent, command.until, by=command.by, now=now)
            elif isinstance(command, ReleaseAgent):
                self.release_agent(command.agent, by=command.by, now=now)
            elif isinstance(command, SetPolicy):
                self.set_policy(command.policy, by=command.by, now=now)
            else:
                self.set_dry_run(command.on, by=command.by, now=now)
        except EngineError as exc:
            return Refused(command, str(exc))
        return None

    @property
    def read(self) -> Engine:
        return self

    def feed_stale(self, now: float, detail: str = "") -> None:
        """The feed can no longer prove it is current: hold every decision."""
        if self._fresh:
            self._fresh = False
            self._audit(AuditType.FEED_STALE, now, detail=detail)

    def feed_fresh(self, now: float, as_of: float, detail: str = "") -> None:
        """A resync completed: everything the platform had at `as_of` has been applied."""
        self._barrier_at = max(self._barrier_at or as_of, as_of)
        if not self._fresh:
            self._fresh = True
            self._audit(AuditType.FEED_FRESH, now, detail=detail)

    def barrier_completed(self, started_at: float) -> None:
        """A keep-alive round trip (and presence reading) that began at `started_at` completed."""
        if self._barrier_at is None or started_at > self._barrier_at:
            self._barrier_at = started_at

    # ------------------------------------------------------------------ time

    def tick(self, now: float) -> None:
        """Act on everything due by `now` that a completed barrier covers. Costs O(due)."""
        self._barrier_wanted = None
        self._end_agent_holds(now)
        while (ending := self._hold_ends.peek_valid(self._is_current)) is not None:
            if ending[0] > now:
                break
            self._hold_ends.pop()
            self._end_holds(self._convs[ending[2]], now)
        while (entry := self._heap.peek_valid(self._is_current)) is not None:
            at, _, conv_id = entry
            if at > now:
                return
            conv = self._convs[conv_id]
            plan = conv.plan
            assert plan is not None
            if not self._covered(at, now):
                self._barrier_wanted = at
                return
            self._heap.pop()
            if plan.wake is Wake.RETRY:
                self._retry(conv, now)
            else:
                self._decide(conv, plan, at, now)

    def _covered(self, due_at: float, now: float) -> bool:
        """Fresh feed, and a barrier that began at or after `due_at` and not long before now."""
        barrier = self._barrier_at
        return (
            self._fresh
            and barrier is not None
            and barrier >= due_at
            and now - barrier <= self._max_barrier_age
        )

    def next_wake(self) -> float | None:
        """When `tick` next has something to do (a deadline, a hold ending or a retry)."""
        entries = (heap.peek_valid(self._is_current) for heap in (self._heap, self._hold_ends))
        times = [entry[0] for entry in entries if entry is not None]
        times += [until for until, agent in self._agent_hold_ends[:1]]
        return min(times, default=None)

    # ------------------------------------------------------------------ action results

    def action_succeeded(self, action: Unassign, now: float) -> None:
        """The platform accepted the unassign; the feed will confirm it."""
        self._audit(AuditType.UNASSIGN_SENT, now, action=action, detail=f"attempt {action.attempt}")
        conv = self._convs.get(action.conv_id)
        if (
            conv is not None
            and conv.inflight is not None
            and conv.inflight.action.key == action.key
        ):
            conv.inflight.state = ActionState.SENT
            self._replan(conv)

    def action_failed(self, action: Unassign, error: str, now: float) -> None:
        """The platform refused the unassign or it timed out: retry with backoff."""
        self._audit(AuditType.UNASSIGN_FAILED, now, action=action, detail=error)
        conv = self._convs.get(action.conv_id)
        if conv is None or conv.inflight is None or conv.inflight.action.key != action.key:
            return
        if conv.inflight.raced:
            conv.inflight = None
        else:
            conv.inflight.state = ActionState.FAILED
            conv.inflight.last_error = error
            conv.inflight.retry_at = now + retry_delay(action.attempt)
        self._replan(conv)

    # ------------------------------------------------------------------ supervisor commands

    def hold(self, conv_id: ConvId, until: float | None, *, by: str, now: float) -> None:
        conv = self._require(conv_id)
        self._check_until(until, now)
        conv.held, conv.hold_until = True, until
        self._audit(AuditType.OVERRIDE_HOLD, now, conv=conv, by=by, detail=_until_text(until))
        self._replan(conv)

    def release(self, conv_id: ConvId, *, by: str, now: float) -> None:
        """Clear a conversation's hold, extension and pending manual unassign."""
        conv = self._require(conv_id)
        conv.held, conv.hold_until, conv.extension, conv.manual_at = False, None, 0.0, None
        self._audit(AuditType.OVERRIDE_RELEASE, now, conv=conv, by=by)
        self._replan(conv)

    def extend(self, conv_id: ConvId, seconds: float, *, by: str, now: float) -> None:
        conv = self._require(conv_id)
        if not seconds > 0:
            raise EngineError(f"extend {conv_id}: seconds must be positive, got {seconds}")
        if conv.pending_since is None:
            raise EngineError(f"extend {conv_id}: no consumer message is waiting for an answer")
        conv.extension += seconds
        self._audit(AuditType.OVERRIDE_EXTEND, now, conv=conv, by=by, detail=f"+{seconds:g} s")
        self._replan(conv)

    def unassign_now(self, conv_id: ConvId, *, by: str, now: float) -> None:
        conv = self._require(conv_id)
        agent = self._agents.get(conv.agent) if conv.agent is not None else None
        if conv.agent is None or (agent is not None and agent.bot):
            raise EngineError(f"unassign {conv_id}: no human agent is assigned")
        if conv.inflight is not None and not conv.inflight.raced:
            raise EngineError(f"unassign {conv_id}: an unassign is already under way")
        conv.manual_at = now
        self._audit(AuditType.OVERRIDE_UNASSIGN_NOW, now, conv=conv, by=by)
        self._replan(conv)

    def hold_agent(self, agent_id: AgentId, until: float | None, *, by: str, now: float) -> None:
        """Exempt every conversation of an agent (e.g. an agent in training)."""
        self._check_until(until, now)
        self._agent_holds[agent_id] = until
        if until is not None:
            heapq.heappush(self._agent_hold_ends, (until, agent_id))
        self._audit(AuditType.OVERRIDE_HOLD, now, agent=agent_id, by=by, detail=_until_text(until))
        self._replan_agent(agent_id)

    def release_agent(self, agent_id: AgentId, *, by: str, now: float) -> None:
        if agent_id not in self._agent_holds:
            raise EngineError(f"release agent {agent_id}: the agent is not held")
        del self._agent_holds[agent_id]
        self._audit(AuditType.OVERRIDE_RELEASE, now, agent=agent_id, by=by)
        self._replan_agent(agent_id)

    def set_policy(self, policy: Policy, *, by: str, now: float) -> None:
        """Apply new thresholds to every watched conversation at once."""
        self._policy = policy
        self._audit(
            AuditType.POLICY_CHANGED,
            now,
            by=by,
            detail=json.dumps(policy.to_mapping(), sort_keys=True),
        )
        decisions: list[Entry] = []
        hold_ends: list[Entry] = []
        for conv in self._convs.values():
            self._replan(conv, push=False)
            plan = conv.plan
            if plan is not None and plan.wake_at is not None:
                queue = hold_ends if plan.wake is Wake.HOLD_ENDS else decisions
                queue.append((plan.wake_at, conv.version, conv.conv_id))
        self._heap.rebuild(decisions)
        self._hold_ends.rebuild(hold_ends)

    def set_dry_run(self, on: bool, *, by: str, now: float) -> None:
        """Dry run decides and audits but never acts. Waits decided in dry run stay decided."""
        if on == self._dry_run:
            return
        self._dry_run = on
        self._audit(AuditType.DRY_RUN_CHANGED, now, by=by, detail="on" if on else "off")

    # ------------------------------------------------------------------ persistence

    def overrides(self) -> Overrides:
        return Overrides(
            conv_holds=MappingProxyType(
                self._restored_holds
                | {c.conv_id: c.hold_until for c in self._convs.values() if c.held}
            ),
            agent_holds=MappingProxyType(dict(self._agent_holds)),
            extensions=MappingProxyType(
                self._restored_extensions
                | {c.conv_id: c.extension for c in self._convs.values() if c.extension > 0}
            ),
            dry_run=self._dry_run,
        )

    def restore(self, overrides: Overrides, decided: Iterable[str] = ()) -> None:
        """Reapply saved overrides; holds on conversations not seen yet apply when they appear.

        `decided` are the keys of waits decided before a restart: they are never decided again;
        one still open when its conversation reappears is retried (same key) unless in dry run.
        """
        self._dry_run = overrides.dry_run
        self._agent_holds = dict(overrides.agent_holds)
        for agent, until in self._agent_holds.items():
            if until is not None:
                heapq.heappush(self._agent_hold_ends, (until, agent))
        self._decided |= set(decided)
        self._resume |= set(decided)
        self._restored_holds = dict(overrides.conv_holds)
        self._restored_extensions = dict(overrides.extensions)
        for conv in self._convs.values():
            self._adopt_restored(conv)
            self._replan(conv)

    def _adopt_restored(self, conv: ConversationRecord) -> None:
        if conv.conv_id in self._restored_holds:
            conv.held, conv.hold_until = True, self._restored_holds.pop(conv.conv_id)
        if conv.conv_id in self._restored_extensions:
            conv.extension = self._restored_extensions.pop(conv.conv_id)

    # ------------------------------------------------------------------ read model

    @property
    def policy(self) -> Policy:
        return self._policy

    @property
    def dry_run(self) -> bool:
        return self._dry_run

    def feed(self) -> FeedView:
        return FeedView(self._fresh, self._barrier_at)

    def watched_ids(self) -> Iterator[ConvId]:
        return (c.conv_id for c in self._convs.values() if c.plan is not None)

    def watched_count(self) -> int:
        return sum(1 for c in self._convs.values() if c.plan is not None)

    def conversation(self, conv_id: ConvId) -> ConversationView | None:
        conv = self._convs.get(conv_id)
        if conv is None or conv.plan is None:
            return None
        agent = self._agents.get(conv.agent) if conv.agent is not None else None
        wait = conv.wait()
        plan = conv.plan
        return ConversationView(
            conv_id=conv.conv_id,
            consumer=conv.consumer,
            skill=conv.skill,
            agent=conv.agent,
            agent_state=agent.state if agent is not None else None,
            waiting_since=wait.waiting_since if wait is not None else None,
            reason=plan.reason,
            threshold=plan.threshold,
            deadline=plan.deadline,
            status=plan.status,
            hold_until=self._hold_until(conv),
            extension=conv.extension,
            last_error=conv.inflight.last_error if conv.inflight is not None else None,
        )

    def agents(self) -> list[AgentView]:
        views = []
        for agent in self._agents.values():
            conv_ids = self._by_agent.get(agent.agent_id, set())
            waiting = sum(1 for c in conv_ids if self._convs[c].pending_since is not None)
            views.append(
                AgentView(
                    agent_id=agent.agent_id,
                    name=agent.name,
                    state=agent.state,
                    since=agent.since,
                    bot=agent.bot,
                    held=agent.agent_id in self._agent_holds,
                    open_conversations=len(conv_ids),
                    waiting_conversations=waiting,
                )
            )
        return views

    # ------------------------------------------------------------------ internals

    def _conversation_changed(self, change: ConversationChanged, now: float) -> None:
        if change.conv_id in self._closed:
            return
        conv = self._convs.get(change.conv_id)
        if conv is None:
            if not change.open:
                self._closed.add(change.conv_id)
                return
            conv = ConversationRecord(
                conv_id=change.conv_id,
                metadata_ts=change.metadata_ts,
                skill=change.skill,
                agent=change.agent,
                consumer=change.consumer,
                assigned_at=change.metadata_ts if change.agent is not None else None,
            )
            self._convs[conv.conv_id] = conv
            self._index(conv.conv_id, conv.agent)
            self._adopt_restored(conv)
        elif change.metadata_ts >= conv.metadata_ts:
            if not change.open:
                self._close(conv.conv_id)
                return
            conv.metadata_ts = change.metadata_ts
            conv.skill, conv.consumer = change.skill, change.consumer
            if change.agent != conv.agent:
                self._agent_left(conv, change.agent, now)
        if change.last_message is not None and conv.apply_message(change.last_message):
            self._agent_answered(conv, now)
        self._resume_after_restart(conv, now)
        self._replan(conv)

    def _resume_after_restart(self, conv: ConversationRecord, now: float) -> None:
        wait = conv.wait()
        if wait is None or wait.key not in self._resume or conv.agent is None:
            return
        self._resume.discard(wait.key)
        if self._dry_run or conv.inflight is not None:
            return
        reason = Reason.MANUAL if wait.manual_at is not None else Reason.ONLINE
        agent = self._agents.get(conv.agent)
        if agent is not None and wait.manual_at is None:
            reason = reason_for(agent.state)
        action = Unassign(conv.conv_id, conv.agent, reason, now, now, wait.key)
        conv.inflight = Inflight(
            action, ActionState.FAILED, retry_at=now, last_error="resumed after a restart"
        )

    def _agent_left(self, conv: ConversationRecord, new_agent: AgentId | None, now: float) -> None:
        """The assigned agent changed: confirm an unassign under way and start afresh."""
        inflight = conv.inflight
        if inflight is not None and inflight.action.agent == conv.agent:
            self._audit(AuditType.UNASSIGN_CONFIRMED, now, action=inflight.action)
        conv.inflight = None
        self._unindex(conv.conv_id, conv.agent)
        conv.agent = new_agent
        conv.assigned_at = conv.metadata_ts if new_agent is not None else None
        conv.extension, conv.manual_at = 0.0, None
        self._index(conv.conv_id, new_agent)

    def _agent_answered(self, conv: ConversationRecord, now: float) -> None:
        inflight = conv.inflight
        if inflight is None or inflight.raced:
            return
        self._audit(
            AuditType.UNASSIGN_RACED, now, action=inflight.action, detail="the agent answered first"
        )
        if inflight.state is ActionState.FAILED:
            conv.inflight = None
        else:
            inflight.raced = True

    def _close(self, conv_id: ConvId) -> None:
        self._closed.add(conv_id)
        conv = self._convs.pop(conv_id, None)
        if conv is not None:
            self._unindex(conv_id, conv.agent)
            self._changed.add(conv_id)

    def _agent_changed(self, event: AgentChanged) -> None:
        known = self._agents.get(event.agent_id)
        if known is not None:
            if event.since < known.since:
                return
            unchanged = known.state is event.state and known.bot == event.bot
            known.state, known.since, known.bot = event.state, event.since, event.bot
            known.name = event.name or known.name
            if unchanged:
                return
        else:
            self._agents[event.agent_id] = AgentRecord(
                event.agent_id, event.state, event.since, event.name or event.agent_id, event.bot
            )
        self._replan_agent(event.agent_id)

    def _decide(self, conv: ConversationRecord, plan: Plan, due_at: float, now: float) -> None:
        wait = conv.wait()
        assert wait is not None and conv.agent is not None and plan.reason is not None
        action = Unassign(conv.conv_id, conv.agent, plan.reason, due_at, now, wait.key)
        self._decided.add(wait.key)
        conv.manual_at = None  # the request is answered by this decision
        detail = f"{now - due_at:.1f} s past the deadline"
        if self._dry_run:
            detail += "; dry run: not sent"
        self._audit(
            AuditType.UNASSIGN_DECIDED, now, action=action, detail=detail, as_of=self._barrier_at
        )
        if not self._dry_run:
            conv.inflight = Inflight(action, ActionState.DECIDED)
            self._effects.actions.append(action)
        self._replan(conv)

    def _retry(self, conv: ConversationRecord, now: float) -> None:
        inflight = conv.inflight
        assert inflight is not None
        if self._dry_run:
            conv.inflight = None  # dry run never acts, retries included
            self._replan(conv)
            return
        inflight.action = replace(inflight.action, attempt=inflight.action.attempt + 1, sent_at=now)
        inflight.state, inflight.retry_at = ActionState.DECIDED, None
        self._effects.actions.append(inflight.action)
        self._replan(conv)

    def _end_holds(self, conv: ConversationRecord, now: float) -> None:
        if conv.held and conv.hold_until is not None and conv.hold_until <= now:
            conv.held, conv.hold_until = False, None
            self._audit(AuditType.OVERRIDE_RELEASE, now, conv=conv, detail="hold ended")
        self._replan(conv)

    def _end_agent_holds(self, now: float) -> None:
        ends = self._agent_hold_ends
        while ends and ends[0][0] <= now:
            until, agent = heapq.heappop(ends)
            if agent in self._agent_holds and self._agent_holds[agent] == until:
                del self._agent_holds[agent]
                self._audit(AuditType.OVERRIDE_RELEASE, now, agent=agent, detail="hold ended")
                self._replan_agent(agent)

    def _plan(self, conv: ConversationRecord) -> Plan | None:
        wait = conv.wait()
        inflight = conv.inflight
        if inflight is not None and not inflight.raced:
            due = inflight.action.due_at
            reason = inflight.action.reason
            if inflight.state is ActionState.FAILED and not self._is_held_now(conv):
                return Plan(Status.FAILED, reason, None, due, inflight.retry_at, Wake.RETRY)
            if inflight.state is ActionState.FAILED:
                until = self._holding(conv)[1]
                wake = None if until is None else Wake.HOLD_ENDS
                return Plan(Status.HELD, reason, None, due, until, wake)
            return Plan(Status.UNASSIGNING, reason, None, due)
        if wait is None or conv.agent is None:
            return None
        agent = self._agents.get(conv.agent)
        if agent is not None and agent.bot:
            return None
        if wait.key in self._decided:
            return Plan(Status.WOULD_UNASSIGN)
        held, until = self._holding(conv)
        return plan_wait(
            wait,
            skill=conv.skill,
            agent_state=agent.state if agent is not None else None,
            hold_until=until,
            held=held,
            policy=self._policy,
        )

    def _holding(self, conv: ConversationRecord) -> tuple[bool, float | None]:
        """Whether a hold applies, and until when (None: until released)."""
        untils: list[float | None] = []
        if conv.held:
            untils.append(conv.hold_until)
        if conv.agent is not None and conv.agent in self._agent_holds:
            untils.append(self._agent_holds[conv.agent])
        if not untils:
            return False, None
        if None in untils:
            return True, None
        return True, max(u for u in untils if u is not None)

    def _is_held_now(self, conv: ConversationRecord) -> bool:
        return self._holding(conv)[0]

    def _hold_until(self, conv: ConversationRecord) -> float | None:
        held, until = self._holding(conv)
        return until if held else None

    def _replan(self, conv: ConversationRecord, *, push: bool = True) -> None:
        new = self._plan(conv)
        old = conv.plan
        conv.plan = new
        self._changed.add(conv.conv_id)
        if _wake_of(old) == _wake_of(new):
            return
        conv.version += 1
        if push and new is not None and new.wake_at is not None:
            heap = self._hold_ends if new.wake is Wake.HOLD_ENDS else self._heap
            heap.push(new.wake_at, conv.version, conv.conv_id)

    def _replan_agent(self, agent_id: AgentId) -> None:
        for conv_id in self._by_agent.get(agent_id, ()):
            self._replan(self._convs[conv_id])

    def _is_current(self, entry: Entry) -> bool:
        conv = self._convs.get(entry[2])
        return conv is not None and conv.version == entry[1]

    def _index(self, conv_id: ConvId, agent: AgentId | None) -> None:
        if agent is not None:
            self._by_agent.setdefault(agent, set()).add(conv_id)

    def _unindex(self, conv_id: ConvId, agent: AgentId | None) -> None:
        if agent is not None:
            self._by_agent.get(agent, set()).discard(conv_id)

    def _require(self, conv_id: ConvId) -> ConversationRecord:
        conv = self._convs.get(conv_id)
        if conv is None:
            raise EngineError(f"conversation {conv_id} is not open (unknown or closed)")
        return conv

    @staticmethod
    def _check_until(until: float | None, now: float) -> None:
        if until is not None and until <= now:
            raise EngineError("a hold must end in the future")

    def _audit(
        self,
        type_: AuditType,
        now: float,
        *,
        conv: ConversationRecord | None = None,
        agent: AgentId | None = None,
        action: Unassign | None = None,
        by: str = ENGINE,
        detail: str = "",
        as_of: float | None = None,
    ) -> None:
        if action is not None:
            event = AuditEvent(
                now,
                type_,
                action.conv_id,
                action.agent,
                action.reason,
                by,
                detail,
                action.key,
                as_of,
            )
        else:
            conv_agent = conv.agent if conv is not None else agent
            event = AuditEvent(
                now, type_, conv.conv_id if conv is not None else None, conv_agent, None, by, detail
            )
        self._effects.audit.append(event)


def _wake_of(plan: Plan | None) -> tuple[float | None, Wake | None]:
    return (None, None) if plan is None else (plan.wake_at, plan.wake)


def _until_text(until: float | None) -> str:
    return "until released" if until is None else f"until {until:.3f}"
