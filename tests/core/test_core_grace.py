"""Grace for flapping presence: a new state's threshold applies once the state has lasted its
grace; the wait itself is never delayed."""

from __future__ import annotations

import pytest
from core_harness import waiting_floor

from engine.core import AgentState, FeedFresh, FeedStale, Policy, PolicyError, Reason, Status
from engine.core.grace import MAX_GRACE_SECONDS, Spell, Standing, add_spell, standing

GRACE_POLICY = {"online": 120, "away": 60, "offline": 10, "grace": {"offline": 5, "away": 8}}


def decisions(
    policy: dict[str, object], *steps: tuple[float, AgentState]
) -> list[tuple[float, Reason | None]]:
    floor = waiting_floor(policy)
    for at, state in steps:
        floor.advance(at)
        floor.presence("a1", state, at)
    floor.advance(300.0)
    return [(e.at, e.reason) for e in floor.decided()]


def test_a_flap_shorter_than_the_grace_changes_no_threshold() -> None:
    steps = ((50.0, AgentState.OFFLINE), (53.0, AgentState.ONLINE))
    assert decisions(GRACE_POLICY, *steps) == [(120.0, Reason.ONLINE)]


def test_without_grace_the_same_flap_is_due_at_once() -> None:
    steps = ((50.0, AgentState.OFFLINE), (53.0, AgentState.ONLINE))
    assert decisions({"online": 120, "away": 60, "offline": 10}, *steps) == [(50.0, Reason.OFFLINE)]


def test_a_state_that_lasts_its_grace_applies_with_the_whole_wait_counted() -> None:
    assert decisions(GRACE_POLICY, (50.0, AgentState.OFFLINE)) == [(55.0, Reason.OFFLINE)]


def test_grace_never_delays_a_deadline_that_falls_after_it() -> None:
    # Offline at 1 s: its grace ends at 6 s, its threshold at 10 s after the wait began.
    assert decisions(GRACE_POLICY, (1.0, AgentState.OFFLINE)) == [(10.0, Reason.OFFLINE)]


def test_during_the_grace_the_earlier_threshold_still_applies() -> None:
    # Away (60 s) for a long time, then Online at 58 s with a 10 s online grace: the away
    # threshold still runs out at 60 s.
    policy = {"online": 120, "away": 60, "offline": 10, "grace": {"online": 10}}
    steps = ((20.0, AgentState.AWAY), (58.0, AgentState.ONLINE))
    assert decisions(policy, *steps) == [(60.0, Reason.AWAY)]


def test_back_soon_after_away_is_the_same_threshold_and_keeps_its_grace_running() -> None:
    steps = ((100.0, AgentState.AWAY), (104.0, AgentState.BACK_SOON))
    assert decisions(GRACE_POLICY, *steps) == [(108.0, Reason.AWAY)]


def test_the_skill_grace_overrides_the_default() -> None:
    policy = {**GRACE_POLICY, "skills": {"sales": {"grace": {"offline": 30}}}}
    steps = ((50.0, AgentState.OFFLINE), (70.0, AgentState.ONLINE))
    assert decisions(policy, *steps) == [(120.0, Reason.ONLINE)]
    assert decisions(policy, (50.0, AgentState.OFFLINE)) == [(80.0, Reason.OFFLINE)]


def test_the_row_shows_the_pending_state_and_when_it_takes_over() -> None:
    floor = waiting_floor(GRACE_POLICY)
    floor.advance(50.0)
    floor.presence("a1", AgentState.OFFLINE, 50.0)
    view = floor.view("c1")
    assert (view.status, view.reason, view.deadline) == (Status.WATCHING, Reason.OFFLINE, 55.0)
    floor.presence("a1", AgentState.ONLINE, 52.0)
    view = floor.view("c1")
    assert (view.status, view.reason, view.deadline) == (Status.WATCHING, Reason.ONLINE, 120.0)


def test_standing_follows_the_history() -> None:
    def grace(reason: Reason) -> float:
        return 5.0

    online, away, offline = Reason.ONLINE, Reason.AWAY, Reason.OFFLINE
    spells = (Spell(online, 0.0), Spell(away, 10.0), Spell(offline, 12.0))
    assert standing(spells, grace, 13.0) == Standing(online, offline, 17.0, 12.0)
    assert standing(spells, grace, 17.0) == Standing(offline, since=17.0)  # grace over
    spells = (Spell(online, 0.0), Spell(away, 10.0), Spell(offline, 20.0))
    assert standing(spells, grace, 21.0) == Standing(away, offline, 25.0, 20.0, 15.0)
    spells = (Spell(online, 0.0), Spell(away, 10.0), Spell(online, 12.0))
    assert standing(spells, grace, 12.0) == Standing(online)


def test_history_before_a_long_state_is_forgotten() -> None:
    spells = add_spell((Spell(Reason.ONLINE, 0.0),), Reason.AWAY, 10.0)
    spells = add_spell(spells, Reason.OFFLINE, 10.0 + MAX_GRACE_SECONDS)
    assert spells == (Spell(Reason.AWAY, 10.0), Spell(Reason.OFFLINE, 10.0 + MAX_GRACE_SECONDS))
    assert add_spell(spells, Reason.OFFLINE, 999.0) == spells


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"grace": {"offline": -1}}, "policy.grace.offline"),
        ({"grace": {"offline": MAX_GRACE_SECONDS + 1}}, "policy.grace.offline"),
        ({"grace": {"offline": "5"}}, "policy.grace.offline"),
        ({"grace": {"busy": 5}}, "policy.grace.busy"),
        ({"grace": 5}, "policy.grace"),
        ({"skills": {"billing": {"grace": {"away": True}}}}, "policy.skills.billing.grace.away"),
    ],
)
def test_a_bad_grace_is_refused_naming_its_field(data: dict[str, object], path: str) -> None:
    with pytest.raises(PolicyError) as refused:
        Policy.from_mapping(data)
    assert refused.value.path == path


def test_grace_round_trips_through_the_json_shape() -> None:
    data = {**GRACE_POLICY, "skills": {"billing": {"away": 30, "grace": {"offline": 2}}}}
    policy = Policy.from_mapping(data)
    assert Policy.from_mapping(policy.to_mapping()) == policy
    assert policy.grace_seconds("billing", Reason.OFFLINE) == 2.0
    assert policy.grace_seconds("billing", Reason.AWAY) == 8.0
    assert policy.grace_seconds("sales", Reason.ONLINE) == 0.0


def test_a_thresholds_edit_keeps_the_grace_in_force() -> None:
    old = Policy.from_mapping({**GRACE_POLICY, "skills": {"billing": {"grace": {"away": 1}}}})
    edited = Policy.from_mapping({"online": 30, "away": 60, "offline": 10}).with_settings_of(old)
    assert edited.threshold("sales", Reason.ONLINE) == 30.0
    assert (edited.grace, edited.skill_grace) == (old.grace, old.skill_grace)


def test_a_grace_that_ends_while_nothing_happens_is_planned_again_then() -> None:
    # Away at 50 s (grace 8): the online threshold (120 s) falls after the grace, so the
    # engine plans again at 58 s, without a barrier, and decides at 60 s as away.
    floor = waiting_floor(GRACE_POLICY)
    floor.advance(50.0)
    floor.presence("a1", AgentState.AWAY, 50.0)
    assert floor.engine.read.why_not("c1", 50.0).grace is not None
    floor.tick(58.0, barrier=False)
    view = floor.view("c1")
    assert (view.reason, view.deadline) == (Reason.AWAY, 60.0)
    assert floor.engine.read.why_not("c1", 58.0).grace is None  # no longer within it
    floor.advance(300.0)
    assert [(e.at, e.reason) for e in floor.decided()] == [(60.0, Reason.AWAY)]


def test_a_deadline_planned_before_a_grace_ended_is_not_decided_as_planned() -> None:
    # Away all along, Online at 55 s (grace 10 s): the away threshold (60 s) still applies
    # until 65 s, so the wait is due at 60 s, but the feed is stale from 56 s to 70 s. By
    # then Online is in force: the wait is due at 120 s, and nothing is decided at 70 s.
    policy = {"online": 120, "away": 60, "offline": 10, "grace": {"online": 10}}
    floor = waiting_floor(policy, state=AgentState.AWAY)
    floor.advance(55.0)
    floor.presence("a1", AgentState.ONLINE, 55.0)
    assert (floor.view("c1").reason, floor.view("c1").deadline) == (Reason.AWAY, 60.0)
    floor.engine.apply(FeedStale("down"), 56.0)
    floor.tick(70.0)
    floor.engine.apply(FeedFresh(70.0), 70.0)
    floor.tick(70.0)
    assert floor.decided() == []
    assert (floor.view("c1").reason, floor.view("c1").deadline) == (Reason.ONLINE, 120.0)
