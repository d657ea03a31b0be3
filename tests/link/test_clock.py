"""Engine time: platform time over a monotonic clock, learned from GetClock round trips."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.link.clock import (
    CATCH_UP_RATE,
    MAX_ERROR,
    SLEW_RATE,
    ClockSample,
    PlatformClock,
)

T0 = 1_700_000_000.0


class Local:
    """A local monotonic clock the test moves by hand."""

    def __init__(self, at: float = 100.0) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


def answer(clock: PlatformClock, local: Local, platform: float, round_trip: float) -> None:
    """A GetClock sent now, answered `round_trip` later, stamped `platform` at its middle."""
    sent = clock.now()
    local.at += round_trip
    received = clock.now()
    clock.observe(ClockSample(platform - (sent + received) / 2, received - sent))


def test_until_the_platform_answers_there_is_no_trusted_time() -> None:
    local = Local()
    clock = PlatformClock(local)
    assert not clock.trusted
    assert clock.describe() == "waiting for the platform's clock"
    clock.hint(T0)
    assert clock.now() == T0
    assert not clock.trusted, "the login's server time is a hint, never trusted"


def test_the_first_answer_sets_the_time_whatever_the_hint_said() -> None:
    for hint in (T0 + 2 * 365 * 86400, T0 - 3600, None):
        local = Local()
        clock = PlatformClock(local)
        if hint is not None:
            clock.hint(hint)
        answer(clock, local, platform=T0 + 0.001, round_trip=0.002)
        assert abs(clock.now() - (T0 + 0.002)) < 1e-9
        assert clock.trusted
        assert clock.error_bound() <= 0.002


def test_a_small_error_is_slewed_never_stepped_and_time_never_runs_back() -> None:
    local = Local()
    clock = PlatformClock(local)
    answer(clock, local, platform=T0, round_trip=0.002)
    before = clock.now()
    answer(clock, local, platform=before - 0.1, round_trip=0.001)  # we are 0.1 s ahead
    assert clock.now() >= before, "a correction backwards never rewinds engine time"
    assert clock.trusted
    seen = clock.now()
    for _ in range(40):
        local.at += 0.1
        now = clock.now()
        assert now - seen >= 0.1 * (1 - SLEW_RATE) - 1e-6
        seen = now
    assert abs(clock.now() - (local.at + T0 - 100.0 - 0.1 - 0.001)) < 0.01


def test_a_platform_clock_step_forward_is_followed_at_once() -> None:
    local = Local()
    clock = PlatformClock(local)
    answer(clock, local, platform=T0, round_trip=0.002)
    local.at += 10
    answer(clock, local, platform=T0 + 10 + 120, round_trip=0.002)
    assert abs(clock.now() - (T0 + 130.003)) < 0.01
    assert clock.trusted


def test_a_platform_clock_step_back_is_caught_up_running_slow_and_untrusted_meanwhile() -> None:
    local = Local()
    clock = PlatformClock(local)
    answer(clock, local, platform=T0, round_trip=0.002)
    local.at += 10
    answer(clock, local, platform=T0 + 10 - 60, round_trip=0.002)
    assert not clock.trusted
    assert clock.describe().startswith("the platform's clock is uncertain by")
    seen = clock.now()
    local.at += 1.0
    assert clock.now() - seen >= 1.0 * (1 - CATCH_UP_RATE) - 1e-6, "it runs slow, never back"
    local.at += 60 / CATCH_UP_RATE
    assert clock.trusted
    assert abs(clock.now() - (T0 + local.at - 100.0 - 60)) < 0.01


def test_the_tightest_recent_answer_wins_and_a_slow_one_alone_is_not_trusted() -> None:
    local = Local()
    clock = PlatformClock(local)
    answer(clock, local, platform=T0, round_trip=0.6)
    assert not clock.trusted, "a 0.6 s round trip bounds the error by 0.3 s at best"
    answer(clock, local, platform=T0 + 0.6 + 0.001, round_trip=0.002)
    assert clock.trusted
    # a stalled answer: stamped at once, then held back 2 s on its way out
    answer(clock, local, platform=T0 + 0.603, round_trip=2.0)
    assert clock.error_bound() < MAX_ERROR
    assert abs(clock.now() - (T0 + 0.603 + 2.0)) < 0.01


def test_an_answer_that_contradicts_the_estimate_retires_it() -> None:
    local = Local()
    clock = PlatformClock(local)
    answer(clock, local, platform=T0, round_trip=0.002)
    local.at += 5
    answer(clock, local, platform=T0 + 5 + 30, round_trip=1.0)  # the platform stepped 30 s
    assert not clock.trusted, "the old estimate is gone, the new one is too loose to trust"
    answer(clock, local, platform=T0 + 6.0 + 30 + 0.001, round_trip=0.002)
    assert clock.trusted
    assert abs(clock.now() - (T0 + 36.002)) < 0.01


def test_the_bound_grows_with_the_age_of_the_estimate() -> None:
    local = Local()
    clock = PlatformClock(local)
    answer(clock, local, platform=T0, round_trip=0.002)
    fresh = clock.error_bound()
    local.at += 3600
    assert clock.error_bound() > fresh
    local.at += 10 * 86400
    assert not clock.trusted


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    steps=st.lists(
        st.tuples(
            st.floats(0.0, 30.0),
            st.floats(-300.0, 300.0),
            st.sampled_from([0.0005, 0.002, 0.05, 0.3, 1.0]),
            st.booleans(),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_engine_time_never_runs_backwards(steps: list[tuple[float, float, float, bool]]) -> None:
    """Whatever the platform answers (its clock stepping either way, slow answers), engine
    time only moves forwards once it was trusted, and a trusted clock is within its bound of
    the platform's."""
    local = Local()
    clock = PlatformClock(local)
    platform_offset = T0
    seen = -math.inf
    stepped_since_tight = False
    for wait, jump, round_trip, steps_platform in steps:
        local.at += wait
        if steps_platform:
            platform_offset += jump
        assert clock.now() >= seen
        seen = clock.now() if clock.trusted or seen > -math.inf else -math.inf
        answer(
            clock,
            local,
            platform=local.at + platform_offset + round_trip / 2,
            round_trip=round_trip,
        )
        assert clock.now() >= seen
        if clock.trusted or seen > -math.inf:
            seen = clock.now()
        stepped_since_tight = (stepped_since_tight or steps_platform) and round_trip > 0.002
        if clock.trusted and not stepped_since_tight:
            # (a step smaller than a loose answer's bound cannot be seen until a tight one)
            assert abs(clock.now() - (local.at + platform_offset)) <= clock.error_bound() + 1e-6
