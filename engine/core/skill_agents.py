"""Agents per skill, by presence. The feed names no agent's skills, so an agent counts on a
skill while it holds an open conversation of that skill (as the feed shows it).

Kept as changes apply: a conversation change costs O(1), a presence change O(skills the agent
holds conversations of).
"""

from __future__ import annotations

from collections import Counter

from engine.core.model import AgentId, AgentState, ConvId, Reason, reason_for

Pair = tuple[str | None, AgentId]
"""(skill, agent)"""


def presence(state: AgentState | None, *, bot: bool) -> Reason | None:
    """The presence an agent counts as (Back soon is Away); None: a bot, or not known."""
    return None if bot or state is None else reason_for(state)


class SkillAgents:
    def __init__(self) -> None:
        self._held: dict[ConvId, Pair] = {}
        """Who holds each conversation: one tuple for all the conversations of a pair."""
        self._pairs: dict[Pair, tuple[Pair, int]] = {}
        """Open conversations per (skill, agent), with the pair's shared tuple."""
        self._skills_of: dict[AgentId, tuple[str | None, ...]] = {}
        """The skills each agent counts on (a tuple: an agent holds few)."""
        self._presence: dict[AgentId, Reason | None] = {}
        self._counts: Counter[tuple[str | None, Reason]] = Counter()

    def count(self, skill: str | None, presence: Reason) -> int:
        """Agents holding a conversation of `skill` who are `presence` (online, away, offline)."""
        return self._counts[skill, presence]

    def skills(self) -> set[str | None]:
        """Skills with an agent of known presence on them."""
        return {skill for (skill, _), n in self._counts.items() if n}

    def conversation(self, conv_id: ConvId, skill: str | None, agent: AgentId | None) -> None:
        """Who holds the conversation now (None: nobody, or it closed)."""
        now = (skill, agent) if agent is not None else None
        before = self._held.get(conv_id)
        if before == now:
            return
        if before is not None:
            del self._held[conv_id]
            count = self._pairs[before][1] - 1
            if count:
                self._pairs[before] = (before, count)
            else:
                del self._pairs[before]
                self._leave(*before)
        if now is not None:
            shared, count = self._pairs.get(now, (now, 0))
            self._held[conv_id] = shared
            self._pairs[now] = (shared, count + 1)
            if not count:
                self._join(*now)

    def agent(self, agent_id: AgentId, state: AgentState | None, *, bot: bool) -> None:
        """The agent's presence changed."""
        new = presence(state, bot=bot)
        old = self._presence.get(agent_id)
        self._presence[agent_id] = new
        if old is new:
            return
        for skill in self._skills_of.get(agent_id, ()):
            if old is not None:
                self._counts[skill, old] -= 1
            if new is not None:
                self._counts[skill, new] += 1

    def _join(self, skill: str | None, agent: AgentId) -> None:
        self._skills_of[agent] = (*self._skills_of.get(agent, ()), skill)
        state = self._presence.get(agent)
        if state is not None:
            self._counts[skill, state] += 1

    def _leave(self, skill: str | None, agent: AgentId) -> None:
        skills = tuple(s for s in self._skills_of[agent] if s != skill)
        if skills:
            self._skills_of[agent] = skills
        else:
            del self._skills_of[agent]
        state = self._presence.get(agent)
        if state is not None:
            self._counts[skill, state] -= 1
