"""Property-based tests: random operation histories against a brute-force reference.

A run feeds the engine a random history (feed changes with duplicates, stale metadata and
out-of-order sequences; presence readings, some stale; holds, releases, extensions, manual
unassigns, per-agent holds, policy changes; stale/fresh feed, barriers, ticks, action results)
and checks every `unassign.decided` against `Reference`, which re-derives each fact from the
whole history written so far with the rules of DESIGN.md, without looking at engine state.
Policies carry a grace per state (and per skill): the reference finds the state in force by
brute force (the newest run of readings in one threshold's state that has lasted its grace,
else the first) and the deadline as the earliest candidate moment at which the wait has
lasted the threshold then in force.

- `test_decisions_are_safe`: (a) no decision on a stale feed or without a recent barrier that
  covers the due time; (b) never for an answered, held, closed, queued or bot conversation;
  (c) the due time is the reference deadline; (d) a wait key is never decided twice;
  (e) actions only outside dry run. Any refusal must be one the reference predicts.
- `test_decisions_are_on_time*`: zero latency (a barrier at every tick, ticks at every wake-up
  and every reference deadline): everything due is decided exactly when it becomes due (the
  decision time equals the deadline, or the end of the hold or the event that made it due),
  every failed unassign still under way and not held is retried when its delay is up, and
  views show the reference's waiting_since, deadline, reason and status.
- `test_dry_run_never_acts`: dry run switched on and off at random.
- `test_late_duplicates_change_nothing`: the ordered deliveries plus late copies end in the
  same views (and decisions) as the ordered deliveries.
- `test_reordering_and_duplicates_are_ignored_by_sequence_and_timestamp`: any shuffle with
  duplicates ends like the same shuffle with every stale part dropped (old metadata, older
  sequences, older presence). A shuffle can not end like the ordered history in general: a
  conversation first seen through a later change was assigned, as far as the engine can know,
  at that change's time.

Known engine bugs are pinned with `@example` so that they fail on every run; the generated
histories are derandomized, so a failure found in CI reproduces locally.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, assert_never

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from engine.core import (
    ActionFailed,
    ActionSucceeded,
    AgentChanged,
    AgentState,
    AuditEvent,
    AuditType,
    BarrierCompleted,
    ConversationChanged,
    ConversationGone,
    Engine,
    FeedEvent,
    FeedFresh,
    FeedStale,
    LastMessage,
    Policy,
    Reason,
    Refused,
    Status,
    Unassign,
)
from engine.core import commands as cmd
from engine.core.freshness import MAX_BARRIER_AGE
from engine.core.inflight import retry_delay

PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,  # the same histories on every run: CI failures reproduce
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

CONVS = ("c1", "c2", "c3", "c4", "c5")
"""c1-c3 are open from the start; c4 and c5 appear when a change first shows them."""
AGENTS = ("a1", "a2", "a3", "b1")
"""a3 has no presence until a reading says so; b1 is a bot."""
BOT = "b1"
SKILLS = ("sales", "billing")
STATE_FIELD = {
    AgentState.ONLINE: "online",
    AgentState.AWAY: "away",
    AgentState.BACK_SOON: "away",
    AgentState.OFFLINE: "offline",
}
REASON_OF_FIELD = {"online": Reason.ONLINE, "away": Reason.AWAY, "offline": Reason.OFFLINE}

# ====================================================================== operations


@dataclass(frozen=True)
class Change:
    """A conversation change. `meta`: keep the metadata in force (new timestamp), move it to
    `agent`/`skill`, send metadata older than the one in force, or repeat the last change."""

    conv: str
    meta: Literal["keep", "move", "stale", "dup"]
    agent: str | None
    skill: str
    message: Literal["none", "consumer", "agent", "old"]
    gap: bool = False
    lag: float = 0.0
    old_from_consumer: bool = False
    close: bool = False


@dataclass(frozen=True)
class Gone:
    conv: str


@dataclass(frozen=True)
class Presence:
    agent: str
    state: AgentState
    stale: bool = False


@dataclass(frozen=True)
class Hold:
    conv: str
    for_seconds: float | None


@dataclass(frozen=True)
class Release:
    conv: str


@dataclass(frozen=True)
class Extend:
    conv: str
    seconds: float


@dataclass(frozen=True)
class UnassignNow:
    conv: str


@dataclass(frozen=True)
class HoldAgent:
    agent: str
    for_seconds: float | None


@dataclass(frozen=True)
class ReleaseAgent:
    agent: str


@dataclass(frozen=True)
class SetPolicy:
    policy: Policy


@dataclass(frozen=True)
class Stale:
    pass


@dataclass(frozen=True)
class Fresh:
    lag: float


@dataclass(frozen=True)
class Barrier:
    lag: float


@dataclass(frozen=True)
class Tick:
    barrier_lag: float | None


@dataclass(frozen=True)
class Result:
    pick: int
    ok: bool


@dataclass(frozen=True)
class DryRun:
    on: bool


FEED_OPS = (Change, Gone, Presence, Stale, Fresh, Barrier, Tick, Result)
"""What the platform and the link do: changes, presence, freshness, time, action results."""
FeedOp = Change | Gone | Presence | Stale | Fresh | Barrier | Tick | Result
CommandOp = Hold | Release | Extend | UnassignNow | HoldAgent | ReleaseAgent | SetPolicy | DryRun
"""What a supervisor does."""
Op = FeedOp | CommandOp


@dataclass(frozen=True)
class Step:
    dt: float
    op: Op


# ====================================================================== strategies

thresholds = st.sampled_from([None, 0, 5, 20, 45, 60])
graces = st.sampled_from([0, 0.5, 3, 10, 30])


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    data: dict[str, Any] = {f: draw(thresholds) for f in ("online", "away", "offline")}
    override = draw(st.dictionaries(st.sampled_from(["online", "away", "offline"]), thresholds))
    data["grace"] = draw(st.dictionaries(st.sampled_from(["online", "away", "offline"]), graces))
    billing: dict[str, Any] = dict(override)
    if draw(st.booleans()):
        billing["grace"] = draw(
            st.dictionaries(st.sampled_from(["online", "away", "offline"]), graces)
        )
    data["skills"] = {"billing": billing}
    return Policy.from_mapping(data)


convs = st.sampled_from(["c1"] * 4 + ["c2"] * 2 + ["c3", "c4", "c5"])
"""Most operations land on c1, so that they meet: holds, manual unassigns and races on the
same conversation."""
agents = st.sampled_from(AGENTS)
lags = st.sampled_from([0.0, 0.0, 1.0, 3.0])
holds_for = st.one_of(st.none(), st.sampled_from([0.5, 5.0, 30.0, 90.0]))

changes = st.builds(
    Change,
    conv=convs,
    meta=st.sampled_from(["keep"] * 6 + ["move"] * 2 + ["stale", "dup"]),
    agent=st.one_of(st.none(), agents),
    skill=st.sampled_from(SKILLS),
    message=st.sampled_from(["consumer"] * 4 + ["agent"] * 3 + ["none"] * 2 + ["old"]),
    gap=st.booleans(),
    lag=lags,
    old_from_consumer=st.booleans(),
    close=st.sampled_from([False] * 39 + [True]),
)


def operations(*, manual: bool, feed_faults: bool, dry_run_switch: bool) -> st.SearchStrategy[Op]:
    weighted: list[tuple[int, st.SearchStrategy[Op]]] = [
        (6, changes),
        (1, st.builds(Gone, convs)),
        (2, st.builds(Presence, agents, st.sampled_from(list(AgentState)), st.booleans())),
        (1, st.builds(Hold, convs, holds_for)),
        (1, st.builds(Release, convs)),
        (1, st.builds(Extend, convs, st.sampled_from([5.0, 20.0]))),
        (1, st.builds(HoldAgent, agents, holds_for)),
        (1, st.builds(ReleaseAgent, agents)),
        (1, st.builds(SetPolicy, policies())),
        (4, st.builds(Result, st.integers(0, 3), st.booleans())),
        (6, st.builds(Tick, lags)),
        (1, st.builds(Tick, st.none())),
    ]
    if manual:
        weighted.append((2, st.builds(UnassignNow, convs)))
    if feed_faults:
        weighted += [
            (1, st.just(Stale())),
            (2, st.builds(Fresh, lags)),
            (1, st.builds(Barrier, lags)),
        ]
    if dry_run_switch:
        weighted.append((2, st.builds(DryRun, st.booleans())))
    # sampled_from over repeated names weighs the kinds (one_of would merge equal branches)
    names = [str(n) for n, (weight, _) in enumerate(weighted) for _ in range(weight)]
    return st.sampled_from(names).flatmap(lambda name: weighted[int(name)][1])


def histories(**kinds: bool) -> st.SearchStrategy[list[Step]]:
    steps = st.builds(
        Step, st.sampled_from([0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 40.0, 70.0]), operations(**kinds)
    )
    return st.integers(15, 60).flatmap(lambda n: st.lists(steps, min_size=n, max_size=n))


# ====================================================================== history records


@dataclass(frozen=True)
class Fed:
    change: ConversationChanged


@dataclass(frozen=True)
class Closed:
    conv: str


@dataclass(frozen=True)
class Reading:
    reading: AgentChanged


@dataclass(frozen=True)
class Held:
    conv: str
    until: float | None


@dataclass(frozen=True)
class Released:
    conv: str


@dataclass(frozen=True)
class Extended:
    conv: str
    seconds: float


@dataclass(frozen=True)
class ManualAsked:
    conv: str
    at: float


@dataclass(frozen=True)
class AgentHeld:
    agent: str
    until: float | None


@dataclass(frozen=True)
class AgentReleased:
    agent: str


@dataclass(frozen=True)
class PolicySet:
    policy: Policy


@dataclass(frozen=True)
class DryRunSet:
    on: bool


WaitKey = tuple[str, str, float]


@dataclass(frozen=True)
class Decided:
    conv: str
    manual: bool
    wait: WaitKey | None
    dry_run: bool
    key: str
    """The engine's idempotency key of the decision: its retries carry it."""


Record = (
    Fed
    | Closed
    | Reading
    | Held
    | Released
    | Extended
    | ManualAsked
    | AgentHeld
    | AgentReleased
    | PolicySet
    | DryRunSet
    | Decided
)

# ====================================================================== the reference


@dataclass
class ConvFacts:
    """One conversation as the rules describe it, derived from the history."""

    open: bool = False
    agent: str | None = None
    skill: str | None = None
    assigned_at: float | None = None
    pending_since: float | None = None
    """Server time of the first consumer message after the last agent message."""
    extension: float = 0.0
    manual_at: float | None = None
    underway: bool = False
    """An unassign decided (not in dry run) that is neither confirmed nor raced (an agent
    message after the decision)."""
    underway_key: str | None = None
    dry_run_since_decision: bool = False
    """Dry run was switched on while it was under way: a retry that comes due in dry run may
    drop it, so whether it is still under way is left open."""
    hold: tuple[bool, float | None] = (False, None)
    """(held, until) of the conversation's own hold, as last set and not released."""
    max_seq: int = -1
    """Highest message sequence applied."""
    newest_from_consumer: bool | None = None
    """Who wrote the newest message applied (by sequence); None before any."""


Kind = Literal[
    "not-watched", "underway", "decided", "no-presence", "off", "held", "due-at", "manual"
]


@dataclass(frozen=True)
class Expect:
    kind: Kind
    at: float | None = None
    """When it is due (the deadline, pushed to a hold's end), for due-at and manual."""
    deadline: float | None = None
    reason: Reason | None = None
    waiting_since: float | None = None
    extension: float = 0.0
    held_until: float | None = None


def wait_start(run: list[LastMessage], before: LastMessage | None) -> float | None:
    """The first of the consumer messages `run` after the last gap in the sequence (messages
    the feed never showed may hold an answer), `before` being the message that precedes them."""
    start = 0
    previous = before
    for n, message in enumerate(run):
        if previous is not None and message.sequence > previous.sequence + 1:
            start = n
        previous = message
    after = run[start:]
    return after[0].at if after else None


class Reference:
    """Re-derives every fact from the complete history, the way DESIGN.md states the rules."""

    def __init__(self, history: Sequence[Record], initial_policy: Policy) -> None:
        self.history = history
        self.initial_policy = initial_policy
        self._cache: dict[tuple[str, str], Any] = {}
        self._cached_at = 0

    def _memo(self, what: str, key: str, derive: Callable[[], Any]) -> Any:
        """Each derivation reads the whole history; the history only grows, so a result stays
        right until the next record (this only saves time)."""
        if self._cached_at != len(self.history):
            self._cache.clear()
            self._cached_at = len(self.history)
        if (what, key) not in self._cache:
            self._cache[what, key] = derive()
        return self._cache[what, key]

    # ---------------------------------------------------------------- feed facts

    def conv(self, conv_id: str) -> ConvFacts:
        facts: ConvFacts = self._memo("conv", conv_id, lambda: self._conv(conv_id))
        return facts

    def _conv(self, conv_id: str) -> ConvFacts:
        facts = ConvFacts()
        seen = closed = False
        meta_ts = 0.0
        assigned_idx = released_idx = manual_done_idx = -1
        messages: list[tuple[int, LastMessage]] = []
        for i, rec in enumerate(self.history):
            if isinstance(rec, Closed) and rec.conv == conv_id:
                closed = True
            if closed or not isinstance(rec, Fed) or rec.change.conv_id != conv_id:
                continue
            change = rec.change
            if not seen or change.metadata_ts >= meta_ts:  # metadata not older than held
                if not change.open:
                    closed = True
                    continue
                if not seen or change.agent != facts.agent:
                    assigned_idx = i
                    facts.assigned_at = change.metadata_ts if change.agent is not None else None
                seen = True
                meta_ts, facts.agent, facts.skill = (
                    change.metadata_ts,
                    change.agent,
                    change.skill,
                )
            message = change.last_message
            if message is not None and message.sequence > facts.max_seq:  # newer sequence only
                facts.max_seq = message.sequence
                messages.append((i, message))
        facts.open = seen and not closed
        if not facts.open:
            return facts
        # waiting_since: first consumer message after the last agent message
        last_agent = max(
            (n for n, (_, m) in enumerate(messages) if not m.from_consumer), default=-1
        )
        facts.pending_since = wait_start(
            [m for _, m in messages[last_agent + 1 :]],
            messages[last_agent][1] if last_agent >= 0 else None,
        )
        facts.newest_from_consumer = messages[-1][1].from_consumer if messages else None
        agent_msg_idx = messages[last_agent][0] if last_agent >= 0 else -1
        for i, rec in enumerate(self.history):
            if isinstance(rec, Released) and rec.conv == conv_id:
                released_idx = i
                facts.hold = (False, None)
            elif isinstance(rec, Held) and rec.conv == conv_id:
                facts.hold = (True, rec.until)
            elif isinstance(rec, Decided) and rec.conv == conv_id and rec.manual:
                manual_done_idx = i
        ext_from = max(assigned_idx, agent_msg_idx, released_idx)
        facts.extension = sum(
            rec.seconds
            for i, rec in enumerate(self.history)
            if i > ext_from and isinstance(rec, Extended) and rec.conv == conv_id
        )
        manual_from = max(assigned_idx, released_idx, manual_done_idx)
        for i, rec in enumerate(self.history):
            if i > manual_from and isinstance(rec, ManualAsked) and rec.conv == conv_id:
                facts.manual_at = rec.at
        # under way from a live decision until the agent changes or writes (a race)
        decided = [
            i
            for i, rec in enumerate(self.history)
            if i > max(assigned_idx, agent_msg_idx)
            and isinstance(rec, Decided)
            and rec.conv == conv_id
            and not rec.dry_run
        ]
        facts.underway = bool(decided)
        if decided:
            last = self.history[decided[-1]]
            assert isinstance(last, Decided)
            facts.underway_key = last.key
        facts.dry_run_since_decision = bool(decided) and any(
            i > decided[-1] and isinstance(rec, DryRunSet) and rec.on
            for i, rec in enumerate(self.history)
        )
        return facts

    def presence(self, agent: str) -> AgentChanged | None:
        reading: AgentChanged | None = self._memo("presence", agent, lambda: self._presence(agent))
        return reading

    def _presence(self, agent: str) -> AgentChanged | None:
        newest: AgentChanged | None = None
        for rec in self.history:
            if (
                isinstance(rec, Reading)
                and rec.reading.agent_id == agent
                and (newest is None or rec.reading.since >= newest.since)
            ):
                newest = rec.reading
        return newest

    def readings(self, agent: str) -> list[AgentChanged]:
        """The agent's readings the engine takes, in order (a stale one is dropped)."""
        taken: list[AgentChanged] = self._memo("readings", agent, lambda: self._readings(agent))
        return taken

    def _readings(self, agent: str) -> list[AgentChanged]:
        taken: list[AgentChanged] = []
        for rec in self.history:
            if (
                isinstance(rec, Reading)
                and rec.reading.agent_id == agent
                and (not taken or rec.reading.since >= taken[-1].since)
            ):
                taken.append(rec.reading)
        return taken

    def grace(self, skill: str | None, name: str) -> float:
        data: dict[str, Any] = self._memo("policy", "", lambda: self.policy().to_mapping())
        override = data["skills"].get(skill, {}).get("grace", {}) if skill is not None else {}
        if name in override:
            return float(override[name])
        return float(data.get("grace", {}).get(name, 0.0))

    def in_force(self, agent: str, skill: str | None, at: float) -> tuple[AgentState, float]:
        """The state whose threshold applies at `at` (not before the newest reading): that of
        the newest run of readings in one threshold's state that has lasted its grace by
        then, or the first reading's; and since when (the end of its grace, -inf when it
        had none)."""
        runs: list[AgentChanged] = []
        for reading in self.readings(agent):
            if not runs or STATE_FIELD[reading.state] != STATE_FIELD[runs[-1].state]:
                runs.append(reading)
        for n in range(len(runs) - 1, 0, -1):
            end = runs[n + 1].since if n + 1 < len(runs) else at
            grace = self.grace(skill, STATE_FIELD[runs[n].state])
            if end - runs[n].since >= grace:
                return runs[n].state, runs[n].since + grace if grace > 0 else -math.inf
        return runs[0].state, -math.inf

    def due(
        self, agent: str, skill: str | None, start: float, now: float
    ) -> tuple[float, Reason] | None:
        """The earliest moment at which the wait (since + extension = `start`) has lasted the
        threshold in force then (as seen from `now` on: a state's grace that ended by `now`
        has ended for every moment), the agent staying as the newest reading says (None:
        never)."""
        candidates = {
            start + t for t in (self.threshold(skill, s) for s in AgentState) if t is not None
        }
        candidates |= {
            r.since + self.grace(skill, STATE_FIELD[r.state]) for r in self.readings(agent)
        }
        for t in sorted(candidates):
            state, since = self.in_force(agent, skill, max(t, now))
            threshold = self.threshold(skill, state)
            if threshold is not None and t >= start + threshold and t >= since:
                return t, REASON_OF_FIELD[STATE_FIELD[state]]
        return None

    def agent_hold(self, agent: str) -> tuple[bool, float | None]:
        hold: tuple[bool, float | None] = (False, None)
        for rec in self.history:
            if isinstance(rec, AgentHeld) and rec.agent == agent:
                hold = (True, rec.until)
            elif isinstance(rec, AgentReleased) and rec.agent == agent:
                hold = (False, None)
        return hold

    def policy(self) -> Policy:
        policies = [rec.policy for rec in self.history if isinstance(rec, PolicySet)]
        return policies[-1] if policies else self.initial_policy

    def threshold(self, skill: str | None, state: AgentState) -> float | None:
        data: dict[str, Any] = self._memo("policy", "", lambda: self.policy().to_mapping())
        name = STATE_FIELD[state]
        override = data["skills"].get(skill, {}) if skill is not None else {}
        value = override[name] if name in override else data[name]
        return None if value is None else float(value)

    def decided_waits(self) -> set[WaitKey]:
        waits: set[WaitKey] = self._memo("decided", "", self._decided_waits)
        return waits

    def _decided_waits(self) -> set[WaitKey]:
        return {
            rec.wait
            for rec in self.history
            if isinstance(rec, Decided) and not rec.manual and rec.wait is not None
        }

    # ---------------------------------------------------------------- the rule

    def wait_key(self, conv_id: str) -> WaitKey | None:
        facts = self.conv(conv_id)
        if facts.agent is None or facts.pending_since is None:
            return None
        return (conv_id, facts.agent, max(facts.pending_since, facts.assigned_at or 0.0))

    def active_holds(self, conv_id: str, now: float) -> list[float | None]:
        """The ends of the holds in force on the conversation (None: until released)."""
        facts = self.conv(conv_id)
        holds = [facts.hold]
        if facts.agent is not None:
            holds.append(self.agent_hold(facts.agent))
        return [until for held, until in holds if held and (until is None or until > now)]

    def expect(self, conv_id: str, now: float) -> Expect:
        facts = self.conv(conv_id)
        if not facts.open or facts.agent is None:
            return Expect("not-watched")
        reading = self.presence(facts.agent)
        if reading is not None and reading.bot:
            return Expect("not-watched")
        if facts.underway and not facts.dry_run_since_decision:
            return Expect("underway")
        if facts.manual_at is not None:
            return Expect("manual", at=facts.manual_at, deadline=facts.manual_at)
        if facts.pending_since is None:
            return Expect("not-watched")
        since = max(facts.pending_since, facts.assigned_at or 0.0)
        if (conv_id, facts.agent, since) in self.decided_waits():
            return Expect("decided", waiting_since=since)
        active = self.active_holds(conv_id, now)
        if None in active:
            return Expect("held", waiting_since=since)
        if reading is None:
            return Expect("no-presence", waiting_since=since)
        due = self.due(facts.agent, facts.skill, since + facts.extension, now)
        if due is None:
            return Expect("off", waiting_since=since)
        deadline, reason = due
        held_until = max((u for u in active if u is not None), default=None)
        return Expect(
            "due-at",
            at=deadline if held_until is None else max(deadline, held_until),
            deadline=deadline,
            reason=reason,
            waiting_since=since,
            extension=facts.extension,
            held_until=held_until,
        )


# ====================================================================== the driver


def later(held: float | None, new: float) -> float:
    return new if held is None else max(held, new)


@dataclass
class Failure:
    key: str
    attempt: int
    at: float


@dataclass
class Runner:
    """Feeds steps to an engine, writes the history, and checks every effect."""

    policy: Policy
    dry_run: bool
    zero_latency: bool
    engine: Engine = field(init=False)
    reference: Reference = field(init=False)
    history: list[Record] = field(default_factory=list)
    now: float = 0.0
    fresh: bool = False
    barrier: float | None = None
    outstanding: list[Unassign] = field(default_factory=list)
    """Actions handed out and not answered yet (a Result answers one)."""
    outstanding_ever: list[Unassign] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    decided_keys: set[str] = field(default_factory=set)
    decisions: int = 0
    last_fed: dict[str, ConversationChanged] = field(default_factory=dict)
    newest_meta: dict[str, ConversationChanged] = field(default_factory=dict)
    issued_seq: dict[str, int] = field(default_factory=dict)
    last_at: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.engine = Engine(self.policy, dry_run=self.dry_run)
        self.reference = Reference(self.history, self.policy)

    # ---------------------------------------------------------------- prelude

    def start(self) -> None:
        self.feed_fresh(0.0)
        for agent, state in (("a1", AgentState.ONLINE), ("a2", AgentState.AWAY)):
            self.read(AgentChanged(agent, state, 0.0))
        self.read(AgentChanged(BOT, AgentState.ONLINE, 0.0, bot=True))
        prelude: tuple[tuple[str, str | None], ...] = (("c1", "a1"), ("c2", "a2"), ("c3", None))
        for conv, assigned in prelude:
            message = LastMessage(1, 0.0, True)
            self.issued_seq[conv], self.last_at[conv] = 1, 0.0
            self.feed(ConversationChanged(conv, 0.0, "sales", assigned, "Carla", True, message))
        self.settle()

    # ---------------------------------------------------------------- steps

    def run(self, steps: Iterable[Step]) -> None:
        self.start()
        for step in steps:
            target = self.now + step.dt
            if self.zero_latency:
                self.wake_until(target)
            self.now = target
            self.do(step.op)
            self.settle()

    def wake_until(self, target: float) -> None:
        """Zero latency: tick at every engine wake-up and every reference due time first."""
        while True:
            candidates = [self.engine.next_wake(), self.next_due()]
            times = [t for t in candidates if t is not None and self.now < t < target]
            if not times:
                return
            self.now = min(times)
            self.settle()

    def next_due(self) -> float | None:
        times = [self.reference.expect(c, self.now).at for c in CONVS]
        return min((t for t in times if t is not None and t > self.now), default=None)

    def settle(self) -> None:
        """After a step: drain; with zero latency, a barrier and a tick at `now`, then check
        nothing due was left undecided and the views agree with the reference."""
        self.check_effects()
        if self.zero_latency:
            self.engine.apply(BarrierCompleted(self.now), self.now)
            self.barrier = later(self.barrier, self.now)
            self.engine.tick(self.now)
            self.check_effects()
            self.check_nothing_missed()
            self.check_no_retry_missed()
            self.check_views()

    def do(self, op: Op) -> None:
        if isinstance(op, FEED_OPS):
            self.do_feed(op)
        else:
            self.do_command(op)

    def do_feed(self, op: FeedOp) -> None:
        engine, now = self.engine, self.now
        if isinstance(op, Change):
            self.feed(self.make_change(op))
        elif isinstance(op, Gone):
            self.history.append(Closed(op.conv))
            engine.apply(ConversationGone(op.conv), now)
        elif isinstance(op, Presence):
            known = self.reference.presence(op.agent)
            since = now if not op.stale else (known.since if known else now) - 1.0
            self.read(AgentChanged(op.agent, op.state, since, bot=op.agent == BOT))
        elif isinstance(op, Stale):
            self.fresh = False
            engine.apply(FeedStale(), now)
        elif isinstance(op, Fresh):
            self.feed_fresh(now - op.lag)
        elif isinstance(op, Barrier):
            self.complete_barrier(now - op.lag)
        elif isinstance(op, Tick):
            if op.barrier_lag is not None:
                self.complete_barrier(now - op.barrier_lag)
            engine.tick(now)
        elif isinstance(op, Result):
            if self.outstanding:
                action = self.outstanding.pop(op.pick % len(self.outstanding))
                if op.ok:
                    engine.apply(ActionSucceeded(action), now)
                else:
                    self.failures.append(Failure(action.key, action.attempt, now))
                    engine.apply(ActionFailed(action, "refused"), now)
        else:
            assert_never(op)

    def do_command(self, op: CommandOp) -> None:
        engine, now = self.engine, self.now
        if isinstance(op, Hold):
            until = None if op.for_seconds is None else now + op.for_seconds
            self.command(
                lambda: engine.execute(cmd.Hold(conv=op.conv, until=until, by="sup"), now),
                Held(op.conv, until),
                must_fail=not self.is_open(op.conv),
            )
        elif isinstance(op, Release):
            self.command(
                lambda: engine.execute(cmd.Release(conv=op.conv, by="sup"), now),
                Released(op.conv),
                must_fail=not self.is_open(op.conv),
            )
        elif isinstance(op, Extend):
            facts = self.reference.conv(op.conv)
            self.command(
                lambda: engine.execute(cmd.Extend(conv=op.conv, seconds=op.seconds, by="sup"), now),
                Extended(op.conv, op.seconds),
                must_fail=not facts.open or facts.pending_since is None or facts.agent is None,
            )
        elif isinstance(op, UnassignNow):
            facts = self.reference.conv(op.conv)
            reading = self.reference.presence(facts.agent) if facts.agent else None
            refused = not facts.open or facts.agent is None or (reading is not None and reading.bot)
            self.command(
                lambda: engine.execute(cmd.UnassignNow(conv=op.conv, by="sup"), now),
                ManualAsked(op.conv, now),
                must_fail=refused or (facts.underway and not facts.dry_run_since_decision),
                may_fail=facts.underway,
            )
        elif isinstance(op, HoldAgent):
            until = None if op.for_seconds is None else now + op.for_seconds
            self.command(
                lambda: engine.execute(cmd.HoldAgent(agent=op.agent, until=until, by="sup"), now),
                AgentHeld(op.agent, until),
                must_fail=False,
            )
        elif isinstance(op, ReleaseAgent):
            held, until = self.reference.agent_hold(op.agent)
            self.command(
                lambda: engine.execute(cmd.ReleaseAgent(agent=op.agent, by="sup"), now),
                AgentReleased(op.agent),
                must_fail=not held,
                may_fail=held and until is not None and until <= now,
            )
        elif isinstance(op, SetPolicy):
            self.history.append(PolicySet(op.policy))
            engine.execute(cmd.SetPolicy(policy=op.policy, by="sup"), now)
        else:
            self.dry_run = op.on
            self.history.append(DryRunSet(op.on))
            engine.execute(cmd.SetDryRun(on=op.on, by="sup"), now)

    # ---------------------------------------------------------------- feed helpers

    def feed(self, change: ConversationChanged) -> None:
        self.last_fed[change.conv_id] = change
        newest = self.newest_meta.get(change.conv_id)
        if newest is None or change.metadata_ts >= newest.metadata_ts:
            self.newest_meta[change.conv_id] = change
        self.history.append(Fed(change))
        self.engine.apply(change, self.now)

    def read(self, reading: AgentChanged) -> None:
        self.history.append(Reading(reading))
        self.engine.apply(reading, self.now)

    def feed_fresh(self, as_of: float) -> None:
        self.fresh = True
        self.barrier = later(self.barrier, as_of)
        self.engine.apply(FeedFresh(as_of), self.now)

    def complete_barrier(self, started_at: float) -> None:
        self.barrier = later(self.barrier, started_at)
        self.engine.apply(BarrierCompleted(started_at), started_at)

    def make_change(self, op: Change) -> ConversationChanged:
        conv, now = op.conv, self.now
        last, newest = self.last_fed.get(conv), self.newest_meta.get(conv)
        if op.meta == "dup" and last is not None:
            return last
        if op.meta == "keep" and newest is not None:
            ts, agent, skill = now, newest.agent, newest.skill
        elif op.meta == "stale" and newest is not None:
            ts, agent, skill = newest.metadata_ts - 0.5 - op.lag, op.agent, op.skill
        else:
            ts, agent, skill = now, op.agent, op.skill
        message: LastMessage | None = None
        seq = self.issued_seq.get(conv, 0)
        if op.message in ("consumer", "agent"):
            seq += 2 if op.gap else 1
            at = max(self.last_at.get(conv, 0.0), now - op.lag)
            self.issued_seq[conv], self.last_at[conv] = seq, at
            message = LastMessage(seq, at, op.message == "consumer")
        elif op.message == "old" and seq > 0:
            old_seq = max(1, seq - int(op.lag))
            message = LastMessage(old_seq, self.last_at[conv] - 1.0, op.old_from_consumer)
        return ConversationChanged(conv, ts, skill, agent, "Carla", not op.close, message)

    def is_open(self, conv: str) -> bool:
        return self.reference.conv(conv).open

    def command(
        self,
        call: Callable[[], Refused | None],
        record: Record,
        *,
        must_fail: bool,
        may_fail: bool = False,
    ) -> None:
        refused = call()
        if refused is not None:
            assert must_fail or may_fail, f"unexpected refusal at {self.now}: {refused.reason}"
            return
        assert not must_fail, f"{record} at {self.now} should have been refused"
        self.history.append(record)

    # ---------------------------------------------------------------- checks

    def check_effects(self) -> None:
        effects = self.engine.drain()
        actions = [a for a in effects.actions if isinstance(a, Unassign)]
        assert len(actions) == len(effects.actions), "no give-back was asked"
        by_key = {a.key: a for a in actions if a.attempt == 1}
        for event in effects.audit:
            if event.type is AuditType.UNASSIGN_DECIDED:
                self.check_decision(event, by_key.get(event.key or ""))
        for action in actions:
            # (e) dry run never acts
            assert not self.dry_run, f"action {action} handed out in dry run at {self.now}"
            if action.attempt > 1:
                self.check_retry(action)
            self.outstanding.append(action)
            self.outstanding_ever.append(action)

    def check_decision(self, event: AuditEvent, action: Unassign | None) -> None:
        now, conv = self.now, event.conv
        assert conv is not None and event.key is not None
        expect = self.reference.expect(conv, now)
        facts = self.reference.conv(conv)
        where = f"{event} with {expect} at {now}"
        # (d) a wait is decided once
        assert event.key not in self.decided_keys, f"decided twice: {where}"
        self.decided_keys.add(event.key)
        # (a) fresh feed and a recent barrier that covers the due time
        assert self.fresh, f"decided on a stale feed: {where}"
        assert self.barrier is not None and now - self.barrier <= MAX_BARRIER_AGE, where
        # (b) only what the reference says is due: open, assigned to a human, not answered,
        #     not held (unless a manual unassign), not already under way
        assert expect.kind in ("due-at", "manual"), f"decided what is not due: {where}"
        assert expect.at is not None and expect.at <= now, f"decided early: {where}"
        assert expect.deadline is not None and self.barrier >= expect.deadline, where
        assert event.agent == facts.agent, where
        if expect.kind == "manual":
            assert event.reason is Reason.MANUAL, where
        else:
            assert event.reason is expect.reason, where
            assert facts.newest_from_consumer is True, where
        # (c) the due time is the reference deadline
        if action is not None:
            assert action.due_at == expect.deadline, f"due {action.due_at}: {where}"
            assert (action.decided_at, action.conv_id, action.agent) == (now, conv, event.agent)
            assert action.reason is event.reason
        # (e) the record says dry run exactly in dry run, and dry run hands out no action
        assert ("dry run" in event.detail) == self.dry_run, where
        assert (action is None) == self.dry_run, where
        self.decisions += 1
        wait = self.reference.wait_key(conv)
        self.history.append(Decided(conv, expect.kind == "manual", wait, self.dry_run, event.key))

    def check_retry(self, action: Unassign) -> None:
        failed = [
            f for f in self.failures if f.key == action.key and f.attempt == action.attempt - 1
        ]
        assert failed, f"retry {action} without a failed attempt {action.attempt - 1}"
        due = failed[-1].at + retry_delay(action.attempt - 1)
        assert self.now >= due, f"retry {action} at {self.now}, before {due}"
        assert self.fresh and self.barrier is not None and self.barrier >= due
        assert self.now - self.barrier <= MAX_BARRIER_AGE
        assert self.reference.conv(action.conv_id).underway, f"retry {action} not under way"
        if self.zero_latency and not self.ever_held(action.conv_id, action.agent):
            assert self.now == due, f"retry {action} at {self.now}, due {due}"

    def ever_held(self, conv: str, agent: str) -> bool:
        return any(
            (isinstance(rec, Held) and rec.conv == conv)
            or (isinstance(rec, AgentHeld) and rec.agent == agent)
            for rec in self.history
        )

    def check_nothing_missed(self) -> None:
        for conv in CONVS:
            expect = self.reference.expect(conv, self.now)
            if expect.at is not None:
                assert expect.at > self.now, f"{conv} due at {expect.at} left undecided: {expect}"

    def check_no_retry_missed(self) -> None:
        """A failed unassign still under way and not held is retried once its delay is up."""
        for conv in CONVS:
            key = self.reference.conv(conv).underway_key
            failed = [f for f in self.failures if f.key == key]
            if key is None or not failed or self.reference.active_holds(conv, self.now):
                continue
            last = max(failed, key=lambda f: f.attempt)
            if any(a.key == key and a.attempt > last.attempt for a in self.outstanding_ever):
                continue
            due = last.at + retry_delay(last.attempt)
            assert due > self.now, f"retry of {key} (failed at {last.at}) due at {due}: not sent"

    def check_views(self) -> None:
        for conv in CONVS:
            expect = self.reference.expect(conv, self.now)
            view = self.engine.read.conversation(conv)
            where = f"{conv} at {self.now}: {expect} vs {view}"
            if expect.kind == "not-watched":
                assert view is None, where
                continue
            assert view is not None, where
            if expect.kind == "underway":
                assert view.status in (Status.UNASSIGNING, Status.FAILED, Status.HELD), where
            elif expect.kind == "decided":
                shown = Status.WOULD_UNASSIGN if self.engine.read.dry_run else Status.NOT_SENT
                assert view.status is shown, where
            elif expect.kind == "manual":
                assert (view.reason, view.deadline) == (Reason.MANUAL, expect.at), where
            elif expect.kind == "held":
                assert (view.status, view.deadline) == (Status.HELD, None), where
            elif expect.kind == "no-presence":
                assert (view.status, view.deadline) == (Status.NO_PRESENCE, None), where
            elif expect.kind == "off":
                assert (view.status, view.deadline) == (Status.OFF, None), where
            else:
                status = (
                    Status.HELD
                    if expect.held_until is not None
                    else Status.EXTENDED
                    if expect.extension > 0
                    else Status.WATCHING
                )
                assert view.status is status, where
                assert (view.deadline, view.reason) == (expect.at, expect.reason), where
                assert view.extension == expect.extension, where
                assert view.hold_until == expect.held_until, where
            if expect.waiting_since is not None:
                assert view.waiting_since == expect.waiting_since, where


# ====================================================================== the properties


ONLINE_0 = Policy.from_mapping({"online": 0})
ANSWERED = Change("c1", "keep", None, "sales", "agent")


@PROPERTY_SETTINGS
@given(
    policy=policies(),
    dry_run=st.booleans(),
    steps=histories(manual=True, feed_faults=True, dry_run_switch=False),
)
@example(  # dry run: c1's wait decided, then a manual unassign, then a release
    policy=ONLINE_0,
    dry_run=True,
    steps=[
        Step(0.5, Tick(0.0)),
        Step(0.5, UnassignNow("c1")),
        Step(0.5, Tick(0.0)),
        Step(0.5, Release("c1")),
        Step(0.5, Tick(0.0)),
    ],
)
def test_decisions_are_safe(policy: Policy, dry_run: bool, steps: list[Step]) -> None:
    Runner(policy, dry_run, zero_latency=False).run(steps)


@PROPERTY_SETTINGS
@given(
    policy=policies(),
    dry_run=st.booleans(),
    steps=histories(manual=False, feed_faults=False, dry_run_switch=False),
)
def test_decisions_are_on_time(policy: Policy, dry_run: bool, steps: list[Step]) -> None:
    Runner(policy, dry_run, zero_latency=True).run(steps)


@PROPERTY_SETTINGS
@given(policy=policies(), steps=histories(manual=True, feed_faults=False, dry_run_switch=False))
@example(  # a manual unassign under way, a release, then the agent writes: a race
    policy=ONLINE_0,
    steps=[
        Step(0.5, ANSWERED),
        Step(0.5, UnassignNow("c1")),
        Step(0.5, Release("c1")),
        Step(0.5, ANSWERED),
    ],
)
def test_decisions_are_on_time_with_manual_unassigns(policy: Policy, steps: list[Step]) -> None:
    Runner(policy, dry_run=False, zero_latency=True).run(steps)


@PROPERTY_SETTINGS
@given(policy=policies(), steps=histories(manual=True, feed_faults=True, dry_run_switch=True))
def test_dry_run_never_acts(policy: Policy, steps: list[Step]) -> None:
    Runner(policy, dry_run=False, zero_latency=False).run(steps)


def test_the_properties_see_decisions() -> None:
    """The generators are not vacuous: a plain history produces decisions to check."""
    runner = Runner(Policy.from_mapping({"online": 20, "away": 5}), False, zero_latency=True)
    runner.run([Step(30.0, Tick(None)), Step(5.0, Result(0, False)), Step(5.0, Tick(0.0))])
    assert runner.decisions == 2
    assert len(runner.failures) == 1


# ====================================================================== reordering


@dataclass(frozen=True)
class Spec:
    conv: str | None
    """None: a presence reading for `agent`."""
    agent: str | None
    skill: str
    message: Literal["none", "consumer", "agent"]
    state: AgentState
    gone: bool = False


specs = st.builds(
    Spec,
    conv=st.sampled_from([None, "c1", "c1", "c2", "c2"]),
    agent=st.sampled_from([None, "a1", "a1", "a2"]),
    skill=st.sampled_from(SKILLS),
    message=st.sampled_from(["none", "consumer", "consumer", "agent"]),
    state=st.sampled_from(list(AgentState)),
    gone=st.sampled_from([False] * 12 + [True]),
)


def ordered_events(items: list[Spec], gaps: list[float]) -> list[FeedEvent]:
    """Events as the platform sent them: each newer than the last by timestamp and sequence."""
    events: list[FeedEvent] = [
        AgentChanged("a1", AgentState.ONLINE, 0.0),
        AgentChanged("a2", AgentState.AWAY, 0.0),
    ]
    now, seq = 0.0, 0
    for spec, gap in zip(items, gaps, strict=True):
        now += gap
        if spec.conv is None:
            events.append(AgentChanged(spec.agent or "a1", spec.state, now))
        elif spec.gone:
            events.append(ConversationGone(spec.conv))
        else:
            message = None
            if spec.message != "none":
                seq += 1
                message = LastMessage(seq, now, spec.message == "consumer")
            events.append(
                ConversationChanged(spec.conv, now, spec.skill, spec.agent, "Carla", True, message)
            )
    return events


def news_only(arrival: Sequence[FeedEvent]) -> list[FeedEvent]:
    """What of `arrival` was news when it came: metadata newer than the metadata in force, a
    message with a higher sequence, a newer presence reading. A change whose metadata is old
    but whose message is new keeps only the message, sent with the metadata in force."""
    out: list[FeedEvent] = []
    metadata: dict[str, ConversationChanged] = {}
    sequence: dict[str, int] = {}
    readings: dict[str, float] = {}
    closed: set[str] = set()
    for event in arrival:
        if isinstance(event, ConversationGone):
            if event.conv_id not in closed:
                closed.add(event.conv_id)
                out.append(event)
        elif isinstance(event, AgentChanged):
            if event.agent_id not in readings or event.since > readings[event.agent_id]:
                readings[event.agent_id] = event.since
                out.append(event)
        elif event.conv_id not in closed:
            held = metadata.get(event.conv_id)
            meta_news = held is None or event.metadata_ts > held.metadata_ts
            message = event.last_message
            message_news = message is not None and message.sequence > sequence.get(
                event.conv_id, -1
            )
            if meta_news:
                metadata[event.conv_id] = held = event
            if message is not None and message_news:
                sequence[event.conv_id] = message.sequence
            if meta_news or message_news:
                assert held is not None
                out.append(replace(held, last_message=message if message_news else None))
    return out


def final_state(events: Iterable[FeedEvent]) -> tuple[object, ...]:
    engine = Engine(Policy.from_mapping({"online": 60, "away": 30, "offline": 10}))
    engine.apply(FeedFresh(0.0), 0.0)
    for n, event in enumerate(events):
        engine.apply(event, float(n))
    views = tuple(engine.read.conversation(c) for c in ("c1", "c2"))
    agents = tuple(sorted(engine.read.agents(), key=lambda a: a.agent_id))
    engine.apply(BarrierCompleted(10_000.0), 10_000.0)
    engine.tick(10_000.0)
    decided = [
        (e.conv, e.agent, e.reason, e.key)
        for e in engine.drain().audit
        if e.type is AuditType.UNASSIGN_DECIDED
    ]
    return views, agents, sorted(engine.read.watched_ids()), decided


@st.composite
def deliveries(draw: st.DrawFn) -> tuple[list[FeedEvent], list[FeedEvent], list[FeedEvent]]:
    """(ordered, late duplicates inserted after their original, shuffled with duplicates)."""
    items = draw(st.lists(specs, min_size=1, max_size=18))
    gaps = draw(
        st.lists(st.sampled_from([1.0, 5.0, 20.0]), min_size=len(items), max_size=len(items))
    )
    ordered = ordered_events(items, gaps)
    copies = draw(st.lists(st.integers(0, len(ordered) - 1), max_size=8))
    late = list(ordered)
    for index in copies:
        first = late.index(ordered[index])
        late.insert(draw(st.integers(first + 1, len(late))), ordered[index])
    shuffled = draw(st.permutations([*ordered, *(ordered[i] for i in copies)]))
    return ordered, late, list(shuffled)


@PROPERTY_SETTINGS
@given(deliveries())
def test_late_duplicates_change_nothing(
    delivered: tuple[list[FeedEvent], list[FeedEvent], list[FeedEvent]],
) -> None:
    ordered, late, _ = delivered
    assert final_state(late) == final_state(ordered)


@PROPERTY_SETTINGS
@given(deliveries())
def test_reordering_and_duplicates_are_ignored_by_sequence_and_timestamp(
    delivered: tuple[list[FeedEvent], list[FeedEvent], list[FeedEvent]],
) -> None:
    _, _, shuffled = delivered
    assert final_state(shuffled) == final_state(news_only(shuffled))


@PROPERTY_SETTINGS
@given(policies())
def test_a_policy_survives_its_json_shape(policy: Policy) -> None:
    assert Policy.from_mapping(policy.to_mapping()) == policy
