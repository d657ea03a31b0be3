"""How current the live feed is, from what the link knows: the header's `FeedStatus`."""

from __future__ import annotations

from dataclasses import dataclass

from engine.status import FeedState, FeedStatus

STALE_GRACE = 2.0
"""Seconds of lag beyond the expected keep-alive/poll period before the feed counts as stale."""
SLOW_ANSWER = 0.25
"""A request unanswered for this fraction of the request timeout makes the feed stale."""


@dataclass(frozen=True, slots=True)
class LinkFacts:
    """What the live floor knows of its link at one moment."""

    now: float
    proof: float | None
    """Everything the platform knew before this time has been applied (None: nothing yet)."""
    stopped: bool
    synced_once: bool
    synced: bool
    oldest_request: float | None
    """When the oldest unanswered request was sent."""
    detail: str = ""
    """Why the floor stopped or cannot connect yet."""
    link_error: str | None = None
    """Why the connection was last lost."""
    poll_error: str | None = None
    """Why the last presence poll failed (None: it did not)."""
    storage_problem: str | None = None
    """Why the audit cannot be saved (None: it can): nothing is decided meanwhile."""
    clock_problem: str = ""
    """Why engine time is not trusted to be the platform's ("" when it is)."""
    retry_at: float | None = None
    """When the next connection attempt starts, while one is awaited."""


def feed_status(facts: LinkFacts, *, expected_lag: float, request_timeout: float) -> FeedStatus:
    """`expected_lag`: the longest the proof may age in normal running (keep-alive or poll
    period); `request_timeout`: how long a request may stay unanswered."""
    lag = None if facts.proof is None else max(0.0, facts.now - facts.proof)
    as_of = facts.proof
    retry_in = None if facts.retry_at is None else max(0.0, facts.retry_at - facts.now)
    if facts.stopped:
        return FeedStatus(FeedState.STOPPED, as_of, facts.detail)
    if not facts.synced_once:
        return FeedStatus(FeedState.CONNECTING, as_of, facts.detail, retry_in)
    if not facts.synced:
        return FeedStatus(FeedState.RECONNECTING, as_of, facts.link_error or "", retry_in)
    if facts.storage_problem is not None:
        return FeedStatus(FeedState.STALE, as_of, f"not acting: {facts.storage_problem}")
    if facts.clock_problem:
        return FeedStatus(FeedState.STALE, as_of, facts.clock_problem)
    if facts.poll_error is not None:
        return FeedStatus(FeedState.STALE, as_of, facts.poll_error)
    overdue = (
        facts.oldest_request is not None
        and facts.now - facts.oldest_request > request_timeout * SLOW_ANSWER
    )
    if lag is None or lag > expected_lag + STALE_GRACE or overdue:
        return FeedStatus(FeedState.STALE, as_of, "waiting for the platform to answer")
    return FeedStatus(FeedState.LIVE, as_of)
