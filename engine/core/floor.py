"""The floor as the feed shows it: open conversations, agents, and who holds which conversation.

`Floor` owns the records, the agent index and the agents per skill (`SkillAgents`, which
the tally reads). It applies feed news and returns what changed (`Update`), so the engine
can confirm, race and re-plan without the floor calling anyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from engine.core.events import AgentChanged, ConversationChanged, LastMessage
from engine.core.grace import Spell, add_spell
from engine.core.model import AgentId, AgentState, ConvId, reason_for
from engine.core.record import ConversationRecord
from engine.core.skill_agents import Pair, SkillAgents
from engine.core.timeline import History, Moment, Step, history, with_step


@dataclass(slots=True)
class AgentRecord:
    agent_id: AgentId
    state: AgentState
    since: float
    name: str
    bot: bool
    spells: tuple[Spell, ...] = ()
    """The agent's recent states as thresholds, oldest first (what grace reads)."""
    max_conversations: int | None = None


@dataclass(frozen=True, slots=True)
class Update:
    """What one feed change did to a conversation the floor knows."""

    conv_id: ConvId
    left: AgentId | None = None
    """The agent it was taken from, when the assignment changed."""
    reassigned: bool = False
    answered: bool = False
    """The change carried a newer message from the agent."""
    closed: bool = False


NO_SKILL = "-1"
"""How a scope names the conversations without a skill (the platform's skillId for none)."""


class Floor:
    """Conversations (open ones only; a closed one never comes back) and agents.

    `scope`: the skills whose conversations are watched (a shard of a floor); empty: all.
    """

    def __init__(self, scope: frozenset[str] = frozenset()) -> None:
        self.scope = scope
        self._convs: dict[ConvId, ConversationRecord] = {}
        self._closed: set[ConvId] = set()
        self._by_agent: dict[AgentId, dict[ConvId, None]] = {}
        """Each agent's open conversations (a dict as an ordered set: half a set's memory)."""
        self._agents: dict[AgentId, AgentRecord] = {}
        self._restored_extensions: dict[ConvId, float] = {}
        self._skills: dict[str, str] = {}
        """Every skill a conversation was seen with, closed ones included, each mapped to the
        one string the records share (`_shared`)."""
        self._dropped_steps: dict[ConvId, int] = {}
        """Per open conversation with more steps than it keeps: how many it dropped."""
        self._waiting: dict[AgentId, int] = {}
        """Per agent: their conversations with a consumer message waiting (kept, not summed)."""
        self._touched: set[AgentId] = set()
        """Agents whose record or figures changed since `take_touched_agents`."""
        self._unproven: list[ConvId] = []
        """Conversations whose wait became unproven since `take_unproven`."""
        self.skill_agents = SkillAgents()
        """Agents per skill by presence, told every change of who holds what (read-only
        outside the floor)."""

    # ------------------------------------------------------------------ reading

    def get(self, conv_id: ConvId) -> ConversationRecord | None:
        return self._convs.get(conv_id)

    def conversations(self) -> Iterable[ConversationRecord]:
        return self._convs.values()

    def agent(self, agent_id: AgentId | None) -> AgentRecord | None:
        return self._agents.get(agent_id) if agent_id is not None else None

    def agents(self) -> Iterable[AgentRecord]:
        return self._agents.values()

    def history(self, conv_id: ConvId) -> History:
        """The conversation's recent steps as the feed showed them (empty once closed)."""
        conv = self._convs.get(conv_id)
        steps = conv.steps if conv is not None else ()
        return history(steps, self._dropped_steps.get(conv_id, 0))

    def skills(self) -> frozenset[str]:
        """Every skill the feed has shown on a conversation since the start."""
        return frozenset(self._skills)

    def conversations_of(self, agent_id: AgentId) -> list[ConvId]:
        return list(self._by_agent.get(agent_id, ()))

    def open_count(self, agent_id: AgentId) -> int:
        return len(self._by_agent.get(agent_id, ()))

    def waiting_count(self, agent_id: AgentId) -> int:
        """How many of the agent's conversations have a consumer message waiting: O(1)."""
        return self._waiting.get(agent_id, 0)

    def take_touched_agents(self) -> set[AgentId]:
        """Agents whose record, open or waiting count changed since the last call."""
        touched, self._touched = self._touched, set()
        return touched

    def extensions(self) -> Mapping[ConvId, float]:
        """Extensions to save: those in force and those restored for conversations not seen."""
        live = {c.conv_id: c.extension for c in self._convs.values() if c.extension > 0}
        return self._restored_extensions | live

    # ------------------------------------------------------------------ feed news

    def restore_extensions(self, extensions: Mapping[ConvId, float]) -> None:
        """Saved extensions, in place of those in force; each applies when (or since) its
        conversation is open."""
        self._restored_extensions = dict(extensions)
        for conv in self._convs.values():
            if conv.conv_id not in extensions:
                conv.extension = 0.0
            self._adopt(conv)

    def conversation_changed(self, change: ConversationChanged) -> Update | None:
        """Apply one change; None when it changed nothing (closed, unknown and not open)."""
        if change.conv_id in self._closed:
            return None
        conv = self._convs.get(change.conv_id)
        left, reassigned = None, False
        skill, agent = self._shared(change.skill, change.agent)
        if conv is None:
            if not self.watches(change.skill):
                return None
            if not change.open:
                self._closed.add(change.conv_id)
                return None
            conv = ConversationRecord(
                conv_id=change.conv_id,
                metadata_ts=change.metadata_ts,
                skill=skill,
                agent=agent,
                consumer=change.consumer,
                assigned_at=change.metadata_ts if change.agent is not None else None,
            )
            self._convs[conv.conv_id] = conv
            self.skill_agents.moved(None, _pair(conv))
            self._index(conv.conv_id, conv.agent)
            self._adopt(conv)
            self._step(conv, Moment.OPENED, change.metadata_ts, conv.agent)
        elif change.metadata_ts >= conv.metadata_ts:
            if not change.open:
                self.close(conv.conv_id)
                return Update(conv.conv_id, closed=True)
            conv.metadata_ts = change.metadata_ts
            held = _pair(conv)
            if skill != conv.skill and skill is not None:
                self._step(conv, Moment.SKILL, change.metadata_ts, skill)
            conv.skill, conv.consumer = skill, change.consumer
            if agent != conv.agent:
                left, reassigned = conv.agent, True
                self._reassign(conv, agent)
                moment = Moment.ASSIGNED if agent is not None else Moment.QUEUED
                self._step(conv, moment, change.metadata_ts, agent)
            self.skill_agents.moved(held, _pair(conv))
        if skill is not None:
            self._skills.setdefault(skill, skill)
        answered = self._message(conv, change.last_message)
        return Update(conv.conv_id, left=left, reassigned=reassigned, answered=answered)

    def _message(self, conv: ConversationRecord, message: LastMessage | None) -> bool:
        """Apply a last message (True: the agent's, newer), recording a wait it starts or
        ends."""
        if message is None:
            return False
        pending, unproven = conv.pending_since, conv.unproven
        answered = conv.apply_message(message)
        if conv.unproven and not unproven:
            self._unproven.append(conv.conv_id)
        if (pending is None) != (conv.pending_since is None):
            self._count_waiting(conv.agent, 1 if pending is None else -1)
        if answered and pending is not None:
            self._step(conv, Moment.ANSWERED, message.at)
        elif conv.pending_since is not None and conv.pending_since != pending:
            self._step(conv, Moment.CONSUMER_WROTE, conv.pending_since)
        return answered

    def _shared(
        self, skill: str | None, agent: AgentId | None
    ) -> tuple[str | None, AgentId | None]:
        """The skill and agent of a change as the strings the floor keeps already (the
        feed's come anew with every change: one copy per conversation otherwise)."""
        if skill is not None:
            skill = self._skills.get(skill, skill)
        known = self._agents.get(agent) if agent is not None else None
        return skill, known.agent_id if known is not None else agent

    def take_unproven(self) -> list[ConvId]:
        """Conversations whose wait may have begun before the first message the feed showed
        (their messages are worth reading), once each since the last call."""
        unproven, self._unproven = self._unproven, []
        return [c for c in unproven if (conv := self._convs.get(c)) is not None and conv.unproven]

    def messages_read(self, conv_id: ConvId, messages: Iterable[LastMessage]) -> bool:
        """Messages the platform keeps: an unproven wait begins at the earliest consumer
        message of the unbroken run of consumer messages that ends at the newest one seen
        (never later than it did). True when its start moved."""
        conv = self._convs.get(conv_id)
        if conv is None or not conv.unproven or conv.pending_since is None:
            return False
        by_sequence = {m.sequence: m for m in messages}
        newest = by_sequence.get(conv.last_seq)
        if newest is None or not newest.from_consumer:
            return False  # the messages read do not reach what the feed showed
        sequence, since = conv.last_seq, newest.at
        while (earlier := by_sequence.get(sequence - 1)) is not None and earlier.from_consumer:
            sequence, since = sequence - 1, earlier.at
        conv.unproven = sequence > 0 and (sequence - 1) not in by_sequence
        if since >= conv.pending_since:
            return False
        conv.pending_since = since
        return True

    def watches(self, skill: str | None) -> bool:
        """Whether conversations on `skill` are in scope."""
        return not self.scope or (NO_SKILL if skill is None else skill) in self.scope

    def close(self, conv_id: ConvId, *, left: bool = False) -> bool:
        """The conversation closed (`left`: moved to a skill out of scope, so it may come
        back); True when it was open."""
        if not left:
            self._closed.add(conv_id)
        conv = self._convs.get(conv_id)
        if conv is None:
            return False
        self._unindex(conv_id, conv.agent)
        self.skill_agents.moved(_pair(conv), None)
        del self._convs[conv_id]
        self._dropped_steps.pop(conv_id, None)
        return True

    def agent_changed(self, event: AgentChanged) -> bool:
        """Apply a presence reading; True when the agent's state or bot flag changed."""
        known = self._agents.get(event.agent_id)
        if known is None:
            name = event.name or event.agent_id
            spell = (Spell(reason_for(event.state), event.since),)
            self._agents[event.agent_id] = AgentRecord(
                event.agent_id, event.state, event.since, name, event.bot, spell
            )
            self._agents[event.agent_id].max_conversations = event.max_conversations
            self._touched.add(event.agent_id)
            self.skill_agents.agent(event.agent_id, event.state, bot=event.bot)
            return True
        if event.since < known.since:
            return False
        unchanged = known.state is event.state and known.bot == event.bot
        before = (known.since, known.name)
        known.state, known.since, known.bot = event.state, event.since, event.bot
        known.spells = add_spell(known.spells, reason_for(event.state), event.since)
        if event.max_conversations is not None:
            known.max_conversations = event.max_conversations
        known.name = event.name or known.name
        if not unchanged or before != (known.since, known.name):
            self._touched.add(event.agent_id)
        if not unchanged:
            self.skill_agents.agent(event.agent_id, event.state, bot=event.bot)
        return not unchanged

    # ------------------------------------------------------------------ internals

    def _reassign(self, conv: ConversationRecord, agent: AgentId | None) -> None:
        """A new agent (or the queue) starts afresh: no extension, no manual request."""
        self._unindex(conv.conv_id, conv.agent)
        conv.agent = agent
        conv.assigned_at = conv.metadata_ts if agent is not None else None
        conv.extension, conv.manual_at = 0.0, None
        self._index(conv.conv_id, agent)

    def _step(
        self, conv: ConversationRecord, moment: Moment, at: float, subject: str | None = None
    ) -> None:
        conv.steps, dropped = with_step(conv.steps, Step(at, moment, subject))
        if dropped:
            self._dropped_steps[conv.conv_id] = self._dropped_steps.get(conv.conv_id, 0) + 1

    def _adopt(self, conv: ConversationRecord) -> None:
        if conv.conv_id in self._restored_extensions:
            conv.extension = self._restored_extensions.pop(conv.conv_id)

    def _index(self, conv_id: ConvId, agent: AgentId | None) -> None:
        if agent is not None:
            self._by_agent.setdefault(agent, {})[conv_id] = None
            self._touched.add(agent)
            if self._convs[conv_id].pending_since is not None:
                self._count_waiting(agent, 1)

    def _unindex(self, conv_id: ConvId, agent: AgentId | None) -> None:
        if agent is not None:
            self._by_agent.get(agent, {}).pop(conv_id, None)
            self._touched.add(agent)
            conv = self._convs.get(conv_id)
            if conv is not None and conv.pending_since is not None:
                self._count_waiting(agent, -1)

    def _count_waiting(self, agent: AgentId | None, delta: int) -> None:
        if agent is None:
            return
        count = self._waiting.get(agent, 0) + delta
        if count:
            self._waiting[agent] = count
        else:
            del self._waiting[agent]
        self._touched.add(agent)


def _pair(conv: ConversationRecord) -> Pair | None:
    """(skill, agent) of who holds the conversation; None: nobody."""
    return (conv.skill, conv.agent) if conv.agent is not None else None
