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


Flat = tuple[float | Moment | str | None, ...]
"""A conversation's steps flattened: (at, moment, subject) after (at, moment, subject). One
small tuple per conversation instead of a list of objects: the floor keeps one for every open
conversation, so its size is per-conversation memory."""


class Timelines:
    """The recent steps of every open conversation."""

    def __init__(self) -> None:
        self._steps: dict[ConvId, Flat] = {}
        self._dropped: dict[ConvId, int] = {}

    def record(self, conv_id: ConvId, step: Step) -> None:
        flat = (*self._steps.get(conv_id, ()), step.at, step.moment, step.subject)
        if len(flat) > 3 * STEPS_KEPT:
            flat = flat[3:]
            self._dropped[conv_id] = self._dropped.get(conv_id, 0) + 1
        self._steps[conv_id] = flat

    def of(self, conv_id: ConvId) -> History:
        flat = self._steps.get(conv_id, ())
        steps = tuple(
            Step(at, moment, subject)  # type: ignore[arg-type]
            for at, moment, subject in zip(flat[0::3], flat[1::3], flat[2::3], strict=True)
        )
        return History(steps, self._dropped.get(conv_id, 0))

    def forget(self, conv_id: ConvId) -> None:
        self._steps.pop(conv_id, None)
        self._dropped.pop(conv_id, None)
