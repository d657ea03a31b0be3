"""The one-line answer to "why not yet?" words the engine's facts (`engine.core.why`)."""

from __future__ import annotations

import pytest

from engine.core.detail import Source
from engine.core.grace import Standing
from engine.core.model import Reason
from engine.core.why import HeldBy, Unwatched, Why, WhyNot
from tui.clock import wall_time
from tui.why_words import why_line


def names(agent: str) -> str | None:
    return {"a4": "Dev"}.get(agent)


NOW = 1_000_000.0


@pytest.mark.parametrize(
    ("answer", "line"),
    [
        (
            WhyNot("c1", Why.HELD, hold=HeldBy("Sam", NOW + 300)),
            f"held by Sam until {wall_time(NOW + 300)}",
        ),
        (
            WhyNot("c1", Why.HELD, hold=HeldBy("", None, "a4")),
            "agent Dev (a4) held until released",
        ),
        (
            WhyNot(
                "c1",
                Why.COUNTING,
                reason=Reason.AWAY,
                threshold=90.0,
                source=Source.SKILL,
                skill="billing",
                due_at=NOW + 42,
            ),
            "due in 0:42 (away threshold 90 s from skill billing)",
        ),
        (
            WhyNot(
                "c1",
                Why.COUNTING,
                reason=Reason.OFFLINE,
                threshold=10.0,
                source=Source.DEFAULT,
                due_at=NOW + 3,
                grace=Standing(Reason.ONLINE, Reason.OFFLINE, NOW + 3, NOW - 2),
            ),
            "due in 0:03 (offline threshold 10 s, the default); offline within its grace,"
            f" online applies until {wall_time(NOW + 3)}",
        ),
        (
            WhyNot("c1", Why.STALE, stale="reconnecting"),
            "due, waiting for fresh data: reconnecting",
        ),
        (
            WhyNot("c1", Why.UNWATCHED, Unwatched.QUEUED),
            "not watched: in the queue, no agent holds it",
        ),
        (
            WhyNot("c1", Why.OFF, reason=Reason.ONLINE, source=Source.DEFAULT),
            "never automatically: online threshold off, the default",
        ),
    ],
)
def test_each_answer_in_one_line(answer: WhyNot, line: str) -> None:
    assert why_line(answer, NOW, names) == line
