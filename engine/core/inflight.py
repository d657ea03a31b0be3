"""Unassigns under way: decided, sent, retried, confirmed by the feed, failed, or raced.

`InFlight` owns one record per conversation with an unassign under way, the keys of every wait
ever decided (so none is decided twice) and the waits to resume after a restart. Each method
returns what happened, for the engine to audit and re-plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum

from engine.core.actions import Unassign
from engine.core.model import AgentId, AgentState, ConvId, Reason, reason_for
from engine.core.waits import Wait

RETRY_BASE_SECONDS = 2.0
RETRY_MAX_SECONDS = 60.0


def retry_delay(attempt: int) -> float:
    """Seconds before retry number `attempt` (1-based): 2, 4, 8 ... capped at 60."""
    return min(RETRY_BASE_SECONDS * 2.0 ** (attempt - 1), RETRY_MAX_SECONDS)


class ActionState(Enum):
    DECIDED = "decided"
    """Handed to the action port, no answer yet."""
    SENT = "sent"
    """The platform accepted it; waiting for the feed to show the agent gone."""
    FAILED = "failed"
    """The platform refused it or it timed out; a retry is scheduled."""


@dataclass(slots=True)
class Inflight:
    """An unassign under way for one wait."""

    action: Unassign
    state: ActionState
    retry_at: float | None = None
    last_error: str | None = None
    raced: bool = False
    """The agent answered before the action landed: never retried."""


class InFlight:
    def __init__(self) -> None:
        self._by_conv: dict[ConvId, Inflight] = {}
        self._decided: set[str] = set()
        """Keys of every wait decided, so the same wait is never decided twice."""
        self._resume: set[str] = set()
        """Waits decided before a restart: acted on again as retries, never decided anew."""

    def get(self, conv_id: ConvId) -> Inflight | None:
        return self._by_conv.get(conv_id)

    def was_decided(self, key: str) -> bool:
        return key in self._decided

    def restore(self, decided: Iterable[str]) -> None:
        self._decided |= set(decided)
        self._resume |= set(decided)

    def forget(self, conv_id: ConvId) -> None:
        self._by_conv.pop(conv_id, None)

    def withdraw(self, conv_id: ConvId, key: str) -> None:
        """A decision that was never recorded: as if it had not been made."""
        self._decided.discard(key)
        inflight = self._by_conv.get(conv_id)
        if inflight is not None and inflight.action.key == key:
            del self._by_conv[conv_id]

    def decide(self, action: Unassign, *, dry_run: bool) -> bool:
        """Record the decision; True when the action is to be sent (not in dry run)."""
        self._decided.add(action.key)
        if not dry_run:
            self._by_conv[action.conv_id] = Inflight(action, ActionState.DECIDED)
        return not dry_run

    def succeeded(self, action: Unassign) -> bool:
        """The platform accepted `action`; True when it is the one under way."""
        inflight = self._current(action)
        if inflight is None:
            return False
        inflight.state = ActionState.SENT
        return True

    def failed(self, action: Unassign, error: str, now: float) -> bool:
        """The platform refused `action`: retry with backoff (unless the agent answered);
        True when it is the one under way."""
        inflight = self._current(action)
        if inflight is None:
            return False
        if inflight.raced:
            del self._by_conv[action.conv_id]
        else:
            inflight.state = ActionState.FAILED
            inflight.last_error = error
            inflight.retry_at = now + retry_delay(action.attempt)
        return True

    def retry(self, conv_id: ConvId, now: float, *, dry_run: bool) -> Unassign | None:
        """The next attempt of a failed action, to send now (None in dry run, which drops it)."""
        inflight = self._by_conv[conv_id]
        if dry_run:
            del self._by_conv[conv_id]  # dry run never acts, retries included
            return None
        inflight.action = replace(inflight.action, attempt=inflight.action.attempt + 1, sent_at=now)
        inflight.state, inflight.retry_at = ActionState.DECIDED, None
        return inflight.action

    def agent_left(self, conv_id: ConvId, agent: AgentId | None) -> Unassign | None:
        """`agent` no longer has the conversation: the action that removed them, if any, is
        confirmed. Whatever was under way ends either way."""
        inflight = self._by_conv.pop(conv_id, None)
        if inflight is not None and inflight.action.agent == agent:
            return inflight.action
        return None

    def agent_answered(self, conv_id: ConvId) -> Unassign | None:
        """The agent answered: the action under way (if any) lost the race and is returned."""
        inflight = self._by_conv.get(conv_id)
        if inflight is None or inflight.raced:
            return None
        if inflight.state is ActionState.FAILED:
            del self._by_conv[conv_id]
        else:
            inflight.raced = True
        return inflight.action

    def resume(
        self,
        conv_id: ConvId,
        wait: Wait,
        agent: AgentId,
        state: AgentState | None,
        now: float,
        *,
        dry_run: bool,
    ) -> None:
        """A wait decided before a restart reappeared: retry it at once under its old key."""
        if wait.key not in self._resume:
            return
        self._resume.discard(wait.key)
        if dry_run or conv_id in self._by_conv:
            return
        reason = Reason.MANUAL if wait.manual_at is not None else Reason.ONLINE
        if state is not None and wait.manual_at is None:
            reason = reason_for(state)
        action = Unassign(conv_id, agent, reason, now, now, wait.key)
        self._by_conv[conv_id] = Inflight(
            action, ActionState.FAILED, retry_at=now, last_error="resumed after a restart"
        )

    def _current(self, action: Unassign) -> Inflight | None:
        inflight = self._by_conv.get(action.conv_id)
        if inflight is None or inflight.action.key != action.key:
            return None
        return inflight
