"""What another dashboard of the floor changes reaches the acting engine within a second, in
place of what it had: releases of holds, extensions and agent holds, the policy and the dry
run; and the acting engine decides by them."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Callable

from desk import T0, Desk, ana, waiting

from engine.core import (
    AgentChanged,
    AgentState,
    AuditType,
    BarrierCompleted,
    Command,
    Extend,
    FeedFresh,
    Hold,
    HoldAgent,
    LinkEvent,
    Policy,
    Release,
    ReleaseAgent,
    SetDryRun,
    SetPolicy,
)

NOW = T0 + 1


async def reaches(what: str, check: Callable[[], bool]) -> None:
    given = time.monotonic()
    while not check():
        assert time.monotonic() - given < 1.0, f"{what} did not reach the acting engine"
        await asyncio.sleep(0.01)


async def test_releases_policy_and_dry_run_from_a_watcher_reach_the_acting_engine(
    desks: tuple[Desk, Desk],
) -> None:
    a, b = desks
    a.keeper.step()
    b.keeper.step()
    ben = AgentChanged("a2", AgentState.ONLINE, T0 - 600, "Ben")
    third = dataclasses.replace(waiting("c3", T0), agent="a2")
    for desk in (a, b):
        floor: list[LinkEvent] = [
            ana(T0),
            ben,
            waiting("c1", T0),
            waiting("c2", T0),
            third,
            FeedFresh(T0),
        ]
        desk.service.apply(floor, NOW)
    following = asyncio.create_task(a.seat.follow(lambda o, p: a.service.floor_changed(o, NOW, p)))

    def give(command: Command) -> None:
        assert b.service.execute(command, NOW) is None

    try:
        await asyncio.sleep(0.3)  # listening
        give(Hold(conv="c1", by="eli"))
        give(Extend(conv="c2", seconds=30, by="eli"))
        give(HoldAgent(agent="a2", by="eli"))
        await reaches("the holds", lambda: a.engine.overrides() == b.engine.overrides())
        assert a.engine.overrides().conv_holds == {"c1": None}
        give(Release(conv="c1", by="eli"))
        await reaches("the release", lambda: not a.engine.overrides().conv_holds)
        give(Release(conv="c2", by="eli"))  # the extension goes with it
        await reaches("the extension's release", lambda: not a.engine.overrides().extensions)
        give(ReleaseAgent(agent="a2", by="eli"))
        await reaches("the agent's release", lambda: not a.engine.overrides().agent_holds)
        stricter = Policy.from_mapping({"online": 30})
        give(SetPolicy(policy=stricter, by="eli"))
        await reaches("the policy", lambda: a.engine.read.policy == stricter)
        give(SetDryRun(on=True, by="eli"))
        await reaches("the dry run", lambda: a.engine.overrides().dry_run)
    finally:
        following.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await following
    assert a.engine.overrides() == b.engine.overrides()
    due = T0 + 30
    a.service.apply([BarrierCompleted(due)], due)  # by the new policy, nothing held: all due
    decided = sorted(e.conv or "" for e in a.heard if e.type is AuditType.UNASSIGN_DECIDED)
    assert decided == ["c1", "c2", "c3"]
    assert a.types() == ["unassign.decided"] * 3  # in dry run: none is sent
    assert not any(e.type is AuditType.POLICY_CHANGED for e in a.heard)  # Eli's, not Dana's
