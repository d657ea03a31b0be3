"""What the feed showed of each open conversation, step by step: its state history.

The floor records a step when a conversation opens, changes hands (to an agent or to the
queue), changes skill, starts a wait (a consumer message after the agent's last one) or is
answered. Each conversation keeps its newest `STEPS_KEPT` steps and a count of those dropped;
a closed conversation's history goes with it. Times are platform times, as the feed gave them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from engine.core.model import ConvId

STEPS_KEPT = 10


class Moment(StrEnum):
    OPENED = "opened"
    ASSIGNED = "assigned"
    QUEUED = "back in the queue"
    SKILL = "skill"
    CONSUMER_WROTE = "consumer wrote"
    ANSWERED = "agent answered"


@dataclass(frozen=True, slots=True)
class Step:
    at: float
    moment: Moment
    subject: str | None = None
    """The agent (opened, assigned) or the skill (skill) the step names."""


@dataclass(frozen=True, slots=True)
class History:
    steps: tuple[Step, ...]
    dropped: int
    """Older steps no longer kept."""


class Timelines:
    """The recent steps of every open conversation."""

    def __init__(self) -> None:
        self._steps: dict[ConvId, list[Step]] = {}
        self._dropped: dict[ConvId, int] = {}

    def record(self, conv_id: ConvId, step: Step) -> None:
        steps = self._steps.setdefault(conv_id, [])
        steps.append(step)
        if len(steps) > STEPS_KEPT:
            del steps[0]
            self._dropped[conv_id] = self._dropped.get(conv_id, 0) + 1

    def of(self, conv_id: ConvId) -> History:
        return History(tuple(self._steps.get(conv_id, ())), self._dropped.get(conv_id, 0))

    def forget(self, conv_id: ConvId) -> None:
        self._steps.pop(conv_id, None)
        self._dropped.pop(conv_id, None)
