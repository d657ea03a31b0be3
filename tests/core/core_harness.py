"""Builders and a small driver shared by the engine core tests.

`Floor` wraps an `Engine` the way the service drives it in a replay: it keeps each
conversation's newest metadata so a test can say "the consumer writes" without repeating the
assignment, collects every effect `drain()` hands out, and `advance()` ticks at every wake-up
with a barrier that completes the instant it starts (zero latency).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from engine.core import (
    AgentChanged,
    AgentState,
    AuditEvent,
    AuditType,
    BarrierCompleted,
    Command,
    ConversationChanged,
    ConversationGone,
    Engine,
    Extend,
    FeedFresh,
    Hold,
    LastMessage,
    Policy,
    Refused,
    Release,
    TransferToAgent,
    Unassign,
    UnassignNow,
)
from engine.core.views import ConversationView

DEFAULT_POLICY: Mapping[str, Any] = {"online": 60, "away": 30, "offline": 10}
"""The thresholds of DESIGN.md's example scenario."""


def make_policy(data: Mapping[str, Any] | None = None) -> Policy:
    return Policy.from_mapping(dict(DEFAULT_POLICY) if data is None else data)


def consumer_msg(seq: int, at: float) -> LastMessage:
    return LastMessage(sequence=seq, at=at, from_consumer=True)


def agent_msg(seq: int, at: float) -> LastMessage:
    return LastMessage(sequence=seq, at=at, from_consumer=False)


def changed(
    conv_id: str,
    ts: float,
    agent: str | None,
    *,
    skill: str | None = "sales",
    message: LastMessage | None = None,
    open_: bool = True,
    consumer: str | None = "Carla",
) -> ConversationChanged:
    return ConversationChanged(
        conv_id=conv_id,
        metadata_ts=ts,
        skill=skill,
        agent=agent,
        consumer=consumer,
        open=open_,
        last_message=message,
    )


class Floor:
    """An engine, the effects it produced so far, and the feed's view of each conversation."""

    def __init__(
        self,
        policy: Policy | Mapping[str, Any] | None = None,
        *,
        dry_run: bool = False,
        fresh: bool = True,
        skills: tuple[str, ...] = (),
    ) -> None:
        if not isinstance(policy, Policy):
            policy = make_policy(policy)
        self.engine = Engine(policy, dry_run=dry_run, skills=skills)
        self.audit: list[AuditEvent] = []
        self.actions: list[Unassign] = []
        self.transfers: list[TransferToAgent] = []
        """Give-backs handed out (transfers to an agent), apart from the unassigns."""
        self.now = 0.0
        self._last: dict[str, ConversationChanged] = {}
        self._seq: dict[str, int] = {}
        if fresh:
            self.engine.apply(FeedFresh(0.0), 0.0)
        self.collect()

    # ------------------------------------------------------------------ feed

    def presence(self, agent: str, state: AgentState, since: float, *, bot: bool = False) -> None:
        self._at(since)
        self.engine.apply(AgentChanged(agent, state, since, name=None, bot=bot), since)
        self.collect()

    def send(self, change: ConversationChanged, now: float | None = None) -> None:
        """Feed one change as is; it may be stale (the floor keeps the newest metadata)."""
        now = self._at(change.metadata_ts if now is None else now)
        held = self._last.get(change.conv_id)
        if held is None or change.metadata_ts >= held.metadata_ts:
            self._last[change.conv_id] = replace(change, last_message=None)
        if change.last_message is not None:
            seq = self._seq.get(change.conv_id, 0)
            self._seq[change.conv_id] = max(seq, change.last_message.sequence)
        self.engine.apply(change, now)
        self.collect()

    def open(
        self,
        conv_id: str,
        ts: float,
        agent: str | None,
        *,
        skill: str | None = "sales",
        consumer_at: float | None = None,
    ) -> None:
        """A conversation appears; with `consumer_at` it carries a consumer message."""
        message = None
        if consumer_at is not None:
            message = consumer_msg(self._next_seq(conv_id), consumer_at)
        self.send(changed(conv_id, ts, agent, skill=skill, message=message))

    def assign(
        self, conv_id: str, ts: float, agent: str | None, *, skill: str | None = None
    ) -> None:
        """A metadata change: the conversation goes to `agent` (None: back to the queue)."""
        held = self._last[conv_id]
        self.send(replace(held, metadata_ts=ts, agent=agent, skill=skill or held.skill))

    def consumer_says(self, conv_id: str, at: float, *, now: float | None = None) -> None:
        self._message(conv_id, True, at, now)

    def agent_says(self, conv_id: str, at: float, *, now: float | None = None) -> None:
        self._message(conv_id, False, at, now)

    def close(self, conv_id: str, now: float) -> None:
        self._at(now)
        self.engine.apply(ConversationGone(conv_id), now)
        self.collect()

    # ------------------------------------------------------------------ time

    def tick(self, now: float, *, barrier: bool = True) -> None:
        """Tick at `now`; with `barrier`, a freshness barrier that started at `now` completed."""
        self._at(now)
        if barrier:
            self.engine.apply(BarrierCompleted(now), now)
        self.engine.tick(now)
        self.collect()

    def advance(self, to: float) -> None:
        """Tick at every wake-up up to `to`, each with an instant barrier, then at `to`."""
        while (wake := self.engine.next_wake()) is not None and wake <= to:
            at = max(wake, self.now)
            self.tick(at)
            if self.engine.next_wake() == wake:
                break  # nothing moved: the engine is waiting for something else (stale feed)
        self.tick(to)

    # ------------------------------------------------------------------ effects

    def collect(self) -> None:
        effects = self.engine.drain()
        self.audit.extend(effects.audit)
        for action in effects.actions:
            if isinstance(action, TransferToAgent):
                self.transfers.append(action)
            else:
                self.actions.append(action)

    def events(self, *types: AuditType) -> list[AuditEvent]:
        return [e for e in self.audit if e.type in types]

    def decided(self) -> list[AuditEvent]:
        return self.events(AuditType.UNASSIGN_DECIDED)

    def view(self, conv_id: str) -> ConversationView:
        view = self.engine.read.conversation(conv_id)
        assert view is not None, f"{conv_id} is not watched"
        return view

    # ------------------------------------------------------------------ internals

    def _at(self, now: float) -> float:
        self.now = max(self.now, now)
        return now

    def _next_seq(self, conv_id: str) -> int:
        self._seq[conv_id] = self._seq.get(conv_id, 0) + 1
        return self._seq[conv_id]

    def _message(self, conv_id: str, from_consumer: bool, at: float, now: float | None) -> None:
        held = self._last[conv_id]
        message = LastMessage(self._next_seq(conv_id), at, from_consumer)
        self.send(replace(held, last_message=message), at if now is None else now)


def waiting_floor(
    policy: Policy | Mapping[str, Any] | None = None,
    *,
    state: AgentState = AgentState.ONLINE,
    dry_run: bool = False,
) -> Floor:
    """The usual start: agent a1 in `state`, conversation c1 (sales) assigned to a1 at 0, the
    consumer writes at 0 and nobody answers."""
    floor = Floor(policy, dry_run=dry_run)
    floor.presence("a1", state, 0.0)
    floor.open("c1", 0.0, "a1", consumer_at=0.0)
    return floor


def assert_refused(result: Refused | None, words: str) -> None:
    """The engine refused a command, with a reason that contains `words`."""
    assert result is not None, "the command was carried out; it should have been refused"
    assert words in result.reason, result.reason


def conversation_commands(conv_id: str) -> dict[str, Command]:
    """The commands that name a conversation, by name, from supervisor "sup"."""
    return {
        "hold": Hold(conv=conv_id, until=None, by="sup"),
        "release": Release(conv=conv_id, by="sup"),
        "extend": Extend(conv=conv_id, seconds=30.0, by="sup"),
        "unassign_now": UnassignNow(conv=conv_id, by="sup"),
    }
