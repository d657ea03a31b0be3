"""The policy: thresholds per agent state, partial per-skill overrides, null = off, and
validation errors that name the offending field."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest

from engine.core import AuditEvent, AuditType, Policy, PolicyError, Reason, Thresholds
from engine.core.policy import MAX_THRESHOLD_SECONDS

FULL = {
    "online": 60,
    "away": 30,
    "offline": None,
    "skills": {"billing": {"online": 120, "away": None}, "vip": {}},
}


def test_from_mapping_reads_defaults_and_partial_skill_overrides() -> None:
    policy = Policy.from_mapping(FULL)
    assert policy.default == Thresholds(online=60.0, away=30.0, offline=None)
    assert policy.threshold("sales", Reason.ONLINE) == 60.0
    assert policy.threshold("billing", Reason.ONLINE) == 120.0
    assert policy.threshold("billing", Reason.AWAY) is None
    assert policy.threshold("billing", Reason.OFFLINE) is None
    assert policy.threshold("vip", Reason.AWAY) == 30.0
    assert policy.threshold(None, Reason.AWAY) == 30.0


def test_a_skill_override_falls_back_to_the_default_for_fields_it_leaves_out() -> None:
    policy = Policy.from_mapping({"online": 60, "away": 30, "offline": 10, "skills": {"b": {}}})
    assert [policy.threshold("b", r) for r in (Reason.ONLINE, Reason.AWAY, Reason.OFFLINE)] == [
        60.0,
        30.0,
        10.0,
    ]


def test_missing_fields_are_off() -> None:
    policy = Policy.from_mapping({"away": 30})
    assert policy.default == Thresholds(online=None, away=30.0, offline=None)
    assert Policy.from_mapping({"online": 1, "skills": None}).skills == {}


def test_a_manual_unassign_has_no_wait() -> None:
    assert Policy().threshold("sales", Reason.MANUAL) == 0.0
    assert Thresholds(online=5.0).for_reason(Reason.MANUAL) == 0.0


def test_to_mapping_round_trips() -> None:
    policy = Policy.from_mapping(FULL)
    data = policy.to_mapping()
    assert data == {
        "online": 60.0,
        "away": 30.0,
        "offline": None,
        "skills": {"billing": {"online": 120.0, "away": None}, "vip": {}},
    }
    assert Policy.from_mapping(data) == policy


def test_thresholds_up_to_a_week_are_accepted() -> None:
    policy = Policy.from_mapping({"online": MAX_THRESHOLD_SECONDS, "away": 0})
    assert policy.default.online == MAX_THRESHOLD_SECONDS
    assert policy.default.away == 0.0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"online": -1}, "policy.online"),
        ({"online": "60"}, "policy.online"),
        ({"online": True}, "policy.online"),
        ({"away": math.nan}, "policy.away"),
        ({"offline": MAX_THRESHOLD_SECONDS + 1}, "policy.offline"),
        ({"offline": math.inf}, "policy.offline"),
        ({"onlnie": 5}, "policy.onlnie"),
        ({"skills": 5}, "policy.skills"),
        ({"skills": "billing"}, "policy.skills"),
        ({"skills": {"billing": 5}}, "policy.skills.billing"),
        ({"skills": {"billing": {"busy": 5}}}, "policy.skills.billing.busy"),
        ({"skills": {"billing": {"away": -3}}}, "policy.skills.billing.away"),
        ({"skills": {"billing": {"online": [60]}}}, "policy.skills.billing.online"),
    ],
)
def test_validation_errors_name_the_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(PolicyError, match="^" + re.escape(field) + ":"):
        Policy.from_mapping(data)


def test_validation_errors_use_the_callers_path() -> None:
    with pytest.raises(PolicyError, match=r"^scenario\.policy\.skills\.b\.away:"):
        Policy.from_mapping({"skills": {"b": {"away": -1}}}, path="scenario.policy")


def test_a_policy_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(PolicyError, match=r"^policy: expected an object"):
        Policy.from_mapping([60, 30])  # type: ignore[arg-type]


def test_a_policy_error_is_a_value_error() -> None:
    assert issubclass(PolicyError, ValueError)


@pytest.mark.parametrize("skills", [[], 0, ""])
def test_skills_that_are_not_an_object_are_refused_even_when_empty(skills: object) -> None:
    with pytest.raises(PolicyError, match=r"^policy\.skills:"):
        Policy.from_mapping({"online": 60, "skills": skills})


def test_audit_event_to_record_is_json_ready() -> None:
    event = AuditEvent(
        at=130.0004,
        type=AuditType.UNASSIGN_DECIDED,
        conv="c1",
        agent="a1",
        reason=Reason.AWAY,
        detail="due",
        key="c1|a1|0.000",
    )
    assert event.to_record(time_origin=100.0) == {
        "at": 30.0,
        "type": "unassign.decided",
        "conv": "c1",
        "agent": "a1",
        "reason": "away",
        "by": "engine",
        "detail": "due",
        "key": "c1|a1|0.000",
    }
    assert AuditEvent(at=1.0, type=AuditType.FEED_STALE).to_record() == {
        "at": 1.0,
        "type": "feed.stale",
        "by": "engine",
    }
