"""`fixtures.expect.check`: an expected time matches within the tolerance it is given."""

from __future__ import annotations

from fixtures.expect import TOLERANCE, check

EXPECTED = [{"type": "override.hold", "conv": "c1", "at": 10.0}]


def test_a_time_within_the_default_tolerance_matches_and_one_beyond_does_not() -> None:
    near = [{"type": "override.hold", "conv": "c1", "at": 10.0 + TOLERANCE}]
    far = [{"type": "override.hold", "conv": "c1", "at": 10.0 + TOLERANCE + 0.01}]
    assert check(EXPECTED, near).met
    assert check(EXPECTED, far).diff_lines() == [
        "- expected, not produced: at=10.0 type=override.hold conv=c1"
    ]


def test_a_wider_tolerance_accepts_a_later_time() -> None:
    late = [{"type": "override.hold", "conv": "c1", "at": 11.5}]
    assert not check(EXPECTED, late).met
    assert check(EXPECTED, late, tolerance=1.5).met
