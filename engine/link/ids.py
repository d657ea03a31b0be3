"""Agent identities: every wire form of an agent id resolves to its bare userId.

The wire names an agent by legacy id ("account.userId"), by PID (a UUID), or (Agent Metrics
REST) by bare userId. Floorwatch keys agents by the bare userId; PIDs resolve through pairs
learned from the feed. A PID never stands in for a userId in a legacy id: an action naming
"account.<PID>" would be malformed.
"""

from __future__ import annotations

import re

_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def user_id_of(agent_id: str) -> str:
    """The bare userId of a legacy id ("12345678.a1" -> "a1"); any other id unchanged."""
    _, dot, rest = agent_id.partition(".")
    return rest if dot else agent_id


def legacy_id_of(user_id: str, account_id: str) -> str:
    """The legacy id of a bare userId ("a1", "12345678" -> "12345678.a1")."""
    return f"{account_id}.{user_id}"


def is_legacy_id(agent_id: str) -> bool:
    return "." in agent_id


def is_pid(agent_id: str) -> bool:
    """A participant id in UUID form (LivePerson user ids are not UUIDs)."""
    return _UUID.fullmatch(agent_id) is not None


class IdResolver:
    """Maps PIDs to userIds as pairs are learned; an unknown PID resolves to itself."""

    def __init__(self) -> None:
        self._user_by_pid: dict[str, str] = {}

    def knows(self, pid: str) -> bool:
        return pid in self._user_by_pid

    def learn(self, pid: str, agent_id: str) -> None:
        """Record that `pid` is the agent `agent_id` (a legacy id or a bare userId)."""
        self._user_by_pid[pid] = user_id_of(agent_id)

    def user_id(self, agent_id: str) -> str:
        """The bare userId of any agent id form; an unresolved PID stays as it is."""
        if is_legacy_id(agent_id):
            return user_id_of(agent_id)
        return self._user_by_pid.get(agent_id, agent_id)

    def known_user_id(self, agent_id: str) -> str | None:
        """The bare userId, or None for a PID not learned yet."""
        user_id = self.user_id(agent_id)
        return None if is_pid(user_id) else user_id
