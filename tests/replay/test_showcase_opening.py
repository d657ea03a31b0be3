"""The showcase (the demo's floor) is busy from its first second: conversations are already
waiting when it starts, their deadlines at many distances."""

from __future__ import annotations

from engine.core.model import Status
from engine.protocol import Spelling
from fixtures.replay import _Driver
from fixtures.scenario import load_scenario

FIRST_SECOND = 1.0


def test_the_showcase_opens_with_waiting_conversations_due_at_many_distances() -> None:
    scenario = load_scenario("showcase").model_copy(update={"until": FIRST_SECOND})
    driver = _Driver(scenario, None, Spelling.RAW, None)
    driver.run()
    read = driver.service.read
    start = driver.epoch(0.0)
    views = [read.conversation(c) for c in read.watched_ids()]
    counting = [v for v in views if v is not None and v.status is Status.WATCHING]
    assert len(counting) >= 12, "a dozen conversations wait on an agent from the start"
    due_in = sorted({round((v.deadline or 0) - start, -1) for v in counting})
    assert len(due_in) >= 4, f"deadlines at many distances, not one: {due_in}"
    assert due_in[0] <= 30 and due_in[-1] >= 180, due_in
    off = [v for v in views if v is not None and v.status is Status.OFF]
    assert off, "and one the policy never unassigns (returns has away off)"
