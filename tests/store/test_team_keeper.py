"""Keeping the lease in real time: one engine acts, the other watches and takes over."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from engine.core import lease_rule
from engine.store.pg import PgStore
from engine.team.lease_keeper import LeaseKeeper, keep_lease

TTL = 0.9


@pytest.fixture
def stores(postgres_url: str) -> Iterator[tuple[PgStore, PgStore]]:
    a = PgStore.open(postgres_url, floor="f1", engine="dana@desk1:1", supervisor="Dana")
    b = PgStore.open(postgres_url, floor="f1", engine="eli@desk2:2", supervisor="Eli")
    yield a, b
    a.close()
    b.close()


def run_until(keepers: list[LeaseKeeper], done: float) -> None:
    """Step each keeper when it is due, until `done` (monotonic)."""
    due = [0.0 for _ in keepers]
    while time.monotonic() < done:
        for i, keeper in enumerate(keepers):
            if time.monotonic() >= due[i]:
                due[i] = keeper.step()
        time.sleep(0.01)


def test_one_acts_the_other_watches_and_takes_over_once_the_holder_stops(
    stores: tuple[PgStore, PgStore],
) -> None:
    a, b = stores
    acting = LeaseKeeper(a, TTL, action_timeout=TTL / 3)
    watching = LeaseKeeper(b, TTL)
    run_until([acting, watching], time.monotonic() + 2 * TTL)
    assert acting.role().acting
    assert acting.may_send()
    role = watching.role()
    assert (role.acting, role.holder) == (False, "dana@desk1:1")
    assert not watching.may_send()
    # The holder stops renewing (killed, paused): nothing is released.
    last = a.grant
    assert last is not None
    stopped = time.monotonic()
    while not watching.role().acting:
        assert time.monotonic() - stopped < TTL + TTL / 3 + 0.5, "no takeover in time"
        time.sleep(max(0.0, watching.step() - time.monotonic()))
    took_over = time.monotonic()
    # The stopped engine stopped acting by its own count before the other could act.
    assert not acting.role().acting
    assert last.term.expires_by <= took_over
    assert took_over - stopped <= TTL + TTL / lease_rule.RENEWALS_PER_TTL + 0.2
    assert b.grant is not None
    assert b.grant.epoch == last.epoch + 1


def test_a_holder_whose_renewals_stall_stops_acting_when_its_lease_surely_ends(
    stores: tuple[PgStore, PgStore],
) -> None:
    a, _ = stores
    keeper = LeaseKeeper(a, TTL)
    keeper.step()
    grant = a.grant
    assert grant is not None
    assert keeper.role().acting
    time.sleep(max(0.0, grant.term.expires_by - time.monotonic()))
    assert not keeper.role().acting  # no renewal was tried: the clock alone says so
    assert not keeper.may_send()


async def test_a_clean_stop_hands_the_lease_over_at_once(
    stores: tuple[PgStore, PgStore],
) -> None:
    a, b = stores
    ttl = 3.0  # the watcher asks every second: a handover within that is not an expiry
    first, second = LeaseKeeper(a, ttl), LeaseKeeper(b, ttl)
    stop_first, stop_second = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(keep_lease(first, stop_first))
    while not first.role().acting:
        await asyncio.sleep(0.02)
    other = asyncio.create_task(keep_lease(second, stop_second))
    await asyncio.sleep(0.2)
    assert not second.role().acting
    stop_first.set()
    await task
    released = time.monotonic()
    while not second.role().acting:
        assert time.monotonic() - released < ttl / 3 + 0.3, "the released lease was not taken"
        await asyncio.sleep(0.02)
    stop_second.set()
    await other
