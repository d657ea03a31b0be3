"""The header's feed status from what the live floor knows: the state, why, when it retries
and how current the data is (the newest proof, in platform time)."""

from __future__ import annotations

from engine.feed_health import LinkFacts, feed_status
from engine.status import FeedState, FeedStatus

NOW = 1_700_000_000.0


def facts(**changes: object) -> LinkFacts:
    base: dict[str, object] = {
        "now": NOW,
        "proof": NOW - 3,
        "stopped": False,
        "synced_once": True,
        "synced": True,
        "oldest_request": None,
    }
    return LinkFacts(**(base | changes))  # type: ignore[arg-type]


def status(**changes: object) -> FeedStatus:
    return feed_status(facts(**changes), expected_lag=20.0, request_timeout=10.0)


def test_live_data_is_as_of_the_newest_proof() -> None:
    assert status() == FeedStatus(FeedState.LIVE, NOW - 3)


def test_reconnecting_says_why_and_when_it_tries_again() -> None:
    down = status(synced=False, link_error="cannot reach va.agentvep (timed out)", retry_at=NOW + 8)
    assert down == FeedStatus(
        FeedState.RECONNECTING, NOW - 3, "cannot reach va.agentvep (timed out)", retry_in=8.0
    )


def test_connecting_the_first_time_says_why_and_when_too() -> None:
    first = status(synced_once=False, proof=None, detail="login: HTTP 503", retry_at=NOW + 2)
    assert first == FeedStatus(FeedState.CONNECTING, None, "login: HTTP 503", retry_in=2.0)


def test_a_retry_due_already_is_in_zero_seconds_never_negative() -> None:
    assert status(synced=False, retry_at=NOW - 1).retry_in == 0.0
