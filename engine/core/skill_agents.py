"""Agents per skill, by presence. The feed names no agent's skills, so an agent counts on a
skill while it holds an open conversation of that skill (as the feed shows it).

Kept as the floor applies changes: a conversation change costs O(1), a presence change
O(skills the agent holds conversations of).
"""

from __future__ import annotations

from collections import Counter

from engine.core.model import AgentId, AgentState, Reason, reason_for

Pair = tuple[str | None, AgentId]
"""(skill, agent)"""


def presence(state: AgentState | None, *, bot: bool) -> Reason | None:
    """The presence an agent counts as (Back soon is Away); None: a bot, or not known."""
    return None if bot or state is None else reason_for(state)


class SkillAgents:
    def __init__(self) -> None:
        self._pairs: Counter[Pair] = Counter()
        """Open conversations per (skill, agent)."""
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

    def moved(self, before: Pair | None, now: Pair | None) -> None:
        """An open conversation was held as `before` and is held as `now` (None: nobody, or
        not open: it opened or it closed)."""
        if before == now:
            return
        if before is not None:
            self._pairs[before] -= 1
            if not self._pairs[before]:
                del self._pairs[before]
                self._leave(*before)
        if now is not None:
            self._pairs[now] += 1
            if self._pairs[now] == 1:
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
