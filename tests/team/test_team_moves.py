"""A move to a fallback skill made by one engine of a team floor counts against the hourly
limit for the engine that takes the floor over: it recalls the floor's unassigns of the last
hour from the shared audit as it takes the floor up."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator

import pytest
from desk import ONLINE, T0, Desk, ana, waiting

from engine.core import (
    AgentChanged,
    AgentState,
    AuditType,
    BarrierCompleted,
    FeedFresh,
    LastMessage,
    Policy,
)

PING_PONG = Policy.from_mapping(
    {
        "online": ONLINE,
        "moves_per_hour": 1,
        "skills": {
            "sales": {"on_unassign": "skill:overflow"},
            "overflow": {"on_unassign": "skill:sales"},
        },
    }
)


@pytest.fixture
def moving(postgres_url: str) -> Iterator[tuple[Desk, Desk]]:
    a, b = Desk(postgres_url, "dana", PING_PONG), Desk(postgres_url, "eli", PING_PONG)
    yield a, b
    a.store.close()
    b.store.close()


def test_the_engine_that_takes_over_keeps_to_the_limit_the_other_engines_moves_reached(
    moving: tuple[Desk, Desk],
) -> None:
    a, b = moving
    a.keeper.step()
    b.keeper.step()
    assert a.keeper.role().acting
    due = T0 + ONLINE
    ben = AgentChanged("a2", AgentState.ONLINE, T0 - 600, "Ben")
    c1 = waiting("c1", T0)
    in_overflow = dataclasses.replace(c1, metadata_ts=due + 1, agent=None, skill="overflow")
    for desk in (a, b):
        desk.service.apply([ana(T0), ben, c1, FeedFresh(T0), BarrierCompleted(due)], due)
        desk.service.apply([in_overflow], due + 1)  # the move, as the feed shows it
    moved = [e for e in a.heard if e.type is AuditType.UNASSIGN_DECIDED]
    assert [e.detail for e in moved] == ["0.0 s past the deadline; to skill overflow"]
    assert "unassign.confirmed" in a.types()
    # Dana's engine stops; Eli's takes the lease once it expired, and the floor up.
    grant = a.store.grant
    assert grant is not None
    time.sleep(max(0.0, grant.term.expires_by - time.monotonic()) + 0.05)
    assert b.keeper.step() and b.keeper.role().acting
    later = due + 10
    asked = LastMessage(2, later, from_consumer=True)  # routed to Ben; the consumer writes
    again = dataclasses.replace(in_overflow, metadata_ts=later, agent="a2", last_message=asked)
    b.service.apply([again, BarrierCompleted(later)], later)
    b.service.apply([BarrierCompleted(later + ONLINE)], later + ONLINE)
    [kept] = [e for e in b.heard if e.type is AuditType.UNASSIGN_DECIDED]
    assert kept.conv == "c1" and kept.agent == "a2"
    assert kept.detail == (
        "0.0 s past the deadline; not moved to skill sales: moved 1 time in the last hour"
        " (the limit), back to the overflow queue"
    )
