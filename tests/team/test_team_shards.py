"""A floor split by skill: each shard is a floor of its own in the shared database (its own
lease, its own audit), its engine watches its skills only; both act at once, each on its own
skills' conversations, and a conversation one moves to the other's skill is the other's."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from desk import ONLINE, T0, Desk, ana, waiting

from engine.core import AuditType, BarrierCompleted, FeedFresh, LastMessage, LinkEvent, Policy

POLICY = Policy.from_mapping(
    {"online": ONLINE, "skills": {"sales": {"on_unassign": "skill:billing"}}}
)


@pytest.fixture
def shards(postgres_url: str) -> Iterator[tuple[Desk, Desk]]:
    sales = Desk(postgres_url, "dana", POLICY, floor="brand/sales", skills=("sales",))
    billing = Desk(postgres_url, "eli", POLICY, floor="brand/billing", skills=("billing",))
    yield sales, billing
    sales.store.close()
    billing.store.close()


def decided(desk: Desk) -> list[str]:
    return [e.conv or "" for e in desk.heard if e.type is AuditType.UNASSIGN_DECIDED]


def test_each_shard_acts_on_its_own_skills_and_a_moved_conversation_changes_hands(
    shards: tuple[Desk, Desk],
) -> None:
    sales, billing = shards
    assert sales.keeper.step() and billing.keeper.step()
    assert sales.keeper.role().acting and billing.keeper.role().acting  # a lease each
    due = T0 + ONLINE
    c1 = waiting("c1", T0)
    c2 = dataclasses.replace(waiting("c2", T0), skill="billing")
    floor: list[LinkEvent] = [ana(T0), c1, c2, FeedFresh(T0), BarrierCompleted(due)]
    for desk in shards:
        desk.service.apply(floor, due)
    assert decided(sales) == ["c1"] and decided(billing) == ["c2"]
    assert sales.engine.read.conversation("c2") is None
    # c1 moves to billing (the feed shows it there, with Ben, the consumer writing again).
    later = due + 10
    asked = LastMessage(2, later, from_consumer=True)
    moved = dataclasses.replace(c1, metadata_ts=later, agent="a1", skill="billing")
    moved = dataclasses.replace(moved, last_message=asked)
    for desk in shards:
        desk.service.apply([moved, BarrierCompleted(later + ONLINE)], later + ONLINE)
    assert sales.engine.read.conversation("c1") is None
    assert decided(billing) == ["c2", "c1"] and decided(sales) == ["c1"]
    for desk in shards:  # each shard's audit holds its own decisions
        stored = [e.conv for _, e in desk.store.audit() if e.type is AuditType.UNASSIGN_DECIDED]
        assert stored == decided(desk)
