"""What the feed showed of each open conversation, step by step: its state history.

The floor records a step when a conversation opens, changes hands (to an agent or to the
queue), changes skill, starts a wait (a consumer message after the agent's last one) or is
answered. Each conversation keeps its newest `STEPS_KEPT` steps and a count of those dropped;
a closed conversation's history goes with it. Times are platform times, as the feed gave them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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
small tuple per conversation instead of a list of objects: the floor keeps one in every open
conversation's record, so its size is per-conversation memory."""


def with_step(flat: Flat, step: Step) -> tuple[Flat, bool]:
    """`flat` and then `step`, its newest `STEPS_KEPT` steps; True when the oldest was dropped."""
    flat = (*flat, step.at, step.moment, step.subject)
    if len(flat) > 3 * STEPS_KEPT:
        return flat[3:], True
    return flat, False


def history(flat: Flat, dropped: int) -> History:
    steps = tuple(
        Step(at, moment, subject)  # type: ignore[arg-type]
        for at, moment, subject in zip(flat[0::3], flat[1::3], flat[2::3], strict=True)
    )
    return History(steps, dropped)
