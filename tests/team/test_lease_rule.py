"""The lease rule: act, send and renew only on time the lease surely has."""

from __future__ import annotations

import pytest

from engine.core.lease_rule import LeaseTerm, may_act, may_send, renew_at, renew_due, time_left

# Asked at 100.0 for 6 s; the database answered that 5.9 s were left (the answer took a while).
TERM = LeaseTerm(epoch=3, asked_at=100.0, remaining=5.9, ttl=6.0)


def test_the_lease_is_counted_from_the_moment_of_asking() -> None:
    assert TERM.expires_by == 105.9
    assert time_left(TERM, 101.0) == pytest.approx(4.9)
    assert time_left(TERM, 106.0) == 0.0
    assert time_left(None, 101.0) == 0.0


def test_the_holder_acts_until_the_lease_lapses_and_never_without_one() -> None:
    assert may_act(TERM, 105.8)
    assert not may_act(TERM, 105.9)
    assert not may_act(None, 101.0)


def test_an_unassign_goes_out_only_while_the_lease_outlasts_its_timeout() -> None:
    assert may_send(TERM, 100.5, action_timeout=5.0)  # 5.4 s left
    assert not may_send(TERM, 101.0, action_timeout=5.0)  # 4.9 s left: it could land late
    assert not may_send(None, 100.5, action_timeout=0.1)


def test_the_lease_is_renewed_a_third_into_its_time_to_live() -> None:
    assert renew_at(TERM) == 102.0
    assert not renew_due(TERM, 101.99)
    assert renew_due(TERM, 102.0)
