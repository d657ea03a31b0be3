"""Synthetic floors of any size, built straight from engine events."""

from __future__ import annotations

import random

from engine.core import (
    AgentChanged,
    AgentState,
    ConversationChanged,
    Engine,
    FeedFresh,
    LastMessage,
    Policy,
    ReadModel,
)
from engine.core.model import ConvId

POLICY = Policy.from_mapping({"online": 600, "away": 300, "offline": 120})
CONVERSATIONS_PER_AGENT = 5
BATCH, NEW, CLOSED = 1_000, 400, 300
"""Per feed batch: 400 new conversations, 300 closed, the other 300 re-ordered."""


def watched_floor(size: int, *, seed: int = 1) -> Engine:
    """An engine watching `size` conversations, every deadline at least 100 s away at t=0."""
    rng = random.Random(seed)
    engine = Engine(POLICY)
    agents = max(1, size // CONVERSATIONS_PER_AGENT)
    for index in range(agents):
        engine.apply(AgentChanged(f"a{index}", AgentState.ONLINE, -1000.0, f"Agent {index}"), 0.0)
    engine.apply(FeedFresh(0.0), 0.0)
    for index in range(size):
        change = ConversationChanged(
            conv_id=f"c{index}",
            metadata_ts=-500.0,
            skill="sales",
            agent=f"a{index % agents}",
            consumer=f"consumer-{index}",
            open=True,
            last_message=LastMessage(1, -rng.uniform(0.0, 200.0), from_consumer=True),
        )
        engine.apply(change, 0.0)
    engine.drain()
    return engine


def event_stream(size: int, count: int, *, seed: int = 2) -> list[ConversationChanged]:
    """Message news for a floor built by `watched_floor(size)`: answers and new questions."""
    rng = random.Random(seed)
    agents = max(1, size // CONVERSATIONS_PER_AGENT)
    sequences = [1] * size
    events = []
    for step in range(count):
        index = rng.randrange(size)
        sequences[index] += 1
        events.append(
            ConversationChanged(
                conv_id=f"c{index}",
                metadata_ts=-500.0,
                skill="sales",
                agent=f"a{index % agents}",
                consumer=f"consumer-{index}",
                open=True,
                last_message=LastMessage(
                    sequences[index], step * 0.001, from_consumer=sequences[index] % 2 == 1
                ),
            )
        )
    return events


def batch_events(read: ReadModel, size: int, batch: int) -> list[ConversationChanged]:
    """1,000 changes for a `watched_floor(size)`: new rows, and closed and re-ordered rows
    picked at random among those watched now (so each `batch` number touches other rows)."""
    agents = max(1, size // CONVERSATIONS_PER_AGENT)
    watched = sorted(read.watched_ids())
    picked = random.Random(batch).sample(watched, min(BATCH - NEW, len(watched)))
    events: list[ConversationChanged] = []

    def change(conv_id: ConvId, *, open_: bool = True, message: LastMessage | None = None) -> None:
        index = int(conv_id[1:])
        events.append(
            ConversationChanged(
                conv_id=conv_id,
                metadata_ts=0.0,
                skill="sales",
                agent=f"a{index % agents}",
                consumer=f"consumer-{index}",
                open=open_,
                last_message=message,
            )
        )

    for k in range(NEW):
        new_id = f"c{size + batch * NEW + k}"
        change(new_id, message=LastMessage(1, -float(k % 300), from_consumer=True))
    for conv_id in picked[:CLOSED]:
        change(conv_id, open_=False)
    for k, conv_id in enumerate(picked[CLOSED:]):
        # The agent answers, then the consumer writes again: a fresh wait, a new deadline.
        change(conv_id, message=LastMessage(1_000 + 2 * batch, -0.5, from_consumer=False))
        change(conv_id, message=LastMessage(1_001 + 2 * batch, -float(k % 100), from_consumer=True))
    return events
