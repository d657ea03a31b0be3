"""A fallback skill: an automatic unassign moves the conversation to the skill its skill's
`on_unassign` names, at most `moves_per_hour` times an hour per conversation."""

from __future__ import annotations

import pytest
from core_harness import Floor, waiting_floor

from engine.core import ActionSucceeded, Policy, PolicyError
from engine.core.fallback import DEFAULT_MOVES_PER_HOUR

MOVING = {
    "online": 60,
    "away": 30,
    "offline": 10,
    "skills": {"sales": {"on_unassign": "skill:overflow"}, "overflow": {"moves_per_hour": 1}},
}


def confirm(floor: Floor, conv: str, at: float, to_skill: str | None) -> None:
    """The platform accepted the last action and the feed shows the agent gone."""
    action = floor.actions[-1]
    floor.engine.apply(ActionSucceeded(action), at)
    floor.assign(conv, at, None, skill=to_skill)


def test_an_unassign_moves_the_conversation_to_the_fallback_skill() -> None:
    floor = waiting_floor(MOVING)
    floor.advance(60.0)
    [action] = floor.actions
    assert action.to_skill == "overflow"
    [decided] = floor.decided()
    assert decided.detail == "0.0 s past the deadline; to skill overflow"


def test_without_a_fallback_it_goes_back_to_its_own_queue() -> None:
    floor = waiting_floor()
    floor.advance(60.0)
    assert [a.to_skill for a in floor.actions] == [None]


def test_past_the_hourly_limit_it_stays_in_its_queue_and_the_audit_says_why() -> None:
    policy = {**MOVING, "moves_per_hour": 1}
    policy["skills"] = {"sales": {"on_unassign": "skill:billing"}}
    floor = waiting_floor(policy)
    floor.advance(60.0)
    confirm(floor, "c1", 60.0, "sales")  # the feed shows it moved (back on sales here)
    floor.assign("c1", 61.0, "a1")
    floor.consumer_says("c1", 61.0)
    floor.advance(121.0)
    assert [a.to_skill for a in floor.actions] == ["billing", None]
    assert floor.decided()[-1].detail == (
        "0.0 s past the deadline; not moved to skill billing: moved 1 time in the last hour"
        " (the limit), back to the sales queue"
    )


def test_no_moves_per_hour_means_no_move() -> None:
    floor = waiting_floor({**MOVING, "moves_per_hour": 0})
    floor.advance(60.0)
    assert [a.to_skill for a in floor.actions] == [None]
    assert floor.decided()[-1].detail == (
        "0.0 s past the deadline; not moved to skill overflow: moves_per_hour is 0,"
        " back to the sales queue"
    )


def test_a_move_counts_once_the_feed_confirms_it_and_for_an_hour() -> None:
    policy = {**MOVING, "moves_per_hour": 1}
    floor = waiting_floor(policy)
    floor.advance(60.0)
    floor.assign("c1", 60.0, None)  # confirmed: the agent left
    floor.assign("c1", 3700.0, "a1")
    floor.consumer_says("c1", 3700.0)
    floor.advance(3760.0)
    assert [a.to_skill for a in floor.actions] == ["overflow", "overflow"]


def test_a_failed_move_does_not_count() -> None:
    policy = {**MOVING, "moves_per_hour": 1}
    floor = waiting_floor(policy)
    floor.advance(60.0)
    floor.agent_says("c1", 60.5)  # raced: the agent answered, nothing moved
    floor.consumer_says("c1", 70.0)
    floor.advance(130.0)
    assert [a.to_skill for a in floor.actions] == ["overflow", "overflow"]


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"on_unassign": "overflow"}, "policy.on_unassign"),
        ({"on_unassign": "skill:"}, "policy.on_unassign"),
        ({"moves_per_hour": -1}, "policy.moves_per_hour"),
        ({"moves_per_hour": 1.5}, "policy.moves_per_hour"),
        ({"skills": {"b": {"on_unassign": 3}}}, "policy.skills.b.on_unassign"),
    ],
)
def test_a_bad_fallback_is_refused_naming_its_field(data: dict[str, object], path: str) -> None:
    with pytest.raises(PolicyError) as refused:
        Policy.from_mapping(data)
    assert refused.value.path == path


def test_the_settings_round_trip_and_inherit() -> None:
    policy = Policy.from_mapping({**MOVING, "on_unassign": "skill:sales"})
    assert Policy.from_mapping(policy.to_mapping()) == policy
    fallbacks = policy.fallbacks
    assert fallbacks.target("sales") == "overflow"
    assert fallbacks.target("billing") == "sales"  # the policy's default
    assert fallbacks.target(None) == "sales"
    assert fallbacks.limit("overflow") == 1
    assert fallbacks.limit("sales") == DEFAULT_MOVES_PER_HOUR
    queue = Policy.from_mapping(
        {"on_unassign": "skill:sales", "skills": {"x": {"on_unassign": "queue"}}}
    )
    assert queue.fallbacks.target("x") is None
    assert queue.fallbacks.target("sales") is None  # a move to its own skill is no move


def test_a_thresholds_edit_keeps_the_fallbacks() -> None:
    old = Policy.from_mapping(MOVING)
    edited = Policy.from_mapping({"online": 30}).with_settings_of(old)
    assert edited.fallbacks == old.fallbacks
